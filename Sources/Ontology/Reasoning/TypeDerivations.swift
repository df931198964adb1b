/// Which classes the subjects and objects of stored triples belong to, by rdfs2 (domain),
/// rdfs3 (range) and rdfs9 (subclasses), through every property the stored one feeds.
///
/// A stored `s q o` is a triple of each property `p` it feeds (``PropertyDerivations``), so it
/// types `s` with the domains of `p` and `o` with its ranges, or the other way round when it
/// feeds `p` flipped (an inverse). Transitivity adds no new subjects or objects, so it can be
/// ignored here. The tables are indexed both ways: by stored predicate (for `s rdf:type ?c`)
/// and by class (for `?x rdf:type C`).
struct TypeDerivations: Sendable {
    /// For each stored predicate, the classes its subjects get, superclasses included.
    private(set) var subjectClasses: [IRI: [Term]] = [:]
    /// For each stored predicate, the classes its objects get (when not literals).
    private(set) var objectClasses: [IRI: [Term]] = [:]
    /// For each class, the stored predicates whose subjects get it.
    private(set) var subjectPredicates: [Term: [IRI]] = [:]
    /// For each class, the stored predicates whose objects get it.
    private(set) var objectPredicates: [Term: [IRI]] = [:]
    /// The stored predicates whose subjects get some class.
    private(set) var typingSubjectPredicates: [IRI] = []
    /// The stored predicates whose objects get some class.
    private(set) var typingObjectPredicates: [IRI] = []

    /// - Parameters:
    ///   - described: the properties with a domain or range, in a stable order.
    init(domains: [IRI: [Term]], ranges: [IRI: [Term]], described: [IRI], derivations: PropertyDerivations,
         classes: TransitiveClosure<Term>, excluded: Set<IRI>) {
        func closed(_ direct: [Term]?) -> [Term] {
            var seen = Set<Term>()
            return (direct ?? []).flatMap { classes.ancestorsAndSelf(of: $0) }.filter { seen.insert($0).inserted }
        }
        var subjectSets: [IRI: Set<Term>] = [:]
        var objectSets: [IRI: Set<Term>] = [:]
        func add(_ classes: [Term], to table: inout [IRI: [Term]], _ sets: inout [IRI: Set<Term>], for predicate: IRI,
                 _ order: inout [IRI]) {
            guard !classes.isEmpty else { return }
            if sets[predicate] == nil { order.append(predicate) }
            for term in classes where sets[predicate, default: []].insert(term).inserted {
                table[predicate, default: []].append(term)
            }
        }
        for property in described where !excluded.contains(property) {
            let domain = closed(domains[property])
            let range = closed(ranges[property])
            for edge in derivations.reachableEdges(from: property, stoppingAtTransitive: false) {
                let (subjectGets, objectGets) = edge.flipped ? (range, domain) : (domain, range)
                add(subjectGets, to: &subjectClasses, &subjectSets, for: edge.predicate, &typingSubjectPredicates)
                add(objectGets, to: &objectClasses, &objectSets, for: edge.predicate, &typingObjectPredicates)
            }
        }
        for predicate in typingSubjectPredicates {
            for term in subjectClasses[predicate] ?? [] { subjectPredicates[term, default: []].append(predicate) }
        }
        for predicate in typingObjectPredicates {
            for term in objectClasses[predicate] ?? [] { objectPredicates[term, default: []].append(predicate) }
        }
    }

    /// Whether no stored triple types anything.
    var isEmpty: Bool { subjectClasses.isEmpty && objectClasses.isEmpty }
}
