import AccessControl
import Foundation
import JOSE
import JSON
import Ontology
import Registry
import Synchronization
import Testing
@testable import AccessService

/// The access service on a real store, registry and key ring in a temporary directory, with a
/// clock the test moves.
final class AccessFixture {
    let directory: String
    let store: QuadStore
    let registry: Registry
    let access: AccessService
    let clock = SecondsClock()

    init(bindingTTL: Double = 300) async throws {
        directory = NSTemporaryDirectory() + "registryd-access-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try QuadStore(directory: directory + "/data")
        registry = try Registry(store: store)
        access = try await AccessService(registry: registry, journal: registry, store: store,
                                         keys: try KeyRing(directory: directory + "/keys"), bindingTTL: bindingTTL,
                                         clock: clock.function)
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func advance(seconds: Double) { clock.advance(seconds) }

    /// Registers an instance of `name` with one REST method `name/obj/get`.
    @discardableResult
    func register(_ name: String, id: String, url: String = "http://10.0.0.1/get") async throws -> Registration {
        let manifest = try ManifestDecoder.decode(Data("""
            {"name": "\(name)", "version": "1.0.0", "instance": {"id": "\(id)", "tier": "edge"},
             "objects": [{"name": "\(name)/obj", "methods": [{"name": "get", "endpoints": [{"protocol": "rest", "url": "\(url)"}]}]}]}
            """.utf8))
        return try await registry.register(.manifest(manifest, source: .manifest)).0
    }

    func decide(_ subject: String = "alice", api: String = "example.org/Thermo/obj/get", action: Action = .call,
                context: [String: JSONValue] = [:], method: String? = nil) async throws -> AccessService.Outcome {
        try await access.decide(subject: subject, credentials: [], api: api, action: action, context: context, explain: false, method: method)
    }

    /// The kinds of the journal's events after `index`.
    func events(after index: Int64) -> [String] { registry.events(after: index).map(\.type.rawValue) }
}

/// Seconds since 1970 that a test moves by hand.
final class SecondsClock: Sendable {
    private let time = Mutex<Double>(1_790_000_000)

    func advance(_ seconds: Double) { time.withLock { $0 += seconds } }

    var function: @Sendable () -> Timestamp { { [self] in Timestamp(seconds: time.withLock { $0 }) } }
}

struct AccessServiceTests {
    static let policy = """
        attribute subject.team : String;
        ops: permit call on "example.org/**" when subject.team == "ops";
        """

    static func ready() async throws -> AccessFixture {
        let fixture = try await AccessFixture()
        _ = try await fixture.access.setPolicy("main", text: policy)
        try await fixture.access.setSubject("alice", attributes: ["team": "ops"])
        try await fixture.register("example.org/Thermo", id: "t1")
        return fixture
    }

    @Test func aPermitIssuesASignedBindingWithTheEndpoints() async throws {
        let fixture = try await Self.ready()
        let outcome = try await fixture.decide()
        #expect(outcome.decision.effect == .permit)
        let token = try #require(outcome.binding)
        let claims = try #require(outcome.claims)
        #expect(claims.sub == "alice" && claims.api == "example.org/Thermo/obj/get" && claims.act == .call)
        #expect(claims.endpoints.map(\.address) == ["http://10.0.0.1/get"])
        #expect(claims.exp - claims.iat == 300)
        // It verifies against the service's own keys, and is listed.
        guard case .success(let verified) = fixture.access.verifyBinding(token) else { Issue.record("the binding does not verify"); return }
        #expect(verified.jti == claims.jti)
        #expect(fixture.access.bindings(subject: "alice").map(\.0.jti) == [claims.jti])
        // A deny issues nothing.
        let denied = try await fixture.decide("bob")
        #expect(denied.decision.effect == .deny && denied.binding == nil)
        // Verification fails on expiry, then the binding is no longer listed.
        fixture.advance(seconds: 301)
        guard case .failure(let expired) = fixture.access.verifyBinding(token) else { Issue.record("an expired binding verifies"); return }
        #expect(expired.code == .bindingExpired)
        #expect(fixture.access.bindings().isEmpty)
    }

    @Test func theSameRequestReusesItsBindingWhileHalfItsLifeIsLeft() async throws {
        let fixture = try await Self.ready()
        let first = try #require(try await fixture.decide().claims)
        fixture.advance(seconds: 100)
        #expect(try await fixture.decide().claims?.jti == first.jti, "the same request within half the TTL")
        // Another method, another context value: other requests, other bindings.
        let other = try #require(try await fixture.decide(method: "POST").claims)
        #expect(other.jti != first.jti && other.method == "POST")
        #expect(try await fixture.decide(context: ["zone": "north"]).claims?.jti != first.jti)
        // Past half its life a new one is signed.
        fixture.advance(seconds: 51)
        let renewed = try #require(try await fixture.decide().claims)
        #expect(renewed.jti != first.jti)
        // A change in the registry (the endpoints may differ) is a new request too.
        try await fixture.register("example.org/Thermo", id: "t2", url: "http://10.0.0.2/get")
        let moved = try #require(try await fixture.decide().claims)
        #expect(moved.jti != renewed.jti)
        #expect(Set(moved.endpoints.map(\.address)) == ["http://10.0.0.1/get", "http://10.0.0.2/get"])
    }

    @Test func aRevokedBindingFailsVerificationAndIsNeverReused() async throws {
        let fixture = try await Self.ready()
        let outcome = try await fixture.decide()
        let claims = try #require(outcome.claims)
        let before = fixture.registry.index
        let index = try await fixture.access.revoke([claims.jti])
        #expect(index == before + 1)
        #expect(fixture.events(after: before) == ["binding.revoked"])
        #expect(fixture.registry.events(after: before).first?.id == claims.jti)
        guard case .failure(let revoked) = fixture.access.verifyBinding(try #require(outcome.binding)) else {
            Issue.record("a revoked binding verifies"); return
        }
        #expect(revoked.code == .bindingRevoked)
        #expect(fixture.access.binding(claims.jti)?.revoked == true)
        #expect(try await fixture.decide().claims?.jti != claims.jti)
        // Revoking again changes nothing.
        #expect(try await fixture.access.revoke([claims.jti]) == fixture.registry.index)
        #expect(fixture.events(after: before) == ["binding.revoked"])
    }

    @Test func revocationsSurviveARestart() async throws {
        let fixture = try await Self.ready()
        let claims = try #require(try await fixture.decide().claims)
        try await fixture.access.revoke([claims.jti])
        let reopened = try await AccessService(registry: fixture.registry, journal: fixture.registry, store: fixture.store,
                                               keys: fixture.access.keys, clock: fixture.clock.function)
        #expect(reopened.isRevoked(claims.jti))
        #expect(reopened.policies.generation == fixture.access.policies.generation)
        #expect(reopened.subject("alice") == ["team": "ops"])
    }

    @Test func changedAttributesAndPoliciesWithdrawLiveBindings() async throws {
        let fixture = try await Self.ready()
        try await fixture.access.setSubject("carol", attributes: ["team": "ops"])
        let alice = try #require(try await fixture.decide("alice").claims)
        let carol = try #require(try await fixture.decide("carol").claims)
        // Alice leaves the team: her binding is re-decided and revoked, Carol's stays.
        try await fixture.access.setSubject("alice", attributes: ["team": "sales"])
        #expect(fixture.access.isRevoked(alice.jti))
        #expect(!fixture.access.isRevoked(carol.jti))
        // A policy that no longer permits calls withdraws the rest, under a new generation.
        let generation = fixture.access.policies.generation
        let set = try await fixture.access.setPolicy("main", text: """
            attribute subject.team : String;
            ops: permit subscribe on "example.org/**" when subject.team == "ops";
            """)
        #expect(set.generation == generation + 1)
        #expect(fixture.access.isRevoked(carol.jti))
        #expect(try await fixture.decide("carol").decision.effect == .deny)
    }

    @Test func bindingsToAnInstanceThatGoesAwayAreRevoked() async throws {
        let fixture = try await Self.ready()
        try await fixture.register("example.org/Other", id: "o1")
        let thermo = try #require(try await fixture.decide().claims)
        let other = try #require(try await fixture.decide(api: "example.org/Other/obj/get").claims)
        try await fixture.registry.deregister(id: "t1")
        await fixture.access.instanceGone("t1")
        #expect(fixture.access.isRevoked(thermo.jti))
        #expect(!fixture.access.isRevoked(other.jti))
    }

    @Test func errorsHaveTheServicesOwnCodes() async throws {
        let fixture = try await Self.ready()
        let missing = await #expect(throws: AccessServiceError.self) { try await fixture.access.setPolicy("nope", text: nil) }
        #expect(missing?.code == .notFound && missing?.code.rawValue == "access.not_found")
        let noSubject = await #expect(throws: AccessServiceError.self) { try await fixture.access.setSubject("nobody", attributes: nil) }
        #expect(noSubject?.code == .notFound)
        let noKeys = await #expect(throws: AccessServiceError.self) { try await fixture.access.setAuthority("a", keys: JWKSet(keys: [])) }
        #expect(noKeys?.code == .invalidRequest)
        // A policy that does not compile changes nothing.
        let generation = fixture.access.policies.generation
        await #expect(throws: PolicyError.self) { try await fixture.access.setPolicy("main", text: "permit call on") }
        #expect(fixture.access.policies.generation == generation)
        #expect(try await fixture.decide().decision.effect == .permit)
        guard case .failure(let forged) = fixture.access.verifyBinding("e30.e30.AAAA") else { Issue.record("garbage verifies"); return }
        #expect(forged.code == .bindingInvalid)
    }

    @Test func resourceFactsFollowTheStoreAfterEachCommit() async throws {
        let fixture = try await AccessFixture()
        _ = try await fixture.access.setPolicy("main", text: """
            attribute resource.zone : String = <http://example.org/ns#zone>;
            north: permit call on "example.org/**" when resource.zone == "north";
            """)
        try await fixture.register("example.org/Thermo", id: "t1")
        let zone = IRI("http://example.org/ns#zone")
        let name = IRI(MS.name)
        func describe(_ value: String) throws {
            // The admin's graph says where the resource is (registrations may not).
            try fixture.store.write { try $0.replace(graph: .iri("urn:admin:zones"), with: [
                Triple(.iri(IRI("urn:thermo")), name, .literal(Literal("example.org/Thermo/obj/get"))),
                Triple(.iri(IRI("urn:thermo")), zone, .literal(Literal(value))),
            ]) }
        }
        #expect(try await fixture.decide().decision.effect == .deny, "no zone yet")
        try describe("north")
        #expect(try await fixture.decide().decision.effect == .permit, "the cached facts are not used after a commit")
        try describe("south")
        #expect(try await fixture.decide().decision.effect == .deny)
    }
}
