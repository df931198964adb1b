/// An absolute IRI, such as `http://www.w3.org/ns/sosa/Sensor`.
///
/// The value is kept exactly as given; parsers resolve relative references with ``IRIResolver``
/// before they build an `IRI`.
public struct IRI: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The IRI string, without angle brackets.
    public let value: String

    /// Makes an IRI from a string the caller knows to be absolute.
    public init(_ value: String) {
        self.value = value
    }

    /// IRIs are equal when their code points are: `String`'s `==` would also equate canonically
    /// equivalent strings (NFC and NFD forms), which RDF keeps apart.
    public static func == (lhs: IRI, rhs: IRI) -> Bool { CodePoints.equal(lhs.value, rhs.value) }

    public func hash(into hasher: inout Hasher) { CodePoints.hash(value, into: &hasher) }

    public static func < (lhs: IRI, rhs: IRI) -> Bool { CodePoints.less(lhs.value, rhs.value) }

    /// The IRI in N-Triples form, `<...>`.
    public var description: String { "<\(value)>" }
}
