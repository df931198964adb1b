/// The triples a ``TurtleWriter`` has been given, grouped by subject and then by predicate (both
/// in order of first appearance, duplicates dropped), with what the writer needs to decide which
/// blank nodes it can write inline as `[ ... ]` or `( ... )`.
struct TurtleGraphIndex {
    struct Group {
        var subject: Term
        var predicates: [IRI] = []
        var objects: [[Term]] = []
    }

    private struct PredicateKey: Hashable {
        var group: Int
        var predicate: IRI
    }

    private(set) var groups: [Group] = []
    private var groupIndex: [Term: Int] = [:]
    private var predicateIndex: [PredicateKey: Int] = [:]
    private var seen: Set<Triple> = []
    /// How many distinct triples have each blank node as object.
    private(set) var objectReferences: [BlankNode: Int] = [:]
    /// The subject and predicate of the first triple that has each blank node as object.
    private var referrers: [BlankNode: (subject: Term, predicate: IRI)] = [:]

    var isEmpty: Bool { groups.isEmpty }

    mutating func add(_ triple: Triple) {
        guard seen.insert(triple).inserted else { return }
        let group: Int
        if let existing = groupIndex[triple.subject] {
            group = existing
        } else {
            group = groups.count
            groups.append(Group(subject: triple.subject))
            groupIndex[triple.subject] = group
        }
        let key = PredicateKey(group: group, predicate: triple.predicate)
        if let slot = predicateIndex[key] {
            groups[group].objects[slot].append(triple.object)
        } else {
            predicateIndex[key] = groups[group].predicates.count
            groups[group].predicates.append(triple.predicate)
            groups[group].objects.append([triple.object])
        }
        if case .blankNode(let node) = triple.object {
            objectReferences[node, default: 0] += 1
            if referrers[node] == nil { referrers[node] = (triple.subject, triple.predicate) }
        }
    }

    /// The index of the group whose subject is `term`.
    func group(of term: Term) -> Int? {
        groupIndex[term]
    }

    /// Every IRI in the graph, datatypes included, each visited once per occurrence.
    func forEachIRI(_ body: (IRI) -> Void) {
        for group in groups {
            if case .iri(let iri) = group.subject { body(iri) }
            for (predicate, objects) in zip(group.predicates, group.objects) {
                body(predicate)
                for object in objects {
                    switch object {
                    case .iri(let iri): body(iri)
                    case .literal(let literal) where literal.language == nil: body(literal.datatype)
                    default: break
                    }
                }
            }
        }
    }

    /// The items of a well-formed collection that starts at `node`: a chain of blank nodes, each
    /// the object of exactly one triple and with exactly one `rdf:first` and one `rdf:rest` and
    /// nothing else, ending in `rdf:nil`.
    func collectionItems(startingAt node: BlankNode) -> (items: [Term], nodes: [BlankNode])? {
        guard let referrer = referrers[node] else { return nil }
        // A node that is the rest of another list node is written as part of that list.
        if referrer.predicate == RDF.rest, case .blankNode(let previous) = referrer.subject,
           listStep(previous) != nil {
            return nil
        }
        var items: [Term] = []
        var nodes: [BlankNode] = []
        var visited = Set<BlankNode>()
        var current = node
        while true {
            guard visited.insert(current).inserted, let (first, rest) = listStep(current) else { return nil }
            items.append(first)
            nodes.append(current)
            if rest == .iri(RDF.nil) { return (items, nodes) }
            guard case .blankNode(let next) = rest else { return nil }
            current = next
        }
    }

    /// `rdf:first` and `rdf:rest` of a blank node that has exactly those and is referenced once.
    private func listStep(_ node: BlankNode) -> (first: Term, rest: Term)? {
        guard objectReferences[node] == 1, let index = groupIndex[.blankNode(node)] else { return nil }
        let group = groups[index]
        guard group.predicates.count == 2, group.objects[0].count == 1, group.objects[1].count == 1 else {
            return nil
        }
        if group.predicates[0] == RDF.first && group.predicates[1] == RDF.rest {
            return (group.objects[0][0], group.objects[1][0])
        }
        if group.predicates[0] == RDF.rest && group.predicates[1] == RDF.first {
            return (group.objects[1][0], group.objects[0][0])
        }
        return nil
    }
}
