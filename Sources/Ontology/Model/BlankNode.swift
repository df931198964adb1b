/// A blank node, identified by a label that is only meaningful inside one graph or document.
public struct BlankNode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The label, without the `_:` prefix.
    public let id: String

    public init(_ id: String) {
        self.id = id
    }

    public static func == (lhs: BlankNode, rhs: BlankNode) -> Bool { CodePoints.equal(lhs.id, rhs.id) }

    public func hash(into hasher: inout Hasher) { CodePoints.hash(id, into: &hasher) }

    public static func < (lhs: BlankNode, rhs: BlankNode) -> Bool { CodePoints.less(lhs.id, rhs.id) }

    /// The blank node in N-Triples form, `_:label`.
    public var description: String { "_:\(id)" }
}

/// Hands out fresh blank node labels for one parse.
///
/// Labels carry a random prefix so that nodes made by two parses (or made for anonymous nodes
/// next to labels written in a document) never collide.
public struct BlankNodeGenerator: Sendable {
    private let prefix: String
    private var counter: UInt64 = 0

    public init() {
        var generator = SystemRandomNumberGenerator()
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var prefix = "r"
        for _ in 0..<7 { prefix.append(letters[Int(generator.next() % UInt64(letters.count))]) }
        self.prefix = prefix
    }

    /// A fresh blank node.
    public mutating func next() -> BlankNode {
        counter += 1
        return BlankNode(prefix + String(counter))
    }

    /// The node for a label written in the document. Labels are kept as written, so that a
    /// conversion keeps them; generated labels carry a random prefix and so do not collide.
    public func labelled(_ label: String) -> BlankNode {
        BlankNode(label)
    }
}
