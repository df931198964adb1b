import Foundation
import Testing
import Ontology
@testable import Registry

/// Registrations written in RDF with the ms:/sp: vocabulary (docs/manifest.md §4).
struct RDFManifestReaderTests {
    static let base = "https://snac.asu.edu/services/Thermostat"

    static func thermostat() throws -> RDFRegistration {
        try RDFManifestReader.read(Paths.bytes("examples/rdfxml/thermostat.rdf"), format: .rdfXML, baseIRI: base)
    }

    static func turtle(_ body: String) throws -> RDFRegistration {
        let text = """
            @prefix ms: <https://w3id.org/registryd/ms#> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            @prefix ex: <http://example.org/> .

            """ + body
        return try RDFManifestReader.read(Array(text.utf8), format: .turtle, baseIRI: "http://example.org/doc")
    }

    @Test func thermostatReadsAsDocumented() throws {
        let registration = try Self.thermostat()
        let manifest = registration.manifest
        #expect(manifest.name.value == "snac.asu.edu/Thermostat")
        #expect(manifest.version == "1.0.2")
        #expect(manifest.label == "Home thermostat")
        #expect(manifest.category == "home-automation")
        #expect(manifest.introspect == "http://192.168.1.30/introspect")
        #expect(manifest.types.isEmpty)
        #expect(registration.service == .iri(Self.base + "#service"))
        #expect(registration.instance == .iri(Self.base + "#thermostat-edge-1"))

        #expect(manifest.instance.id == "thermostat-edge-1")
        #expect(manifest.instance.tier == .edge)
        #expect(manifest.instance.host == "home-gw-alice")
        #expect(manifest.instance.weight == 100)
        #expect(manifest.instance.health == .ok)
        #expect(manifest.instance.ttlMilliseconds == nil)

        #expect(manifest.devices.map(\.iri) == ["https://snac.asu.edu/devices/thermostat-livingroom"])
        #expect(manifest.devices.first?.types == ["http://example.org/weight-management#Thermostat"])

        #expect(manifest.objects.map(\.name.value) == ["snac.asu.edu/Thermostat/livingroom"])
        let object = try #require(manifest.objects.first)
        #expect(object.label == "Living room thermostat")
        #expect(object.methods.map(\.name) == ["setpoint"])
        let setpoint = try #require(object.methods.first?.endpoints.first)
        #expect(object.methods.first?.endpoints.count == 1)
        #expect(setpoint.protocol == .rest)
        #expect(setpoint.address == "http://192.168.1.30/livingroom/setpoint")
        #expect(setpoint.httpMethod == "PUT")
        #expect(setpoint.contentType == "application/json")
        #expect(object.channels.map(\.name) == ["temperature"])
        let channel = try #require(object.channels.first)
        #expect(channel.observes == "http://example.org/weight-management#IndoorTemperature")
        let mqtt = try #require(channel.endpoints.first)
        #expect(mqtt.protocol == .mqtt)
        #expect(mqtt.address == "mqtt://192.168.1.30:1883")
        #expect(mqtt.topic == "home/alice/livingroom/temperature")
        #expect(manifest.protocols == [.mqtt, .rest])
        #expect(Set(manifest.operations.map(\.name.value)) == ["snac.asu.edu/Thermostat/livingroom/setpoint",
                                                              "snac.asu.edu/Thermostat/livingroom/temperature"])

        // The document's own triples are kept, relative IRIs resolved against xml:base.
        let device = Term.iri("https://snac.asu.edu/devices/thermostat-livingroom")
        #expect(registration.triples.contains(Triple(device, RDF.type, .iri("http://example.org/weight-management#Thermostat"))))
        #expect(registration.triples.contains(Triple(.iri(Self.base + "#livingroom-setpoint-celsius"), IRI(SP.parameterName),
                                                     .literal(Literal("celsius")))))
        #expect(registration.triples.count > 40)
    }

    @Test func aDocumentWithoutAMicroserviceIsRejected() {
        let error = #expect(throws: RegistryError.self) {
            try Self.turtle(#"ex:thing a ms:VirtualObject ; ms:name "snac.asu.edu/X/y" ."#)
        }
        #expect(error?.code == .invalidManifest)
        #expect(error?.message.contains("no ms:Microservice") == true)
        #expect(throws: RegistryError.self) { try Self.turtle("") }
    }

    @Test func aDocumentWithTwoMicroservicesIsRejected() {
        let error = #expect(throws: RegistryError.self) {
            try Self.turtle("""
                ex:a a ms:Microservice ; ms:name "snac.asu.edu/A" ; ms:version "1" .
                ex:b a ms:Microservice ; ms:name "snac.asu.edu/B" ; ms:version "1" .
                """)
        }
        #expect(error?.code == .invalidManifest)
        #expect(error?.message.contains("2") == true)
    }

    @Test func minimalTurtleRegistration() throws {
        let registration = try Self.turtle("""
            ex:svc a ms:Microservice, ex:Gateway ; ms:name "snac.asu.edu/Gateway" ; ms:version "2.0" ;
                ms:hasVirtualObject [ ms:name "snac.asu.edu/Gateway/door" ;
                    ms:hasMethod [ ms:name "open" ; ms:hasEndpoint [ ms:protocol "coap" ; ms:address "coap://gw/door/open" ] ] ;
                    ms:hasMethod [ ms:name "close" ; ms:hasEndpoint [ ms:protocol "rest" ; ms:address "http://gw/door/close" ] ] ] .
            """)
        let manifest = registration.manifest
        #expect(manifest.name.value == "snac.asu.edu/Gateway")
        #expect(manifest.types == ["http://example.org/Gateway"])
        #expect(manifest.instance == InstanceSpec(), "no instance: the defaults")
        #expect(registration.instance == nil)
        #expect(manifest.objects.first?.methods.map(\.name) == ["close", "open"])
        #expect(manifest.objects.first?.methods.first?.endpoints.first?.httpMethod == "GET", "REST defaults to GET")
        #expect(manifest.objects.first?.methods.last?.endpoints.first?.httpMethod == nil)
    }

    @Test(arguments: [
        // missing or bad name and version
        #"ex:s a ms:Microservice ; ms:version "1" ."#,
        #"ex:s a ms:Microservice ; ms:name "snac.asu.edu/S" ."#,
        #"ex:s a ms:Microservice ; ms:name "snac.asu.edu/S" ; ms:version "1 0" ."#,
        // bad instance values
        #"ex:s a ms:Microservice ; ms:name "snac.asu.edu/S" ; ms:version "1" ; ms:hasInstance [ ms:deploymentTier ex:MoonTier ] ."#,
        #"ex:s a ms:Microservice ; ms:name "snac.asu.edu/S" ; ms:version "1" ; ms:hasInstance [ ms:weight 20000 ] ."#,
        #"ex:s a ms:Microservice ; ms:name "snac.asu.edu/S" ; ms:version "1" ; ms:hasInstance [ ms:leaseSeconds 0 ] ."#,
        #"ex:s a ms:Microservice ; ms:name "snac.asu.edu/S" ; ms:version "1" ; ms:hasInstance [ ms:healthStatus ms:Online ] ."#,
        #"ex:s a ms:Microservice ; ms:name "snac.asu.edu/S" ; ms:version "1" ; ms:hasInstance [ ms:registrationId "a b" ] ."#,
        // objects and endpoints
        #"ex:s a ms:Microservice ; ms:name "snac.asu.edu/S" ; ms:version "1" ; ms:hasVirtualObject [ rdfs:label "x" ] ."#,
        #"ex:s a ms:Microservice ; ms:name "snac.asu.edu/S" ; ms:version "1" ; ms:hasVirtualObject [ ms:name "snac.asu.edu/S/o" ; ms:hasMethod [ ms:name "a/b" ] ] ."#,
        #"ex:s a ms:Microservice ; ms:name "snac.asu.edu/S" ; ms:version "1" ; ms:hasVirtualObject [ ms:name "snac.asu.edu/S/o" ; ms:hasMethod [ ms:name "m" ; ms:hasEndpoint [ ms:protocol "grpc" ; ms:address "http://h" ] ] ] ."#,
        #"ex:s a ms:Microservice ; ms:name "snac.asu.edu/S" ; ms:version "1" ; ms:hasVirtualObject [ ms:name "snac.asu.edu/S/o" ; ms:hasMethod [ ms:name "m" ; ms:hasEndpoint [ ms:protocol "rest" ; ms:address "relative" ] ] ] ."#,
    ])
    func invalidRegistrationIsRefused(body: String) {
        let error = #expect(throws: RegistryError.self) { try Self.turtle(body) }
        #expect(error?.code == .invalidManifest, "\(error?.message ?? "")")
    }

    @Test func invalidNamesAreInvalidNames() {
        let error = #expect(throws: RegistryError.self) {
            try Self.turtle(#"ex:s a ms:Microservice ; ms:name "snac.asu.edu/../S" ; ms:version "1" ."#)
        }
        #expect(error?.code == .invalidName)
    }

    @Test func syntaxErrorsAreSyntaxErrors() {
        let error = #expect(throws: RegistryError.self) {
            try RDFManifestReader.read(Array("<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><unclosed".utf8),
                                       format: .rdfXML, baseIRI: Self.base)
        }
        #expect(error?.code == .syntax)
        #expect(throws: RegistryError.self) { try RDFManifestReader.read(Array("ex:a ex:b".utf8), format: .turtle, baseIRI: Self.base) }
    }
}
