/// An RDF triple. The subject is an IRI or a blank node; the object is any term.
public struct Triple: Hashable, Sendable, CustomStringConvertible {
    public var subject: Term
    public var predicate: IRI
    public var object: Term

    public init(_ subject: Term, _ predicate: IRI, _ object: Term) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
    }

    /// The triple as one N-Triples line, without the line break.
    public var description: String { "\(subject) \(predicate) \(object) ." }
}
