import Testing
@testable import Ontology

/// The schema, its cache, and the evaluator's per-query switch.
struct ReasoningSchemaTests {
    typealias F = ReasoningFixtures

    @Test func closuresFollowSubclassesEquivalencesAndCycles() throws {
        let data = try F.dataset("""
            ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:C . ex:C owl:equivalentClass ex:D .
            ex:X rdfs:subClassOf ex:Y . ex:Y rdfs:subClassOf ex:X .
            ex:p rdfs:subPropertyOf ex:q . ex:q owl:equivalentProperty ex:r .
            ex:MyTransitive rdfs:subClassOf owl:TransitiveProperty . ex:t a ex:MyTransitive . ex:u a owl:TransitiveProperty .
            """)
        let schema = RDFSSchema(reading: data)
        #expect(schema.superClasses(of: F.iri("A")) == Set(["A", "B", "C", "D"].map(F.iri)))
        #expect(schema.subClasses(of: F.iri("D")) == Set(["A", "B", "C", "D"].map(F.iri)))
        #expect(schema.superClasses(of: F.iri("X")) == Set(["X", "Y"].map(F.iri)))
        #expect(schema.superProperties(of: IRI(F.ex + "p")) == Set(["p", "q", "r"].map { IRI(F.ex + $0) }))
        #expect(schema.isTransitive(IRI(F.ex + "t")) && schema.isTransitive(IRI(F.ex + "u")))
        #expect(!schema.isTransitive(IRI(F.ex + "p")))
        // Reading a dataset and filtering its triples give the same schema.
        let fromTriples = RDFSSchema(triples: data.allQuads.map(\.triple))
        #expect(fromTriples.tripleCount == schema.tripleCount)
        #expect(fromTriples.isTransitive(IRI(F.ex + "t")))
        #expect(RDFSSchema.empty.isEmpty && !schema.isEmpty)
    }

    @Test func theCacheRebuildsWhenTheStatementsChange() throws {
        var data = try F.dataset("ex:Dog rdfs:subClassOf ex:Animal .")
        let cache = RDFSSchemaCache()
        #expect(cache.schema(reading: data).superClasses(of: F.iri("Dog")).contains(F.iri("Animal")))
        data.insert(Triple(F.iri("Animal"), RDFS.subClassOf, F.iri("Thing")))
        // Without a version, the statements are compared.
        #expect(cache.schema(reading: data).superClasses(of: F.iri("Dog")).contains(F.iri("Thing")))
        // With one, a repeated version is trusted and a new one is checked.
        _ = cache.schema(reading: data, version: 1)
        data.insert(Triple(F.iri("Thing"), RDFS.subClassOf, F.iri("Entity")))
        #expect(!cache.schema(reading: data, version: 1).superClasses(of: F.iri("Dog")).contains(F.iri("Entity")))
        #expect(cache.schema(reading: data, version: 2).superClasses(of: F.iri("Dog")).contains(F.iri("Entity")))
        cache.removeAll()
        #expect(cache.schema(reading: data, version: 2).superClasses(of: F.iri("Dog")).contains(F.iri("Entity")))
    }

    @Test func theEvaluatorSwitchesReasoningPerQuery() throws {
        let data = try F.dataset("ex:rex a ex:Dog . ex:Dog rdfs:subClassOf ex:Animal .")
        let query = try SPARQLParser().parseQuery(F.prefixes + "SELECT ?x { ?x a ex:Animal }")
        let on = try QueryEvaluator(dataset: data, reasoning: true).evaluate(query)
        let off = try QueryEvaluator(dataset: data, reasoning: false).evaluate(query)
        guard case .solutions(_, let found) = on, case .solutions(_, let none) = off else {
            Issue.record("not a SELECT result")
            return
        }
        #expect(found == [[F.iri("rex")]])
        #expect(none.isEmpty)
        let cached = try QueryEvaluator(dataset: data, reasoning: true, schema: RDFSSchemaCache().schema(reading: data)).evaluate(query)
        guard case .solutions(_, let again) = cached else { return }
        #expect(again == found)
    }

    @Test func constructAndDescribeSeeTheEntailments() throws {
        let data = try F.dataset("""
            ex:a ex:hasMother ex:b . ex:hasMother rdfs:subPropertyOf ex:hasParent ; rdfs:range ex:Woman .
            """)
        let construct = try SPARQLParser().parseQuery(F.prefixes + "CONSTRUCT { ?s ex:hasParent ?o } WHERE { ?s ex:hasParent ?o }")
        guard case .graph(let triples) = try QueryEvaluator(dataset: data, reasoning: true).evaluate(construct) else { return }
        #expect(triples == [Triple(F.iri("a"), IRI(F.ex + "hasParent"), F.iri("b"))])
        let describe = try SPARQLParser().parseQuery(F.prefixes + "DESCRIBE ex:b")
        guard case .graph(let described) = try QueryEvaluator(dataset: data, reasoning: true).evaluate(describe) else { return }
        #expect(described == [Triple(F.iri("b"), RDF.type, F.iri("Woman"))])
    }
}
