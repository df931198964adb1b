/// The blank nodes of CONSTRUCT and INSERT templates: each label becomes a fresh node, the same
/// one throughout a solution and a new one in the next (§16.2, SPARQL Update §3.1.3).
struct TemplateBlankNodes {
    private var generator = BlankNodeGenerator()
    private var fresh: [BlankNode: BlankNode] = [:]

    mutating func beginSolution() {
        if !fresh.isEmpty { fresh.removeAll(keepingCapacity: true) }
    }

    mutating func node(for label: BlankNode) -> BlankNode {
        if let known = fresh[label] { return known }
        let made = generator.next()
        fresh[label] = made
        return made
    }
}

extension PatternEvaluator {
    /// A template quad with the solution's values, or nil when a position is unbound or the
    /// result would not be valid RDF (a literal subject, a non-IRI predicate or graph name).
    func instantiate(_ subject: TermPattern, _ predicate: TermPattern, _ object: TermPattern, graph: TermPattern?,
                     in solution: Solution, blankNodes: inout TemplateBlankNodes) -> Quad? {
        func resolve(_ position: TermPattern) -> Term? {
            if case .term(.blankNode(let label)) = position { return .blankNode(blankNodes.node(for: label)) }
            return value(position, solution)
        }
        guard let s = resolve(subject), let p = resolve(predicate)?.iri, let o = resolve(object) else { return nil }
        if case .literal = s { return nil }
        var name: Term?
        if let graph {
            guard let resolved = resolve(graph), resolved.iri != nil else { return nil }
            name = resolved
        }
        return Quad(s, p, o, graph: name)
    }
}
