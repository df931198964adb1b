/// The declared type of an attribute, which every comparison is checked against.
public indirect enum AttributeType: Sendable, Hashable, CustomStringConvertible {
    case integer
    case decimal
    case string
    case boolean
    /// An instant.
    case time
    /// A closed interval of instants.
    case interval
    /// An ontology class or resource IRI.
    case iri
    case ordered(OrderedDomain)
    case set(AttributeType)

    public var description: String {
        switch self {
        case .integer: "Integer"
        case .decimal: "Decimal"
        case .string: "String"
        case .boolean: "Boolean"
        case .time: "Time"
        case .interval: "Interval"
        case .iri: "Class"
        case .ordered(let domain): domain.name
        case .set(let element): "Set<\(element)>"
        }
    }

    /// Whether values of the two types can be compared with `<` and friends.
    var isOrdered: Bool {
        switch self {
        case .integer, .decimal, .time, .ordered, .string: true
        default: false
        }
    }

    var isNumeric: Bool { self == .integer || self == .decimal }

    /// Whether a value of `self` may stand where `other` is expected.
    func compatible(with other: AttributeType) -> Bool {
        if self == other { return true }
        if isNumeric && other.isNumeric { return true }
        if case .ordered(let a) = self, case .ordered(let b) = other { return a.name == b.name }
        return false
    }
}
