/// A lazy union of quad sources without duplicates.
///
/// Each source is a closure that starts its lookups only when the union reaches it, so that a
/// query with `LIMIT` or `ASK` that is satisfied by the stored quads never pays for the
/// entailments after them. A quad already returned (same triple and graph) is skipped.
struct QuadUnion {
    private var sources: [() -> AnyIterator<Quad>] = []

    init() {}

    /// Adds a source, run after the ones added before it.
    mutating func add(_ source: @escaping () -> AnyIterator<Quad>) {
        sources.append(source)
    }

    /// Whether no source was added.
    var isEmpty: Bool { sources.isEmpty }

    /// The quads of every source in order, each once; with `deduplicating` false, as the
    /// sources give them (for sources known to be disjoint).
    func makeIterator(deduplicating: Bool = true) -> AnyIterator<Quad> {
        deduplicating ? makeIterator(distinctBy: { $0 }) : concatenated()
    }

    /// The quads of every source in order, one for each key: for sources that all give the
    /// same predicate and object, the subject and graph are enough, and quicker to hash.
    func makeIterator<Key: Hashable>(distinctBy key: @escaping (Quad) -> Key) -> AnyIterator<Quad> {
        let quads = concatenated()
        var seen = Set<Key>()
        return AnyIterator {
            while let quad = quads.next() {
                if seen.insert(key(quad)).inserted { return quad }
            }
            return nil
        }
    }

    private func concatenated() -> AnyIterator<Quad> {
        let sources = self.sources
        var index = 0
        var current: AnyIterator<Quad>?
        return AnyIterator {
            while true {
                if let quad = current?.next() { return quad }
                guard index < sources.count else { return nil }
                current = sources[index]()
                index += 1
            }
        }
    }
}

extension QuadUnion {
    /// A subject in a graph: what tells apart quads that share predicate and object
    /// (the answers to `?x rdf:type C`).
    struct SubjectKey: Hashable {
        var subject: Term
        var graph: Term?

        init(_ quad: Quad) {
            subject = quad.subject
            graph = quad.graph
        }
    }

    /// Subject and object in a graph: what tells apart quads that share the predicate.
    struct SubjectObjectKey: Hashable {
        var subject: Term
        var object: Term
        var graph: Term?

        init(_ quad: Quad) {
            subject = quad.subject
            object = quad.object
            graph = quad.graph
        }
    }

    /// The quads of `quads`, each rewritten by `transform` or dropped when it returns nil.
    static func rewrite(_ quads: AnyIterator<Quad>, _ transform: @escaping (Quad) -> Quad?) -> AnyIterator<Quad> {
        AnyIterator {
            while let quad = quads.next() {
                if let rewritten = transform(quad) { return rewritten }
            }
            return nil
        }
    }

    /// The quads of `quads`, each rewritten into any number of quads by `transform`.
    static func expand(_ quads: AnyIterator<Quad>, _ transform: @escaping (Quad) -> [Quad]) -> AnyIterator<Quad> {
        var pending: [Quad] = []
        var position = 0
        return AnyIterator {
            while true {
                if position < pending.count {
                    position += 1
                    return pending[position - 1]
                }
                guard let quad = quads.next() else { return nil }
                pending = transform(quad)
                position = 0
            }
        }
    }
}
