import AccessControl
import Foundation
import JOSE
import JSON
import Ontology
import Registry
import Synchronization

/// The access service: the policy set in force, authorities, subjects, and the bindings
/// issued on permits.
///
/// Policies, authorities, subjects and revocations are records of the site's ``Journal``,
/// written with their events; bindings are signed tokens kept in memory until they expire (a
/// restart forgets the list, not their validity or their revocations). The policy engine
/// (`AccessControl`) stays pure: this type feeds it the ontology's facts as a value
/// (``ResourceFacts``) and turns its permits into bindings.
public final class AccessService: Sendable {
    /// Where the access service's records and events are written.
    public let journal: any Journal
    /// The registry resolves a binding's endpoints and says which registrations describe a name.
    let registry: Registry
    /// The keys that sign bindings.
    public let keys: KeyRing
    let ontology: StoreOntologySource
    /// The longest a binding lives, in seconds.
    public let bindingTTL: Double
    public let issuer = "registryd"
    /// Seconds since 1970 (a test moves it).
    public let clock: @Sendable () -> Timestamp
    let state: Mutex<State>
    /// Told of every decision (the daemon's decision log); nil: nothing is recorded.
    let decisionObserver = Mutex<(@Sendable (DecisionRecord) -> Void)?>(nil)
    /// Policy, authority and subject changes one at a time, so each validates against the last.
    let writer = SerialWriter()

    static let policyCollection = "access.policy"
    static let authorityCollection = "access.authority"
    static let subjectCollection = "access.subject"
    static let revokedCollection = "access.revoked"
    static let metaCollection = "access.meta"

    struct State {
        var policies: PolicySet = .empty
        var documents: [String: String] = [:]
        var authorities: [String: Authority] = [:]
        var verifier: CredentialVerifier = .none
        var subjects: [String: [String: JSONValue]] = [:]
        var bindings: [String: IssuedBinding] = [:]
        /// The binding last issued for an identical request (see ``reuseKey``), by key.
        var reusable: [String: String] = [:]
        /// The number of bindings at which `decide` forgets the expired ones (doubling, so that
        /// a map full of live bindings is not scanned on every decision).
        var pruneAt = 100_000
        /// Revoked binding ids and when the binding would have expired.
        var revoked: [String: Double] = [:]
        /// Why the policy set in force is not the stored one compiled against the current
        /// ontology (nil while it is): reported on `/health` and `/metrics`.
        var degraded: String?
    }

    /// A binding this service signed, with what it was decided on (to re-decide it when the
    /// policies change) and the instances it points to (to withdraw it when they go).
    struct IssuedBinding: Sendable {
        var claims: BindingClaims
        var token: String
        /// `claims.json`, written once: a reused binding is answered many times.
        var claimsJSON: String
        var evidence: SubjectEvidence
        var instances: Set<String>
    }

    /// Opens the access service on what `journal` holds.
    /// - Parameters:
    ///   - registry: resolves endpoints and names the registrations that describe an API.
    ///   - journal: where records and events go (the registry itself, embedded).
    ///   - store: the quad store the ontology's facts are read from.
    public init(registry: Registry, journal: any Journal, store: QuadStore, keys: KeyRing, bindingTTL: Double = 300,
                clock: @escaping @Sendable () -> Timestamp = { .now }) async throws {
        self.registry = registry
        self.journal = journal
        self.keys = keys
        self.ontology = StoreOntologySource(store: store, graphs: { [registry] api in registry.graphs(describing: api) })
        self.bindingTTL = bindingTTL
        self.clock = clock
        var loaded = State()
        let decoder = JSONValueDecoder(rejectsUnknownFields: false)
        for record in try await journal.records(in: Self.policyCollection) { loaded.documents[record.key] = record.value }
        for record in try await journal.records(in: Self.authorityCollection) {
            loaded.authorities[record.key] = Authority(name: record.key, keys: try decoder.decode(JWKSet.self, from: Array(record.value.utf8)))
        }
        for record in try await journal.records(in: Self.subjectCollection) {
            loaded.subjects[record.key] = try decoder.decode([String: JSONValue].self, from: Array(record.value.utf8))
        }
        let now = clock().seconds
        for record in try await journal.records(in: Self.revokedCollection) {
            if let expires = Double(record.value), expires > now { loaded.revoked[record.key] = expires }
        }
        let meta = try await journal.records(in: Self.metaCollection)
        let generation = meta.first { $0.key == "generation" }.flatMap { Int64($0.value) } ?? 0
        loaded.verifier = try CredentialVerifier(authorities: Array(loaded.authorities.values))
        let validated = meta.first { $0.key == "orderings" }.flatMap { try? decoder.decode(OrderingSnapshot.self, from: Array($0.value.utf8)) }
        let documents = Self.ordered(loaded.documents)
        (loaded.policies, loaded.degraded) = try await ontology.reading { ontology in
            Self.startingPolicies(documents, generation: generation, ontology: ontology, validated: validated)
        }
        state = Mutex(loaded)
        followRemoteChanges()
    }

    /// The policy set to start with: the stored documents compiled against the ontology; if
    /// the admin's ontology changed since so that they no longer compile, the same generation
    /// compiled with the orderings it was validated against (the last good set stays in
    /// force), and why, for `/health`.
    static func startingPolicies(_ documents: [PolicyDocument], generation: Int64, ontology: any OntologySource,
                                 validated: OrderingSnapshot?) -> (PolicySet, degraded: String?) {
        do {
            return (try PolicySet.compile(documents, generation: generation, ontology: ontology), nil)
        } catch {
            let problem = "the stored policies (generation \(generation)) no longer validate against the ontology: \(error)"
            if let validated, let frozen = try? PolicySet.compile(documents, generation: generation,
                                                                  ontology: OrderingSnapshot.Frozen(snapshot: validated, base: ontology)) {
                return (frozen, problem + "; generation \(generation) stays in force with the orderings it was validated against")
            }
            return (PolicySet.empty.with(generation: generation), problem + "; no rules are in force (every decision is deny)")
        }
    }

    /// Why the policy set in force is not the stored one compiled anew, or nil.
    public var degradedReason: String? { state.withLock { $0.degraded } }

    static func ordered(_ documents: [String: String]) -> [PolicyDocument] {
        documents.keys.sorted().map { PolicyDocument(name: $0, text: documents[$0]!) }
    }

    /// The policy set in force.
    public var policies: PolicySet { state.withLock { $0.policies } }
    public var verifier: CredentialVerifier { state.withLock { $0.verifier } }
    /// The policy documents in force, by name.
    public var documents: [String: String] { state.withLock { $0.documents } }
    public var authorities: [Authority] { state.withLock { $0.authorities.values.sorted { $0.name < $1.name } } }
    public func subject(_ id: String) -> [String: JSONValue]? { state.withLock { $0.subjects[id] } }
    public var subjectIDs: [String] { state.withLock { $0.subjects.keys.sorted() } }
}
