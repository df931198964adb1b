import Testing
@testable import Ontology

/// Shared by the reasoning tests: small graphs in Turtle and SPARQL queries over them.
enum ReasoningFixtures {
    static let ex = "http://example.org/"
    static let prefixes = """
        PREFIX ex: <http://example.org/>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>

        """

    static func iri(_ local: String) -> Term { .iri(ex + local) }

    /// The Turtle document's triples in the default graph, or in `graph`.
    static func dataset(_ turtle: String, graph: Term? = nil, into dataset: MemoryDataset = MemoryDataset()) throws -> MemoryDataset {
        var result = dataset
        try RDFParser.parse(prefixes + turtle, format: .turtle, baseIRI: ex) { result.insert($0, graph: graph) }
        return result
    }

    /// The rows of a SELECT query, with reasoning unless told otherwise.
    static func rows(_ query: String, over dataset: any QueryableDataset, reasoning: Bool = true) throws -> [[Term?]] {
        let parsed = try SPARQLParser().parseQuery(prefixes + query)
        let source: any QueryableDataset = reasoning ? ReasoningDataset(base: dataset) : dataset
        guard case .solutions(_, let rows) = try QueryEvaluator(dataset: source).evaluate(parsed) else { return [] }
        return rows
    }

    /// The values of the first column of a SELECT query.
    static func column(_ query: String, over dataset: any QueryableDataset, reasoning: Bool = true) throws -> [Term] {
        try rows(query, over: dataset, reasoning: reasoning).compactMap { $0.first ?? nil }
    }

    /// The first column as local names under `ex:` (other terms as written), for short expectations.
    static func names(_ query: String, over dataset: any QueryableDataset, reasoning: Bool = true) throws -> [String] {
        try column(query, over: dataset, reasoning: reasoning).map { term in
            guard let value = term.iri?.value, value.hasPrefix(ex) else { return term.description }
            return String(value.dropFirst(ex.count))
        }.sorted()
    }

    /// Whether an ASK query holds, with reasoning.
    static func ask(_ query: String, over dataset: any QueryableDataset) throws -> Bool {
        let parsed = try SPARQLParser().parseQuery(prefixes + query)
        guard case .boolean(let value) = try QueryEvaluator(dataset: ReasoningDataset(base: dataset)).evaluate(parsed) else { return false }
        return value
    }
}

/// Each rule on a small hand-made graph, through the evaluator, with and without the wrapper.
struct ReasoningDatasetTests {
    typealias F = ReasoningFixtures

    @Test func subclassInstancesAreInstancesOfTheSuperclasses() throws {
        let data = try F.dataset("""
            ex:rex a ex:Dog . ex:tom a ex:Cat .
            ex:Dog rdfs:subClassOf ex:Mammal . ex:Cat rdfs:subClassOf ex:Mammal .
            ex:Mammal rdfs:subClassOf ex:Animal .
            """)
        #expect(try F.names("SELECT ?x { ?x a ex:Animal }", over: data) == ["rex", "tom"])
        #expect(try F.names("SELECT ?x { ?x a ex:Animal }", over: data, reasoning: false) == [])
        #expect(try F.names("SELECT ?c { ex:rex a ?c }", over: data) == ["Animal", "Dog", "Mammal"])
        #expect(try F.names("SELECT ?c { ex:rex a ?c }", over: data, reasoning: false) == ["Dog"])
        // rdfs11: the hierarchy itself is transitive, without reflexive triples.
        #expect(try F.names("SELECT ?c { ?c rdfs:subClassOf ex:Animal }", over: data) == ["Cat", "Dog", "Mammal"])
        #expect(try F.names("SELECT ?c { ex:Dog rdfs:subClassOf ?c }", over: data) == ["Animal", "Mammal"])
        #expect(try F.ask("ASK { ex:tom a ex:Animal }", over: data))
        #expect(try !F.ask("ASK { ex:tom a ex:Dog }", over: data))
    }

    @Test func subpropertyTriplesAreTriplesOfTheSuperproperties() throws {
        let data = try F.dataset("""
            ex:ann ex:hasMother ex:beth . ex:beth ex:hasFather ex:carl .
            ex:hasMother rdfs:subPropertyOf ex:hasParent . ex:hasFather rdfs:subPropertyOf ex:hasParent .
            ex:hasParent rdfs:subPropertyOf ex:hasRelative .
            """)
        #expect(try F.names("SELECT ?o { ex:ann ex:hasRelative ?o }", over: data) == ["beth"])
        #expect(try F.names("SELECT ?s { ?s ex:hasParent ?o }", over: data) == ["ann", "beth"])
        #expect(try F.names("SELECT ?s { ?s ex:hasParent ?o }", over: data, reasoning: false) == [])
        #expect(try F.names("SELECT ?p { ?p rdfs:subPropertyOf ex:hasRelative }", over: data) == ["hasFather", "hasMother", "hasParent"])
        // The evaluator joins over entailed triples like stored ones.
        #expect(try F.names("SELECT ?g { ex:ann ex:hasParent ?p . ?p ex:hasRelative ?g }", over: data) == ["carl"])
    }

    @Test func domainsAndRangesTypeSubjectsAndObjects() throws {
        let data = try F.dataset("""
            ex:ada ex:teaches ex:logic . ex:ada ex:name "Ada" .
            ex:teaches rdfs:domain ex:Teacher ; rdfs:range ex:Course .
            ex:Teacher rdfs:subClassOf ex:Person .
            ex:name rdfs:range ex:Name ; rdfs:domain ex:Named .
            ex:bob ex:lectures ex:math . ex:lectures rdfs:subPropertyOf ex:teaches .
            """)
        #expect(try F.names("SELECT ?x { ?x a ex:Person }", over: data) == ["ada", "bob"])
        #expect(try F.names("SELECT ?x { ?x a ex:Course }", over: data) == ["logic", "math"])
        #expect(try F.names("SELECT ?x { ?x a ex:Person }", over: data, reasoning: false) == [])
        // rdfs3 does not type literals.
        #expect(try F.names("SELECT ?x { ?x a ex:Name }", over: data) == [])
        #expect(try F.names("SELECT ?c { ex:ada a ?c }", over: data) == ["Named", "Person", "Teacher"])
        #expect(try F.names("SELECT ?c { ex:math a ?c }", over: data) == ["Course"])
    }

    @Test func inversesGoBothWays() throws {
        let data = try F.dataset("""
            ex:car ex:hasPart ex:wheel . ex:hasPart owl:inverseOf ex:partOf .
            ex:box ex:contains ex:pen . ex:isIn owl:inverseOf ex:contains .
            ex:partOf rdfs:domain ex:Component .
            """)
        #expect(try F.names("SELECT ?o { ex:wheel ex:partOf ?o }", over: data) == ["car"])
        #expect(try F.names("SELECT ?s { ?s ex:partOf ex:car }", over: data) == ["wheel"])
        #expect(try F.names("SELECT ?o { ex:pen ex:isIn ?o }", over: data) == ["box"])
        #expect(try F.names("SELECT ?o { ex:pen ex:isIn ?o }", over: data, reasoning: false) == [])
        // The domain of the inverse types the object of the stored triple.
        #expect(try F.names("SELECT ?x { ?x a ex:Component }", over: data) == ["wheel"])
        #expect(try F.rows("SELECT ?s ?o { ?s ex:isIn ?o }", over: data) == [[F.iri("pen"), F.iri("box")]])
    }

    @Test func transitivePropertiesAreClosed() throws {
        let data = try F.dataset("""
            ex:partOf a owl:TransitiveProperty . ex:hasPart owl:inverseOf ex:partOf .
            ex:a ex:partOf ex:b . ex:b ex:partOf ex:c . ex:c ex:partOf ex:d .
            ex:x ex:directlyIn ex:a . ex:directlyIn rdfs:subPropertyOf ex:partOf .
            """)
        #expect(try F.names("SELECT ?o { ex:a ex:partOf ?o }", over: data) == ["b", "c", "d"])
        #expect(try F.names("SELECT ?s { ?s ex:partOf ex:d }", over: data) == ["a", "b", "c", "x"])
        #expect(try F.names("SELECT ?o { ex:x ex:partOf ?o }", over: data) == ["a", "b", "c", "d"])
        #expect(try F.names("SELECT ?s { ?s ex:partOf ex:d }", over: data, reasoning: false) == ["c"])
        // The inverse of a transitive property is closed too.
        #expect(try F.names("SELECT ?x { ex:d ex:hasPart ?x }", over: data) == ["a", "b", "c", "x"])
        #expect(try F.rows("SELECT ?s ?o { ?s ex:partOf ?o }", over: data).count == 10)
        #expect(try F.ask("ASK { ex:x ex:partOf ex:d }", over: data))
        #expect(try !F.ask("ASK { ex:d ex:partOf ex:x }", over: data))
    }

    @Test func equivalentClassesAndPropertiesWorkBothWays() throws {
        let data = try F.dataset("""
            ex:Car owl:equivalentClass ex:Automobile .
            ex:herbie a ex:Car . ex:kitt a ex:Automobile .
            ex:drives owl:equivalentProperty ex:operates .
            ex:ann ex:drives ex:herbie . ex:bob ex:operates ex:kitt .
            """)
        #expect(try F.names("SELECT ?x { ?x a ex:Automobile }", over: data) == ["herbie", "kitt"])
        #expect(try F.names("SELECT ?x { ?x a ex:Car }", over: data) == ["herbie", "kitt"])
        #expect(try F.names("SELECT ?x { ?x ex:drives ?y }", over: data) == ["ann", "bob"])
        #expect(try F.names("SELECT ?x { ?x ex:operates ?y }", over: data) == ["ann", "bob"])
        // Equivalence makes each class a subclass of itself (rdfs11 through the cycle).
        #expect(try F.names("SELECT ?c { ?c rdfs:subClassOf ex:Car }", over: data) == ["Automobile", "Car"])
    }

    @Test func cyclesInTheHierarchiesTerminate() throws {
        let data = try F.dataset("""
            ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:C . ex:C rdfs:subClassOf ex:A .
            ex:p rdfs:subPropertyOf ex:q . ex:q rdfs:subPropertyOf ex:p .
            ex:q owl:inverseOf ex:r . ex:r owl:inverseOf ex:p . ex:r rdfs:subPropertyOf ex:q .
            ex:t a owl:TransitiveProperty . ex:t rdfs:subPropertyOf ex:t . ex:t owl:inverseOf ex:t .
            ex:x a ex:A . ex:x ex:p ex:y . ex:m ex:t ex:n . ex:n ex:t ex:m .
            """)
        #expect(try F.names("SELECT ?c { ex:x a ?c }", over: data) == ["A", "B", "C"])
        #expect(try F.names("SELECT ?x { ?x a ex:C }", over: data) == ["x"])
        #expect(try F.names("SELECT ?c { ?c rdfs:subClassOf ex:A }", over: data) == ["A", "B", "C"])
        // p, q and r all hold both ways round: r is an inverse of q, and a subproperty of it.
        #expect(try F.rows("SELECT ?s ?o { ?s ex:q ?o }", over: data).count == 2)
        #expect(try F.rows("SELECT ?s ?o { ?s ex:t ?o }", over: data).count == 4)
        #expect(try F.rows("SELECT * { ?s ?p ?o }", over: data).count > 0)
    }

    @Test func noTripleIsReturnedTwice() throws {
        let data = try F.dataset("""
            ex:rex a ex:Dog , ex:Mammal . ex:Dog rdfs:subClassOf ex:Mammal .
            ex:rex ex:hasOwner ex:ann . ex:hasOwner rdfs:domain ex:Mammal ; rdfs:subPropertyOf ex:knows .
            ex:rex ex:knows ex:ann .
            """)
        let reasoning = ReasoningDataset(base: data)
        let mammals = Array(reasoning.quads(subject: nil, predicate: .iri(RDF.type), object: F.iri("Mammal"), in: .defaultGraph))
        #expect(mammals == [Quad(F.iri("rex"), RDF.type, F.iri("Mammal"))])
        let knows = Array(reasoning.quads(subject: F.iri("rex"), predicate: F.iri("knows"), object: nil, in: .defaultGraph))
        #expect(knows.count == 1)
        for subject in [nil, F.iri("rex")] {
            let all = Array(reasoning.quads(subject: subject, predicate: nil, object: nil, in: .defaultGraph))
            #expect(all.count == Set(all).count)
            #expect(Set(all).isSuperset(of: data.allQuads.filter { subject == nil || $0.subject == subject }))
        }
    }

    @Test func unboundPredicatesSeeEveryEntailment() throws {
        let data = try F.dataset("""
            ex:a ex:hasMother ex:b . ex:hasMother rdfs:subPropertyOf ex:hasParent .
            ex:hasParent owl:inverseOf ex:hasChild . ex:hasMother rdfs:range ex:Woman .
            ex:Woman rdfs:subClassOf ex:Person .
            """)
        let aboutB = try F.rows("SELECT ?p ?o { ex:b ?p ?o }", over: data)
        #expect(Set(aboutB.map { $0.compactMap { $0 } }) == [
            [.iri(RDF.type), F.iri("Woman")], [.iri(RDF.type), F.iri("Person")], [F.iri("hasChild"), F.iri("a")],
        ])
        let toB = try F.rows("SELECT ?s ?p { ?s ?p ex:b }", over: data)
        #expect(Set(toB.map { $0.compactMap { $0 } }) == [[F.iri("a"), F.iri("hasMother")], [F.iri("a"), F.iri("hasParent")]])
        #expect(try F.rows("SELECT ?p { ex:a ?p ex:b }", over: data).count == 2)
    }

    @Test func namedGraphsReasonWithinThemselvesWithTheDefaultSchema() throws {
        var data = try F.dataset("""
            ex:Dog rdfs:subClassOf ex:Animal . ex:partOf a owl:TransitiveProperty .
            """)
        data = try F.dataset("ex:rex a ex:Dog . ex:a ex:partOf ex:b .", graph: F.iri("g1"), into: data)
        data = try F.dataset("ex:tom a ex:Dog . ex:b ex:partOf ex:c .", graph: F.iri("g2"), into: data)
        let rows = try F.rows("SELECT ?x ?g { GRAPH ?g { ?x a ex:Animal } }", over: data)
        #expect(Set(rows) == [[F.iri("rex"), F.iri("g1")], [F.iri("tom"), F.iri("g2")]])
        #expect(try F.names("SELECT ?x { GRAPH ex:g2 { ?x a ex:Animal } }", over: data) == ["tom"])
        // Each graph's closure is its own: a partOf c would need both graphs.
        #expect(try F.names("SELECT ?o { GRAPH ?g { ex:a ex:partOf ?o } }", over: data) == ["b"])
        #expect(try F.names("SELECT ?o { GRAPH ex:g1 { ex:a ex:partOf ?o } }", over: data) == ["b"])
        // MemoryDataset's default graph holds only the schema here.
        #expect(try F.names("SELECT ?x { ?x a ex:Animal }", over: data) == [])
    }

    @Test func aChangedSchemaShowsInTheNextQuery() throws {
        var data = try F.dataset("ex:rex a ex:Dog .")
        #expect(try F.names("SELECT ?x { ?x a ex:Animal }", over: data) == [])
        data.insert(Triple(F.iri("Dog"), RDFS.subClassOf, F.iri("Animal")))
        #expect(try F.names("SELECT ?x { ?x a ex:Animal }", over: data) == ["rex"])
        data.delete(Quad(F.iri("Dog"), RDFS.subClassOf, F.iri("Animal")))
        #expect(try F.names("SELECT ?x { ?x a ex:Animal }", over: data) == [])
    }

    @Test func estimatesFollowTheBaseAndCoverTheEntailments() throws {
        let data = try F.dataset("""
            ex:a a ex:Dog . ex:b a ex:Dog . ex:c a ex:Animal . ex:Dog rdfs:subClassOf ex:Animal .
            ex:d ex:name "D" .
            """)
        let reasoning = ReasoningDataset(base: data)
        let animals = reasoning.estimatedCount(subject: nil, predicate: .iri(RDF.type), object: F.iri("Animal"), in: .defaultGraph)
        // The stored types of Animal and Dog, as the base counts them (at least the three answers).
        #expect(animals >= 3 && animals < 10)
        let names = reasoning.estimatedCount(subject: nil, predicate: F.iri("name"), object: nil, in: .defaultGraph)
        #expect(names == data.estimatedCount(subject: nil, predicate: F.iri("name"), object: nil, in: .defaultGraph))
        #expect(reasoning.estimatedCount(subject: nil, predicate: .iri(RDFS.subClassOf), object: nil, in: .defaultGraph) == 1)
    }

    @Test func anEmptySchemaPassesEverythingThrough() throws {
        let data = try F.dataset("ex:a ex:p ex:b . ex:a a ex:C .")
        let reasoning = ReasoningDataset(base: data)
        #expect(reasoning.schema.isEmpty)
        #expect(Array(reasoning.quads(subject: nil, predicate: nil, object: nil, in: .defaultGraph)) == data.allQuads)
    }
}
