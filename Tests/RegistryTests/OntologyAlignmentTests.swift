import Foundation
import Testing
import Ontology
@testable import Registry

/// The project's ontologies against IoT-Lite, SOSA/SSN and a domain ontology: registrations
/// are found with the upstream vocabularies under RDFS reasoning, and every term of the ms:/sp:
/// contract is declared and documented.
struct OntologyAlignmentTests {
    /// The SOSA/SSN core modules (`sosa.ttl` and `ssn.ttl` import the others).
    static let sosaSSN = [
        "sosa.ttl", "sosa-common.ttl", "sosa-observation.ttl", "sosa-actuation.ttl", "sosa-sampling.ttl",
        "ssn.ttl", "ssn-common.ttl", "ssn-observation.ttl", "ssn-actuation.ttl", "ssn-sampling.ttl",
    ]

    /// A registry whose store holds the ontologies, the domain ontology and two registrations.
    static func fixture() async throws -> RegistryFixture {
        let fixture = try RegistryFixture()
        try fixture.load("ontologies/microservice.rdf", graph: MS.graph)
        try fixture.load("ontologies/service-profile.rdf", graph: SP.graph)
        let upstream = Paths.shared.appendingPathComponent("ontologies-upstream")
        try fixture.load(path: upstream.appendingPathComponent("iot-lite/ontology.ttl").path,
                         graph: "http://purl.oclc.org/NET/UNIS/fiware/iot-lite")
        for file in sosaSSN {
            try fixture.load(path: upstream.appendingPathComponent("sosa-ssn/" + file).path, graph: "urn:x-test:sosa-ssn:" + file)
        }
        try fixture.load("examples/domain/weight-management.rdf", graph: "http://example.org/weight-management")
        for example in ["wristband", "weather"] {
            try await fixture.registry.register(.manifest(try Manifests.example("examples/weight-management/\(example).json"), source: .manifest))
        }
        return fixture
    }

    static let wristbandDevice = "urn:registryd:device:wristband-edb15825"
    static let weatherDevice = "urn:registryd:device:kphx-station"

    @Test func upstreamOntologiesArePresent() throws {
        let upstream = Paths.shared.appendingPathComponent("ontologies-upstream")
        for file in ["iot-lite/ontology.ttl"] + Self.sosaSSN.map({ "sosa-ssn/" + $0 }) {
            #expect(FileManager.default.fileExists(atPath: upstream.appendingPathComponent(file).path), "\(file)")
        }
    }

    @Test func microservicesAreIoTLiteServices() async throws {
        let fixture = try await Self.fixture()
        let services = try fixture.column("SELECT ?name WHERE { ?s a iot-lite:Service ; a ms:Microservice ; ms:name ?name }")
        #expect(services == ["snac.asu.edu/Weather", "snac.asu.edu/Wristband"])
        let iotLite = try fixture.column("SELECT ?s WHERE { ?s a iot-lite:Service }")
        #expect(Set(iotLite).isSuperset(of: [Self.serviceIRI("wristband-edb15825"), Self.serviceIRI("weather-cloud-1")]))
        // Without reasoning the services are only ms:Microservice.
        #expect(try fixture.column("SELECT ?s WHERE { ?s a iot-lite:Service }", reasoning: false) == [])
        // ms:exposes is an iot-lite:exposes, and the inverse iot-lite:exposedBy follows.
        #expect(try fixture.column("SELECT ?d WHERE { <\(Self.serviceIRI("wristband-edb15825"))> iot-lite:exposes ?d }") == [Self.wristbandDevice])
        #expect(try fixture.column("SELECT ?s WHERE { <\(Self.wristbandDevice)> iot-lite:exposedBy ?s }").contains(Self.serviceIRI("wristband-edb15825")))
        // ms:instanceOf is the inverse of ms:hasInstance.
        #expect(try fixture.column("SELECT ?s WHERE { ?i ms:registrationId \"weather-cloud-1\" ; ms:instanceOf ?s }")
                == [Self.serviceIRI("weather-cloud-1")])
    }

    static func serviceIRI(_ id: String) -> String { ManifestGraph.graphIRI(registrationID: id) + "#service" }

    @Test func domainDevicesAreSOSASensors() async throws {
        let fixture = try await Self.fixture()
        #expect(try fixture.ask("ASK { <\(Self.wristbandDevice)> a sosa:Sensor }"))
        #expect(!(try fixture.ask("ASK { <\(Self.wristbandDevice)> a sosa:Sensor }", reasoning: false)))
        #expect(try fixture.ask("ASK { <\(Self.wristbandDevice)> a wm:Wristband }", reasoning: false))
        // docs/manifest.md §6: every sensor some service exposes.
        let rows = try fixture.select("""
            SELECT ?service ?device WHERE {
              ?svc a ms:Microservice ; ms:name ?service ; ms:exposes ?device .
              ?device a sosa:Sensor .
            } ORDER BY ?service
            """)
        let pairs = rows.map { row in row.map { $0?.iri?.value ?? $0?.literal?.lexicalForm ?? "" } }
        #expect(pairs == [["snac.asu.edu/Weather", Self.weatherDevice], ["snac.asu.edu/Wristband", Self.wristbandDevice]])
        // What the wristband observes is an observable property.
        #expect(try fixture.column("SELECT ?p WHERE { <\(Self.wristbandDevice)> sosa:observes ?p . ?p a sosa:ObservableProperty }")
                == ["http://example.org/weight-management#CaloriesBurned", "http://example.org/weight-management#HeartRate",
                    "http://example.org/weight-management#StepCount"])
        // Channels by what they publish, with endpoints typed ms:Endpoint (§6's second query).
        let channels = try fixture.column("""
            SELECT ?channel WHERE {
              ?obj ms:hasEventChannel ?c . ?c ms:name ?channel ; ms:publishesProperty wm:HeartRate ; ms:hasEndpoint ?e .
              ?e a ms:Endpoint ; ms:servedBy ?inst . ?inst ms:healthStatus ms:Healthy ; ms:deploymentTier ?tier .
              FILTER (?tier IN (ms:EdgeTier, ms:DeviceTier))
            }
            """)
        #expect(channels == ["heartRate", "heartRate"], "one row per endpoint (MQTT and CoAP)")
        // Methods are service profiles, endpoint subclasses are endpoints.
        #expect(try fixture.column("SELECT ?n WHERE { ?m a sp:ServiceProfile ; ms:name ?n ; sp:hasOutput ?o . ?o sp:parameterName \"forecast\" }")
                == ["getForecast"])
        #expect(try fixture.ask("ASK { ?e a ms:AMQPEndpoint ; ms:exchange \"weather\" }"))
    }

    /// The ms: and sp: terms of the registry specification.
    static let contractClasses = [
        "ms:Microservice", "ms:ServiceInstance", "ms:VirtualObject", "ms:Method", "ms:EventChannel", "ms:Endpoint",
        "ms:RESTEndpoint", "ms:CoAPEndpoint", "ms:MQTTEndpoint", "ms:AMQPEndpoint", "ms:DeploymentTier", "ms:HealthStatus",
        "ms:Host", "ms:HostStatus", "ms:Site",
        "sp:ServiceProfile", "sp:Parameter", "sp:Input", "sp:Output", "sp:Condition", "sp:Precondition", "sp:Result",
        "sp:ServiceLevelAgreement",
    ]
    static let contractProperties = [
        "ms:name", "ms:version", "ms:site", "ms:hasInstance", "ms:instanceOf", "ms:registrationId", "ms:hasVirtualObject",
        "ms:hasMethod", "ms:hasEventChannel", "ms:hasEndpoint", "ms:servedBy", "ms:protocol", "ms:address", "ms:httpMethod",
        "ms:topic", "ms:exchange", "ms:queue", "ms:routingKey", "ms:contentType", "ms:deploymentTier", "ms:hostName",
        "ms:runsOn", "ms:healthStatus", "ms:weight", "ms:leaseSeconds", "ms:exposes", "ms:publishesProperty",
        "ms:messageSchema", "ms:introspectURL", "ms:architecture", "ms:operatingSystem", "ms:location", "ms:hostStatus",
        "sp:category", "sp:hasInput", "sp:hasOutput", "sp:parameterName", "sp:parameterType", "sp:hasPrecondition",
        "sp:hasResult", "sp:expression", "sp:hasSLA", "sp:maxLatencyMs", "sp:availability", "sp:maxRequestsPerSecond",
    ]
    static let contractIndividuals = [
        "ms:DeviceTier", "ms:EdgeTier", "ms:FogTier", "ms:CloudTier", "ms:Healthy", "ms:Degraded", "ms:Broken", "ms:Online", "ms:Offline",
    ]

    static func expand(_ curie: String) -> String {
        curie.hasPrefix("ms:") ? MS.namespace + curie.dropFirst(3) : SP.namespace + curie.dropFirst(3)
    }

    /// Every class and property declared in the ms: and sp: namespaces, from the ontology graphs.
    static let declaredTermsQuery = """
        SELECT DISTINCT ?term WHERE {
          GRAPH ?g { ?term a ?kind }
          VALUES ?g { <\(MS.graph)> <\(SP.graph)> }
          VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:NamedIndividual rdf:Property rdfs:Class }
          FILTER (STRSTARTS(STR(?term), "\(MS.namespace)") || STRSTARTS(STR(?term), "\(SP.namespace)"))
        }
        """

    @Test func everyTermHasALabelAndAComment() async throws {
        let fixture = try await Self.fixture()
        let declared = try fixture.column(Self.declaredTermsQuery, reasoning: false)
        #expect(declared.count >= Self.contractClasses.count + Self.contractProperties.count + Self.contractIndividuals.count)
        for curie in Self.contractClasses + Self.contractProperties + Self.contractIndividuals {
            #expect(declared.contains(Self.expand(curie)), "\(curie) is not declared in the ontologies")
        }
        let unlabelled = try fixture.column("""
            SELECT DISTINCT ?term WHERE {
              { \(Self.declaredTermsQuery) }
              FILTER NOT EXISTS { ?term rdfs:label ?label }
            }
            """, reasoning: false)
        #expect(unlabelled == [], "terms without rdfs:label")
        let uncommented = try fixture.column("""
            SELECT DISTINCT ?term WHERE {
              { \(Self.declaredTermsQuery) }
              FILTER NOT EXISTS { ?term rdfs:comment ?comment }
            }
            """, reasoning: false)
        #expect(uncommented == [], "terms without rdfs:comment")
        // Control: the same query with a property no term has lists every term.
        let control = try fixture.column("""
            SELECT DISTINCT ?term WHERE {
              { \(Self.declaredTermsQuery) }
              FILTER NOT EXISTS { ?term <urn:x-test:nothing> ?x }
            }
            """, reasoning: false)
        #expect(control == declared)
        // The labels are English text, one per term.
        let labels = try fixture.select("""
            SELECT ?term (COUNT(?label) AS ?n) WHERE {
              { \(Self.declaredTermsQuery) }
              ?term rdfs:label ?label . FILTER (LANG(?label) = "en")
            } GROUP BY ?term
            """, reasoning: false)
        #expect(labels.count == declared.count, "every term has an English label")
    }

    @Test func everyTermTheRegistryWritesIsDeclared() async throws {
        let fixture = try await Self.fixture()
        let declared = Set(try fixture.column(Self.declaredTermsQuery, reasoning: false))
        // Predicates and classes used in the registration graphs, in the project's namespaces.
        let used = try fixture.column("""
            SELECT DISTINCT ?term WHERE {
              GRAPH ?g { { ?s ?term ?o } UNION { ?s a ?term } UNION { ?s ?p ?term . FILTER (isIRI(?term)) } }
              FILTER (STRSTARTS(STR(?g), "urn:registryd:registration:"))
              FILTER (STRSTARTS(STR(?term), "\(MS.namespace)") || STRSTARTS(STR(?term), "\(SP.namespace)"))
            }
            """, reasoning: false)
        #expect(used.count > 20)
        #expect(Set(used).subtracting(declared).sorted() == [], "terms written but not in the ontologies")
    }

    @Test func ontologyStructureMatchesTheContract() async throws {
        let fixture = try await Self.fixture()
        func holds(_ pattern: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            #expect(try fixture.ask("ASK { \(pattern) }", reasoning: false), "\(pattern)", sourceLocation: sourceLocation)
        }
        try holds("ms:Microservice rdfs:subClassOf iot-lite:Service")
        try holds("ms:Method rdfs:subClassOf sp:ServiceProfile")
        try holds("ms:Host rdfs:subClassOf sosa:Platform")
        try holds("ms:exposes rdfs:subPropertyOf iot-lite:exposes")
        try holds("ms:instanceOf owl:inverseOf ms:hasInstance")
        try holds("sp:Input rdfs:subClassOf sp:Parameter")
        try holds("sp:Output rdfs:subClassOf sp:Parameter")
        try holds("sp:Precondition rdfs:subClassOf sp:Condition")
        try holds("sp:Result rdfs:subClassOf sp:Condition")
        for endpoint in ["RESTEndpoint", "CoAPEndpoint", "MQTTEndpoint", "AMQPEndpoint"] {
            try holds("ms:\(endpoint) rdfs:subClassOf ms:Endpoint")
        }
        for tier in ["DeviceTier", "EdgeTier", "FogTier", "CloudTier"] { try holds("ms:\(tier) a ms:DeploymentTier") }
        for health in ["Healthy", "Degraded", "Broken"] { try holds("ms:\(health) a ms:HealthStatus") }
        for status in ["Online", "Offline"] { try holds("ms:\(status) a ms:HostStatus") }
        // Deliberately open: devices of any class can be exposed, endpoints belong to methods and channels.
        #expect(!(try fixture.ask("ASK { ms:exposes rdfs:range ?r }", reasoning: false)))
        #expect(!(try fixture.ask("ASK { ms:exposes rdfs:domain ?d }", reasoning: false)))
        #expect(!(try fixture.ask("ASK { ms:hasEndpoint rdfs:domain ?d }", reasoning: false)))
        #expect(!(try fixture.ask("ASK { ms:deploymentTier rdfs:domain ?d }", reasoning: false)))
        // With reasoning a wristband is never mistaken for a service instance, host or endpoint.
        for wrong in ["ms:ServiceInstance", "ms:Host", "ms:Endpoint", "ms:Microservice", "ms:VirtualObject"] {
            #expect(!(try fixture.ask("ASK { <\(Self.wristbandDevice)> a \(wrong) }")), "\(wrong)")
        }
    }

    // MARK: Loading the bundled ontologies

    @Test func loadOntologiesLoadsEachFileOnce() async throws {
        let fixture = try RegistryFixture()
        let directory = Paths.file("ontologies").path
        let loaded = try await fixture.registry.loadOntologies(from: directory)
        #expect(loaded.map(\.file) == ["microservice.rdf", "service-profile.rdf"])
        #expect(loaded.map(\.graph) == [MS.graph, SP.graph])
        #expect(loaded.allSatisfy { $0.triples > 50 && !$0.hash.isEmpty })
        #expect(try fixture.hasGraph(MS.graph))
        #expect(try fixture.hasGraph(SP.graph))
        #expect(fixture.registry.events(after: 0).map(\.type) == [.ontologyLoaded, .ontologyLoaded])
        let index = fixture.registry.index
        #expect(try await Set(fixture.registry.loadedOntologies()) == Set(loaded))
        #expect(try fixture.tripleCount(graph: MS.graph) == loaded[0].triples)

        // Unchanged files: nothing to do.
        #expect(try await fixture.registry.loadOntologies(from: directory) == [])
        #expect(fixture.registry.index == index)
        // Nor after a restart.
        try fixture.reopen()
        #expect(try await fixture.registry.loadOntologies(from: directory) == [])
        #expect(fixture.registry.index == index)
    }

    @Test func aChangedOntologyIsReloaded() async throws {
        let fixture = try RegistryFixture()
        let copy = try TemporaryDirectory()
        for file in ["microservice.rdf", "service-profile.rdf", "README.md"] {
            try FileManager.default.copyItem(atPath: Paths.file("ontologies/" + file).path, toPath: copy.path + "/" + file)
        }
        #expect(try await fixture.registry.loadOntologies(from: copy.path).count == 2)

        // A new release of one file: only that graph is replaced.
        let path = copy.path + "/service-profile.rdf"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let extra = """
              <owl:Class rdf:about="https://w3id.org/registryd/profile#Effect">
                <rdfs:label xml:lang="en">Effect</rdfs:label>
                <rdfs:comment xml:lang="en">Added in a test.</rdfs:comment>
              </owl:Class>
            </rdf:RDF>
            """
        text = text.replacingOccurrences(of: "</rdf:RDF>", with: extra)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let reloaded = try await fixture.registry.loadOntologies(from: copy.path)
        #expect(reloaded.map(\.file) == ["service-profile.rdf"])
        #expect(try fixture.ask("ASK { GRAPH <\(SP.graph)> { sp:Effect a owl:Class } }", reasoning: false))
        #expect(try await fixture.registry.loadOntologies(from: copy.path) == [])
    }
}
