/// The numeric datatypes of XSD as SPARQL operators see them: the four primitive-like types,
/// with the types derived from `xsd:integer` mapped to `.integer` and their value range.
enum NumericDatatype: Sendable {
    /// `xsd:integer` or a type derived from it, with the values its facets allow (clamped to
    /// `Int64`: `xsd:unsignedLong` values above `Int64.max` are not supported).
    case integer(ClosedRange<Int64>)
    case decimal
    case float
    case double

    init?(_ datatype: IRI) {
        let value = datatype.value
        guard value.hasPrefix(XSD.namespace) else { return nil }
        let local = value.dropFirst(XSD.namespace.count)
        switch local {
        case "integer", "long": self = .integer(Int64.min...Int64.max)
        case "decimal": self = .decimal
        case "float": self = .float
        case "double": self = .double
        case "int": self = .integer(Int64(Int32.min)...Int64(Int32.max))
        case "short": self = .integer(Int64(Int16.min)...Int64(Int16.max))
        case "byte": self = .integer(Int64(Int8.min)...Int64(Int8.max))
        case "nonNegativeInteger", "unsignedLong": self = .integer(0...Int64.max)
        case "positiveInteger": self = .integer(1...Int64.max)
        case "nonPositiveInteger": self = .integer(Int64.min...0)
        case "negativeInteger": self = .integer(Int64.min...(-1))
        case "unsignedInt": self = .integer(0...Int64(UInt32.max))
        case "unsignedShort": self = .integer(0...Int64(UInt16.max))
        case "unsignedByte": self = .integer(0...Int64(UInt8.max))
        default: return nil
        }
    }
}
