/// The closure of an `owl:TransitiveProperty`, found by walking stored edges from a bound end.
///
/// The edges of a transitive property `p` are the stored triples of every property below it
/// (subproperties and inverses, each in its direction: ``PropertyDerivations/closureEdges``),
/// and its triples are the paths of one or more such edges. A walk stays inside one graph:
/// for a named graph the closure is that graph's own.
extension ReasoningDataset {
    /// A node reached by a walk, with the graph of the edges that reached it.
    private struct Reached: Hashable {
        var node: Term
        var graph: Term?
    }

    /// The triples of the transitive `property` matching the pattern. Some may have a literal
    /// subject (a path that starts at a literal object, read flipped); callers pass them through
    /// ``ReasoningDataset/rewrite(_:as:flipped:)``, which keeps only valid triples.
    func transitiveQuads(_ property: IRI, subject: Term?, object: Term?, in graphs: GraphSelector) -> AnyIterator<Quad> {
        let edges = schema.derivations.closureEdges[property] ?? [PropertyEdge(predicate: property, flipped: false)]
        switch (subject, object) {
        case (let subject?, _):
            // With both ends bound, walking from the subject and keeping the object is as
            // cheap as any check, since the walk has to be done anyway.
            return lazyQuads { [self] in
                walk(from: subject, forward: true, edges: edges, in: graphs).compactMap { reached in
                    if let object, reached.node != object { return nil }
                    return Quad(subject, property, reached.node, graph: reached.graph)
                }
            }
        case (nil, let object?):
            return lazyQuads { [self] in
                walk(from: object, forward: false, edges: edges, in: graphs).map {
                    Quad($0.node, property, object, graph: $0.graph)
                }
            }
        case (nil, nil):
            return allTransitiveQuads(property, edges: edges, in: graphs)
        }
    }

    /// Every triple of the closure: a walk from each node that starts an edge.
    private func allTransitiveQuads(_ property: IRI, edges: [PropertyEdge], in graphs: GraphSelector) -> AnyIterator<Quad> {
        lazyQuads { [self] in
            var starts: [Reached] = []
            var seen = Set<Reached>()
            for edge in edges {
                let stored = base.quads(subject: nil, predicate: .iri(edge.predicate), object: nil, in: graphs)
                while let quad = stored.next() {
                    let start = edge.flipped ? quad.object : quad.subject
                    let reached = Reached(node: start, graph: quad.graph)
                    if seen.insert(reached).inserted { starts.append(reached) }
                }
            }
            var result: [Quad] = []
            for start in starts {
                let scope = start.graph.map { GraphSelector.named($0) } ?? graphs
                for reached in walk(from: start.node, forward: true, edges: edges, in: scope) {
                    result.append(Quad(start.node, property, reached.node, graph: reached.graph))
                }
            }
            return result
        }
    }

    /// The nodes reachable from `start` through one or more edges (forward), or that reach it
    /// (backward), each with its graph.
    ///
    /// A path may go through a literal: `a p "v"` and `b q "v"`, with `q` the inverse of the
    /// transitive `p`, give `"v" p b` and so `a p b`. The triple with the literal subject is
    /// not RDF, but RDF 1.1 Semantics (§9.2.1) reasons with such generalized triples for
    /// completeness; only the answers leave them out (``ReasoningDataset/rewrite(_:as:flipped:)``).
    private func walk(from start: Term, forward: Bool, edges: [PropertyEdge], in graphs: GraphSelector) -> [Reached] {
        var reached: [Reached] = []
        var seen = Set<Reached>()
        var queue: [(node: Term, scope: GraphSelector)] = [(start, graphs)]
        var index = 0
        while index < queue.count {
            let (node, scope) = queue[index]
            index += 1
            for edge in edges {
                // Forward along an unflipped edge is subject to object; a flipped edge, or a
                // backward walk, goes from object to subject; both at once cancel out.
                let subjectToObject = forward != edge.flipped
                let stored = subjectToObject
                    ? base.quads(subject: node, predicate: .iri(edge.predicate), object: nil, in: scope)
                    : base.quads(subject: nil, predicate: .iri(edge.predicate), object: node, in: scope)
                while let quad = stored.next() {
                    let next = subjectToObject ? quad.object : quad.subject
                    let found = Reached(node: next, graph: quad.graph)
                    guard seen.insert(found).inserted else { continue }
                    reached.append(found)
                    // Later steps stay in the graph of the first one.
                    queue.append((next, quad.graph.map { GraphSelector.named($0) } ?? scope))
                }
            }
        }
        return reached
    }

    /// An iterator over quads computed only when first asked for.
    func lazyQuads(_ compute: @escaping () -> [Quad]) -> AnyIterator<Quad> {
        var computed: IndexingIterator<[Quad]>?
        return AnyIterator {
            if computed == nil { computed = compute().makeIterator() }
            return computed?.next()
        }
    }
}
