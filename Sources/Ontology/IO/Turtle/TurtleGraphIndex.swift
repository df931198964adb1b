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

    /// Lists longer than this get a hash index; shorter ones are searched, which is faster and
    /// saves memory in the common case of a few predicates per subject and objects per predicate.
    private static let linearSearchLimit = 12

    private(set) var groups: [Group] = []
    private var groupIndex: [Term: Int] = [:]
    private var lastGroup: Int?
    /// Predicate slots, only for groups with many predicates.
    private var predicateIndex: [PredicateKey: Int] = [:]
    /// Object sets, only for predicates with many objects.
    private var objectIndex: [PredicateKey: Set<Term>] = [:]
    /// How many distinct triples have each blank node as object.
    private(set) var objectReferences: [BlankNode: Int] = [:]
    /// The subject and predicate of the first triple that has each blank node as object.
    private var referrers: [BlankNode: (subject: Term, predicate: IRI)] = [:]

    /// Adds a triple, unless the graph has it already.
    mutating func add(_ triple: Triple) {
        let group = groupIndex(for: triple.subject)
        let key = PredicateKey(group: group, predicate: triple.predicate)
        if let slot = predicateSlot(key) {
            guard insertObject(triple.object, key: key, slot: slot) else { return }
        } else {
            let count = groups[group].predicates.count
            groups[group].predicates.append(triple.predicate)
            groups[group].objects.append([triple.object])
            if count + 1 > Self.linearSearchLimit {
                if count == Self.linearSearchLimit {
                    for (k, predicate) in groups[group].predicates.enumerated() {
                        predicateIndex[PredicateKey(group: group, predicate: predicate)] = k
                    }
                } else {
                    predicateIndex[key] = count
                }
            }
        }
        if case .blankNode(let node) = triple.object {
            objectReferences[node, default: 0] += 1
            if referrers[node] == nil { referrers[node] = (triple.subject, triple.predicate) }
        }
    }

    private mutating func groupIndex(for subject: Term) -> Int {
        // Input usually comes grouped by subject already.
        if let lastGroup, groups[lastGroup].subject == subject { return lastGroup }
        let group: Int
        if let existing = groupIndex[subject] {
            group = existing
        } else {
            group = groups.count
            groups.append(Group(subject: subject))
            groupIndex[subject] = group
        }
        lastGroup = group
        return group
    }

    private func predicateSlot(_ key: PredicateKey) -> Int? {
        let predicates = groups[key.group].predicates
        if predicates.count > Self.linearSearchLimit { return predicateIndex[key] }
        return predicates.firstIndex(of: key.predicate)
    }

    /// Appends an object to a predicate's list; false when it is there already.
    private mutating func insertObject(_ object: Term, key: PredicateKey, slot: Int) -> Bool {
        let count = groups[key.group].objects[slot].count
        if count < Self.linearSearchLimit {
            guard !groups[key.group].objects[slot].contains(object) else { return false }
        } else {
            if count == Self.linearSearchLimit && objectIndex[key] == nil {
                objectIndex[key] = Set(groups[key.group].objects[slot])
            }
            guard objectIndex[key, default: []].insert(object).inserted else { return false }
        }
        groups[key.group].objects[slot].append(object)
        return true
    }

    /// The index of the group whose subject is `term`.
    func group(of term: Term) -> Int? {
        groupIndex[term]
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
