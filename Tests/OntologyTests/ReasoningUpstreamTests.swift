import Testing
@testable import Ontology

/// Reasoning over the published SOSA / SSN and IoT-Lite ontologies, in memory and in the store.
struct ReasoningUpstreamTests {
    typealias F = ReasoningFixtures

    /// `../shared/ontologies-upstream` beside the package root (three levels above this file).
    static let upstream: String = {
        let root = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
        return root + "/../shared/ontologies-upstream"
    }()

    /// The SOSA / SSN Turtle modules and IoT-Lite (the `.nt` and `.rdf` files restate them).
    static let files = [
        "sosa-ssn/sosa.ttl", "sosa-ssn/sosa-common.ttl", "sosa-ssn/sosa-observation.ttl",
        "sosa-ssn/sosa-actuation.ttl", "sosa-ssn/sosa-sampling.ttl", "sosa-ssn/sosa-deprecated.ttl",
        "sosa-ssn/ssn.ttl", "sosa-ssn/ssn-common.ttl", "sosa-ssn/ssn-observation.ttl",
        "sosa-ssn/ssn-actuation.ttl", "sosa-ssn/ssn-sampling.ttl", "sosa-ssn/ssn-deprecated.ttl",
        "sosa-ssn/ssn-ext.ttl", "iot-lite/ontology.ttl",
    ]

    static func ontologyTriples() throws -> [Triple] {
        var triples: [Triple] = []
        for file in files {
            try RDFParser.parse(fileAtPath: upstream + "/" + file, format: .turtle) { triples.append($0) }
        }
        return triples
    }

    static let instancePrefixes = """
        @prefix sosa: <http://www.w3.org/ns/sosa/> .
        @prefix ssn: <http://www.w3.org/ns/ssn/> .
        @prefix iot-lite: <http://purl.oclc.org/NET/UNIS/fiware/iot-lite#> .
        @prefix ssnx: <http://purl.oclc.org/NET/ssnx/ssn#> .

        """

    /// A few instances, each typed (or described) by a class or property that the ontologies
    /// relate to others.
    static let instances = instancePrefixes + """
        ex:thermo a sosa:Sensor ; sosa:isSubSystemOf ex:station .
        ex:legacy a ssn:System .
        ex:valve a sosa:Actuator .
        ex:door a iot-lite:ActuatingDevice .
        ex:gateway iot-lite:exposes ex:tag .
        ex:node iot-lite:hasSensingDevice ex:chip .
        ex:slice sosa:hasOriginalSample ex:core .
        """

    static let queryPrefixes = """
        PREFIX sosa: <http://www.w3.org/ns/sosa/>
        PREFIX ssn: <http://www.w3.org/ns/ssn/>
        PREFIX iot-lite: <http://purl.oclc.org/NET/UNIS/fiware/iot-lite#>
        PREFIX ssnx: <http://purl.oclc.org/NET/ssnx/ssn#>

        """

    /// The answers every dataset below must give, by query.
    static let expectations: [(query: String, names: [String])] = [
        // sosa:Sensor, sosa:Actuator ⊑ sosa:System; ssn:System ≡ sosa:System.
        ("SELECT ?x { ?x a sosa:System }", ["legacy", "thermo", "valve"]),
        ("SELECT ?x { ?x a ssn:System }", ["legacy", "thermo", "valve"]),
        // IoT-Lite: ActuatingDevice ⊑ ssnx:Device ⊑ ssnx:System; exposes has range ssnx:Device;
        // hasSensingDevice has range ssnx:SensingDevice ⊑ ssnx:Device, ssnx:Sensor.
        ("SELECT ?x { ?x a ssnx:System }", ["chip", "door", "tag"]),
        ("SELECT ?x { ?x a ssnx:Sensor }", ["chip", "node"]),
        ("SELECT ?x { ?x a iot-lite:Service }", ["gateway"]),
        // ssn-ext: hasOriginalSample has domain and range sosa:Sample.
        ("SELECT ?x { ?x a sosa:Sample }", ["core", "slice"]),
        // Inverses, and an equivalent property of the inverse.
        ("SELECT ?x { ex:station sosa:hasSubSystem ?x }", ["thermo"]),
        ("SELECT ?x { ex:station ssn:hasSubSystem ?x }", ["thermo"]),
        ("SELECT ?x { ex:tag iot-lite:exposedBy ?x }", ["gateway"]),
    ]

    static func check(_ dataset: any QueryableDataset) throws {
        for (query, names) in expectations {
            #expect(try F.names(queryPrefixes + query, over: dataset) == names, "\(query)")
        }
        #expect(try F.names(queryPrefixes + "SELECT ?x { ?x a sosa:System }", over: dataset, reasoning: false) == [])
    }

    @Test func memoryDatasetFindsSubclassInstances() throws {
        var data = MemoryDataset()
        for triple in try Self.ontologyTriples() { data.insert(triple) }
        data = try F.dataset(Self.instances, into: data)
        try Self.check(data)
        let classes = try F.column(Self.queryPrefixes + "SELECT ?c { ?c rdfs:subClassOf sosa:System }", over: data)
        #expect(Set(classes).isSuperset(of: [.iri("http://www.w3.org/ns/sosa/Sensor"), .iri("http://www.w3.org/ns/ssn/System")]))
    }

    @Test func storeDatasetReasonsOverTheUnionOfGraphs() throws {
        try withTemporaryStore { store throws in
            let ontology = Term.iri("urn:x-test:ontology")
            let registration = Term.iri("urn:x-test:registration")
            _ = try store.insert(try Self.ontologyTriples().map { Quad($0, graph: ontology) })
            let instances = try F.dataset(Self.instances).allQuads.map { Quad($0.triple, graph: registration) }
            _ = try store.insert(instances)
            try store.read { snapshot throws in try Self.check(StoreDataset(snapshot)) }

            // A registration's own graph is reasoned about with the schema of the union.
            let inGraph = try store.read { snapshot throws in
                try F.names(Self.queryPrefixes + "SELECT ?x { GRAPH <urn:x-test:registration> { ?x a sosa:System } }",
                            over: StoreDataset(snapshot))
            }
            #expect(inGraph == ["legacy", "thermo", "valve"])

            // A new subclass in the ontology shows in the next query.
            let ex = ReasoningFixtures.ex
            _ = try store.insert([Quad(.iri(ex + "Thermostat"), RDFS.subClassOf, .iri("http://www.w3.org/ns/sosa/Actuator"), graph: ontology),
                                  Quad(.iri(ex + "hall"), RDF.type, .iri(ex + "Thermostat"), graph: registration)])
            let after = try store.read { snapshot throws in
                try F.names(Self.queryPrefixes + "SELECT ?x { ?x a sosa:System }", over: StoreDataset(snapshot))
            }
            #expect(after == ["hall", "legacy", "thermo", "valve"])
        }
    }
}
