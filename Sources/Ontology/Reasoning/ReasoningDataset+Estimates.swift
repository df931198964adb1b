/// Estimates for the planner: the base's counts for the stored patterns an entailed pattern
/// reads, summed.
extension ReasoningDataset {
    /// At most this many base estimates for one pattern; the rest are taken to be like them.
    private static let estimateLookups = 8

    func computeEstimate(subject: Term?, predicate: Term?, object: Term?, in graphs: GraphSelector) -> Int {
        if let subject, subject.literal != nil { return 0 }
        guard let predicate else {
            // Every stored triple, and about as many again for what the rules add.
            let stored = base.estimatedCount(subject: subject, predicate: nil, object: object, in: graphs)
            return Self.add(stored, stored)
        }
        guard let property = predicate.iri else { return 0 }
        if graphs == .defaultGraph, property == RDFS.subClassOf || property == RDFS.subPropertyOf {
            let closure = property == RDFS.subClassOf ? schema.classes : schema.properties
            return closureQuads(closure, property, subject: subject, object: object).count
        }
        if property == RDF.type { return typeEstimate(subject: subject, object: object, in: graphs) }
        guard let units = schema.derivations.units(of: property) else {
            return base.estimatedCount(subject: subject, predicate: predicate, object: object, in: graphs)
        }
        let counts = units.map { unit -> Int in
            switch unit {
            case .stored(let edge):
                let (from, to) = edge.flipped ? (object, subject) : (subject, object)
                return base.estimatedCount(subject: from, predicate: .iri(edge.predicate), object: to, in: graphs)
            case .closure(let edge):
                // A closure has at least the stored edges; paths add more, by an unknown factor.
                let edges = schema.derivations.closureEdges[edge.predicate] ?? []
                let (from, to) = edge.flipped ? (object, subject) : (subject, object)
                let stored = sampledSum(edges) { closureEdge in
                    let (first, second) = closureEdge.flipped ? (to, from) : (from, to)
                    return self.base.estimatedCount(subject: first, predicate: .iri(closureEdge.predicate), object: second, in: graphs)
                }
                return Self.add(stored, stored)
            }
        }
        return counts.reduce(0, Self.add)
    }

    /// The stored types of the class and its subclasses, plus the triples whose domain or
    /// range gives it; or, for `s rdf:type ?c`, twice the stored types (superclasses).
    private func typeEstimate(subject: Term?, object: Term?, in graphs: GraphSelector) -> Int {
        let type = Term.iri(RDF.type)
        guard let typeClass = object else {
            let stored = base.estimatedCount(subject: subject, predicate: type, object: nil, in: graphs)
            return Self.add(stored, stored)
        }
        let typing = schema.typing
        let classes = schema.classes.descendantsAndSelf(of: typeClass)
        var total = sampledSum(classes) {
            self.base.estimatedCount(subject: subject, predicate: type, object: $0, in: graphs)
        }
        total = Self.add(total, sampledSum(typing.subjectPredicates[typeClass] ?? []) {
            self.base.estimatedCount(subject: subject, predicate: .iri($0), object: nil, in: graphs)
        })
        total = Self.add(total, sampledSum(typing.objectPredicates[typeClass] ?? []) {
            self.base.estimatedCount(subject: nil, predicate: .iri($0), object: subject, in: graphs)
        })
        return total
    }

    /// The sum of `count` over `items`, asking for at most ``estimateLookups`` of them and
    /// scaling up for the rest, since every estimate may cost the base a query.
    private func sampledSum<Item>(_ items: [Item], _ count: (Item) -> Int) -> Int {
        guard !items.isEmpty else { return 0 }
        let asked = items.prefix(Self.estimateLookups)
        let sum = asked.map(count).reduce(0, Self.add)
        guard items.count > asked.count, sum != Int.max else { return sum }
        let (scaled, overflow) = sum.multipliedReportingOverflow(by: items.count)
        return overflow ? Int.max : scaled / asked.count
    }

    /// Addition that stays at `Int.max` ("unknown") instead of overflowing.
    static func add(_ first: Int, _ second: Int) -> Int {
        let (sum, overflow) = first.addingReportingOverflow(second)
        return overflow ? Int.max : sum
    }
}
