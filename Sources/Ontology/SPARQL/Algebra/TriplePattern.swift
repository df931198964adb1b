/// A triple pattern of a basic graph pattern or a template.
public struct TriplePattern: Hashable, Sendable, CustomStringConvertible {
    public var subject: TermPattern
    public var predicate: TermPattern
    public var object: TermPattern

    public init(_ subject: TermPattern, _ predicate: TermPattern, _ object: TermPattern) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
    }

    /// `(triple s p o)`.
    public var description: String { "(triple \(subject) \(predicate) \(object))" }
}
