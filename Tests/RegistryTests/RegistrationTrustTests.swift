import Testing
import Ontology
@testable import Registry

/// What a registration may describe (docs/trust.md), checked on the registration alone.
struct RegistrationTrustTests {
    let graph = "urn:registryd:registration:mine-1"

    private func rdf(_ triples: [Triple]) throws -> RegistrationInput {
        let manifest = Manifest(name: try ServiceName("evil.example/Y"), version: "1.0.0")
        return .rdf(RDFRegistration(manifest: manifest, triples: triples, service: .iri(graph + "#service"), instance: nil))
    }

    /// The claims, with the names the registration holds asked of `authorize` first, as the
    /// registry does.
    private func claims(_ triples: [Triple], authorize: @escaping NameAuthorization) async throws -> Set<String> {
        let input = try rdf(triples)
        let grants = await NameGrants.ask(RegistrationTrust.fullNames(in: input), authorize)
        return try RegistrationTrust.claims(of: input, graphIRI: graph, grants: grants)
    }

    private func refusal(_ triples: [Triple], authorize: @escaping NameAuthorization = { $0.site == "evil.example" }) async -> String? {
        do {
            _ = try await claims(triples, authorize: authorize)
            return nil
        } catch let error as RegistryError {
            return error.code.rawValue
        } catch {
            return "other"
        }
    }

    @Test func ownNodesAndBlankNodesNeedNoClaim() async throws {
        let claims = try await claims([
            Triple(.iri(graph + "#service"), IRI(MS.name), .literal(Literal("evil.example/Y"))),
            Triple(.blankNode(BlankNode("b")), RDF.type, .iri("http://example.org/c#Thing")),
        ], authorize: { _ in true })
        #expect(claims.isEmpty)
    }

    @Test func otherIRIsAreClaimed() async throws {
        let claims = try await claims([
            Triple(.iri("https://evil.example/devices/d1"), RDF.type, .iri("http://www.w3.org/ns/sosa/Sensor")),
        ], authorize: { _ in true })
        #expect(claims == ["https://evil.example/devices/d1"])
    }

    @Test func anotherRegistrationsNodesHostsSchemaAndForeignNamesAreRefused() async {
        #expect(await refusal([Triple(.iri("urn:registryd:registration:records-1#object-0"), RDF.type, .iri("http://e/c#Public"))])
                == "registration.not_owned")
        #expect(await refusal([Triple(.iri("urn:registryd:host:gw-1"), IRI(MS.name), .literal(Literal("x")))]) == "registration.not_owned")
        #expect(await refusal([Triple(.iri(MS.VirtualObject), RDFS.subClassOf, .iri("http://e/c#Public"))]) == "registration.schema_statement")
        #expect(await refusal([Triple(.iri(graph + "#p"), RDFS.range, .iri("http://e/c#Public"))]) == "registration.schema_statement")
        #expect(await refusal([Triple(.blankNode(BlankNode("b")), IRI(MS.name), .literal(Literal("clinic.example/Records/db")))])
                == "registration.not_owned")
        // A name of its own, and a method's local name, are fine.
        #expect(await refusal([Triple(.blankNode(BlankNode("b")), IRI(MS.name), .literal(Literal("evil.example/Y/o")))]) == nil)
        #expect(await refusal([Triple(.blankNode(BlankNode("b")), IRI(MS.name), .literal(Literal("read")))]) == nil)
    }

    @Test func theHostOfAnHTTPIRIBelongsToTheNearestRegisteredSite() async {
        #expect(RegistrationTrust.httpHost(of: "https://User@Clinic.Example:8443/x#y") == "clinic.example")
        #expect(RegistrationTrust.site(owningHost: "a.clinic.example", among: ["clinic.example": 1]) == "clinic.example")
        #expect(RegistrationTrust.site(owningHost: "evil.clinic.example", among: ["clinic.example": 1, "evil.clinic.example": 2])
                == "evil.clinic.example")
        #expect(RegistrationTrust.site(owningHost: "other.example", among: ["clinic.example": 1]) == nil)
    }

    @Test func uploadedRelativeIRIsMoveIntoTheRegistrationsNamespace() async throws {
        guard case .rdf(let document) = try rdf([
            Triple(.iri("urn:registryd:upload#service"), IRI(MS.name), .literal(Literal("evil.example/Y"))),
            Triple(.iri("urn:registryd:uploader"), RDF.type, .iri("urn:registryd:upload#C")),
        ]) else { return }
        let moved = RegistrationTrust.rebased(document, into: graph)
        #expect(moved.triples[0].subject == .iri(graph + "#service"))
        #expect(moved.triples[1].subject == .iri("urn:registryd:uploader"))
        #expect(moved.triples[1].object == .iri(graph + "#C"))
    }
}
