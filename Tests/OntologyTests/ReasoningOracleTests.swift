import Testing
@testable import Ontology

/// Random small graphs, answered by ``ReasoningDataset`` for every pattern shape and compared
/// with a naive forward-chaining closure of the same rules.
struct ReasoningOracleTests {
    /// A reproducible generator (SplitMix64), so that a failure can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let ex = "http://example.org/"
    static let nodes: [Term] = (0..<5).map { .iri(ex + "n\($0)") }
    static let classes: [Term] = (0..<4).map { .iri(ex + "C\($0)") }
    static let properties: [IRI] = (0..<4).map { IRI(ex + "p\($0)") }
    static let literal = Term.literal(Literal("L"))

    /// The naive closure: the rules applied to every triple until nothing new appears.
    ///
    /// Intermediate triples may have a literal subject (generalized RDF, as RDF 1.1 Semantics
    /// §9.2.1 allows for completeness: `s p "v"` with `p` the inverse of `q` gives `"v" q s`,
    /// which types `s` by the range of `q`); the answer keeps only valid triples.
    static func materialize(_ stored: Set<Triple>, schema schemaTriples: Set<Triple>) -> Set<Triple> {
        let schema = RDFSSchema(triples: schemaTriples)
        let opaque = RDFSSchema.schemaPredicates
        var domains: [IRI: [Term]] = [:], ranges: [IRI: [Term]] = [:], inverses: [IRI: [IRI]] = [:]
        for triple in schemaTriples {
            guard let property = triple.subject.iri else { continue }
            if triple.predicate == RDFS.domain { domains[property, default: []].append(triple.object) }
            if triple.predicate == RDFS.range { ranges[property, default: []].append(triple.object) }
            if triple.predicate == OWL.inverseOf, let other = triple.object.iri {
                inverses[property, default: []].append(other)
                inverses[other, default: []].append(property)
            }
        }
        var triples = stored
        while true {
            var added: [Triple] = []
            for triple in triples {
                let p = triple.predicate
                if p == RDF.type {
                    for sup in schema.superClasses(of: triple.object) { added.append(Triple(triple.subject, RDF.type, sup)) }
                    continue
                }
                guard !opaque.contains(p) else { continue }
                for sup in schema.superProperties(of: p) where !opaque.contains(sup) {
                    added.append(Triple(triple.subject, sup, triple.object))
                }
                for inverse in inverses[p] ?? [] where !opaque.contains(inverse) {
                    added.append(Triple(triple.object, inverse, triple.subject))
                }
                for range in ranges[p] ?? [] { added.append(Triple(triple.object, RDF.type, range)) }
                for domain in domains[p] ?? [] { added.append(Triple(triple.subject, RDF.type, domain)) }
                if schema.isTransitive(p) {
                    for next in triples where next.predicate == p && next.subject == triple.object {
                        added.append(Triple(triple.subject, p, next.object))
                    }
                }
            }
            let before = triples.count
            triples.formUnion(added)
            if triples.count == before { break }
        }
        triples = triples.filter { $0.subject.literal == nil }
        // rdfs5, rdfs11: the hierarchies, closed (in the default graph only).
        guard stored.isSuperset(of: schemaTriples) else { return triples }
        for pair in schema.classes.pairs where pair.from.literal == nil {
            triples.insert(Triple(pair.from, RDFS.subClassOf, pair.to))
        }
        for pair in schema.properties.pairs where pair.from.literal == nil {
            triples.insert(Triple(pair.from, RDFS.subPropertyOf, pair.to))
        }
        return triples
    }

    static func randomGraph(_ random: inout SeededGenerator) -> (schema: [Triple], data: [Triple]) {
        var schema: [Triple] = []
        for _ in 0..<Int.random(in: 2...9, using: &random) {
            let p = properties.randomElement(using: &random) ?? properties[0]
            let q = properties.randomElement(using: &random) ?? properties[0]
            let c = classes.randomElement(using: &random) ?? classes[0]
            let d = classes.randomElement(using: &random) ?? classes[0]
            switch Int.random(in: 0..<8, using: &random) {
            case 0: schema.append(Triple(c, RDFS.subClassOf, d))
            case 1: schema.append(Triple(c, OWL.equivalentClass, d))
            case 2: schema.append(Triple(.iri(p), RDFS.subPropertyOf, .iri(q)))
            case 3: schema.append(Triple(.iri(p), OWL.equivalentProperty, .iri(q)))
            case 4: schema.append(Triple(.iri(p), RDFS.domain, c))
            case 5: schema.append(Triple(.iri(p), RDFS.range, c))
            case 6: schema.append(Triple(.iri(p), OWL.inverseOf, .iri(q)))
            default: schema.append(Triple(.iri(p), RDF.type, .iri(OWL.transitiveProperty)))
            }
        }
        var data: [Triple] = []
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            let s = nodes.randomElement(using: &random) ?? nodes[0]
            let o = Int.random(in: 0..<6, using: &random) == 0 ? literal : nodes.randomElement(using: &random) ?? nodes[0]
            if Int.random(in: 0..<4, using: &random) == 0 {
                data.append(Triple(s, RDF.type, classes.randomElement(using: &random) ?? classes[0]))
            } else {
                data.append(Triple(s, properties.randomElement(using: &random) ?? properties[0], o))
            }
        }
        return (schema, data)
    }

    @Test(arguments: 0..<6)
    func answersMatchTheNaiveClosure(batch: Int) throws {
        var random = SeededGenerator(state: UInt64(batch) &* 7919)
        let subjects: [Term?] = [nil] + Self.nodes
        let predicates: [Term?] = [nil, .iri(RDF.type), .iri(RDFS.subClassOf), .iri(RDFS.subPropertyOf)] + Self.properties.map { .iri($0) }
        let objects: [Term?] = [nil, Self.literal] + Self.nodes + Self.classes + Self.properties.map { .iri($0) }
        for round in 0..<30 {
            let (schema, data) = Self.randomGraph(&random)
            var dataset = MemoryDataset()
            for triple in schema + data { dataset.insert(triple) }
            // The same data again in a named graph: reasoned about alone, with the default schema.
            let graph = Term.iri(Self.ex + "g")
            for triple in data { dataset.insert(triple, graph: graph) }
            let schemaSet = Set(schema)
            let closed = Self.materialize(Set(schema + data), schema: schemaSet)
            let closedInGraph = Self.materialize(Set(data), schema: schemaSet)
            let reasoning = ReasoningDataset(base: dataset)
            let context = "batch \(batch) round \(round): \(schema) \(data)"
            for subject in subjects {
                for predicate in predicates {
                    for object in objects {
                        func matches(_ triple: Triple) -> Bool {
                            (subject == nil || triple.subject == subject) && (predicate == nil || .iri(triple.predicate) == predicate)
                                && (object == nil || triple.object == object)
                        }
                        let pattern = "\(subject?.description ?? "?s") \(predicate?.description ?? "?p") \(object?.description ?? "?o")"
                        let found = Array(reasoning.quads(subject: subject, predicate: predicate, object: object, in: .defaultGraph))
                        let wanted = closed.filter(matches)
                        let got = Set(found.map(\.triple))
                        #expect(found.count == got.count, "duplicates for \(pattern); \(context)")
                        #expect(got.subtracting(wanted) == [] && wanted.subtracting(got) == [],
                                "\(pattern): extra \(got.subtracting(wanted)), missing \(wanted.subtracting(got)); \(context)")
                        // In a named graph, the schema closure is not restated; all else is.
                        let named = Array(reasoning.quads(subject: subject, predicate: predicate, object: object, in: .named(graph)))
                        let wantedInGraph = closedInGraph.filter {
                            matches($0) && $0.predicate != RDFS.subClassOf && $0.predicate != RDFS.subPropertyOf
                        }
                        let gotInGraph = Set(named.map(\.triple))
                        #expect(named.allSatisfy { $0.graph == graph })
                        let anyNamed = Array(reasoning.quads(subject: subject, predicate: predicate, object: object, in: .anyNamed))
                        #expect(Set(anyNamed) == Set(named) && anyNamed.count == named.count, "any named \(pattern); \(context)")
                        #expect(gotInGraph.subtracting(wantedInGraph) == [] && wantedInGraph.subtracting(gotInGraph) == [],
                                "named \(pattern): extra \(gotInGraph.subtracting(wantedInGraph)), missing \(wantedInGraph.subtracting(gotInGraph)); \(context)")
                        if found.count != got.count || got != wanted || gotInGraph != wantedInGraph { return }
                    }
                }
            }
        }
    }
}
