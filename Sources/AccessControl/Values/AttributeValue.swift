/// A typed attribute value, as conditions see it.
public enum AttributeValue: Sendable, Hashable, CustomStringConvertible {
    case integer(Int)
    case decimal(Double)
    case string(String)
    case boolean(Bool)
    /// Seconds since 1970.
    case time(Double)
    case interval(start: Double, end: Double)
    case iri(String)
    /// A member of an ordered domain, by rank, with its name for explanations.
    case member(rank: Int, name: String)
    case set([AttributeValue])

    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .decimal(let value): String(value)
        case .string(let value): "\"\(value)\""
        case .boolean(let value): String(value)
        case .time(let value): Instant.format(value)
        case .interval(let start, let end): "[\(Instant.format(start)) .. \(Instant.format(end))]"
        case .iri(let value): "<\(value)>"
        case .member(_, let name): name
        case .set(let values): "{" + values.map(\.description).joined(separator: ", ") + "}"
        }
    }

    /// Orders two values of comparable types; nil when they are not comparable.
    func compare(to other: AttributeValue) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (self, other) {
        case (.integer(let a), .integer(let b)): return order(a, b)
        case (.integer(let a), .decimal(let b)): return order(Double(a), b)
        case (.decimal(let a), .integer(let b)): return order(a, Double(b))
        case (.decimal(let a), .decimal(let b)): return order(a, b)
        case (.time(let a), .time(let b)): return order(a, b)
        case (.member(let a, _), .member(let b, _)): return order(a, b)
        case (.string(let a), .string(let b)):
            if a.utf8.elementsEqual(b.utf8) { return 0 }
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
        default: return nil
        }
    }

    /// Equality across numeric kinds; other kinds compare exactly (strings by bytes).
    func equals(_ other: AttributeValue) -> Bool? {
        switch (self, other) {
        case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
        case (.boolean(let a), .boolean(let b)): return a == b
        case (.iri(let a), .iri(let b)): return a == b
        case (.interval(let a1, let a2), .interval(let b1, let b2)): return a1 == b1 && a2 == b2
        case (.set(let a), .set(let b)):
            return a.allSatisfy { x in b.contains { x.equals($0) == true } } && b.allSatisfy { y in a.contains { y.equals($0) == true } }
        default:
            return compare(to: other).map { $0 == 0 }
        }
    }
}
