import AccessControl
import Foundation
import JOSE
import Ontology
import Registry
import Synchronization

/// The access service's shared state: the policy set in force, authorities, subjects, and the
/// bindings issued. Policies, authorities, subjects and revocations are records in the
/// registry's store, written with their events; bindings are signed tokens kept in memory
/// until they expire (a restart forgets the list, not their validity or their revocations).
final class AccessService: Sendable {
    let registry: Registry
    let keys: KeyRing
    let ontology: StoreOntologySource
    /// The longest a binding lives, in seconds.
    let bindingTTL: Double
    let issuer = "registryd"
    let clock: @Sendable () -> Double
    private let state: Mutex<State>
    /// Policy, authority and subject changes one at a time, so each validates against the last.
    private let writer = SerialWriter()

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
        var subjects: [String: [String: ClaimValue]] = [:]
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

    /// A binding this daemon signed, with what it was decided on (to re-decide it when the
    /// policies change) and the instances it points to (to withdraw it when they go).
    struct IssuedBinding: Sendable {
        var claims: BindingClaims
        var token: String
        /// `claims.json`, written once: a reused binding is answered many times.
        var claimsJSON: String
        var evidence: SubjectEvidence
        var instances: Set<String>
    }

    init(registry: Registry, keys: KeyRing, bindingTTL: Double = 300,
         clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) throws {
        self.registry = registry
        self.keys = keys
        self.ontology = StoreOntologySource(store: registry.store, graphs: { [registry] api in registry.graphs(describing: api) })
        self.bindingTTL = bindingTTL
        self.clock = clock
        var loaded = State()
        let decoder = JSONDecoder()
        for record in try registry.records(in: Self.policyCollection) { loaded.documents[record.key] = record.value }
        for record in try registry.records(in: Self.authorityCollection) {
            loaded.authorities[record.key] = Authority(name: record.key, keys: try decoder.decode(JWKSet.self, from: Data(record.value.utf8)))
        }
        for record in try registry.records(in: Self.subjectCollection) {
            loaded.subjects[record.key] = try decoder.decode([String: ClaimValue].self, from: Data(record.value.utf8))
        }
        let now = clock()
        for record in try registry.records(in: Self.revokedCollection) {
            if let expires = Double(record.value), expires > now { loaded.revoked[record.key] = expires }
        }
        let meta = try registry.records(in: Self.metaCollection)
        let generation = meta.first { $0.key == "generation" }.flatMap { Int64($0.value) } ?? 0
        loaded.verifier = try CredentialVerifier(authorities: Array(loaded.authorities.values))
        let validated = meta.first { $0.key == "orderings" }.flatMap { try? decoder.decode(OrderingSnapshot.self, from: Data($0.value.utf8)) }
        (loaded.policies, loaded.degraded) = Self.startingPolicies(Self.ordered(loaded.documents), generation: generation,
                                                                   ontology: ontology, validated: validated)
        if let reason = loaded.degraded {
            FileHandle.standardError.write(Data("registryd: warning: \(reason)\n".utf8))
        }
        state = Mutex(loaded)
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
    var degradedReason: String? { state.withLock { $0.degraded } }

    static func ordered(_ documents: [String: String]) -> [PolicyDocument] {
        documents.keys.sorted().map { PolicyDocument(name: $0, text: documents[$0]!) }
    }

    var policies: PolicySet { state.withLock { $0.policies } }
    var verifier: CredentialVerifier { state.withLock { $0.verifier } }
    var documents: [String: String] { state.withLock { $0.documents } }
    var authorities: [Authority] { state.withLock { $0.authorities.values.sorted { $0.name < $1.name } } }
    func subject(_ id: String) -> [String: ClaimValue]? { state.withLock { $0.subjects[id] } }
    var subjectIDs: [String] { state.withLock { $0.subjects.keys.sorted() } }

    // MARK: Policies

    /// Validates the set with `text` as document `name` (nil removes it) and makes it take
    /// effect under the next generation, atomically. Returns the new set.
    func setPolicy(_ name: String, text: String?) async throws -> PolicySet {
        try await writer.run { try await self.applyPolicy(name, text: text) }
    }

    private func applyPolicy(_ name: String, text: String?) async throws -> PolicySet {
        let (documents, expected) = state.withLock { state -> ([String: String], Int64) in
            var documents = state.documents
            documents[name] = text
            return (documents, state.policies.generation)
        }
        if text == nil, self.documents[name] == nil { throw RegistryError(.notFound, "no policy named `\(name)`") }
        let recorder = OrderingSnapshot.Recorder(ontology)
        let compiled = try PolicySet.compile(Self.ordered(documents), generation: expected + 1, ontology: recorder)
        let orderings = String(decoding: try JSONEncoder().encode(recorder.snapshot), as: UTF8.self)
        let changes = [
            Registry.RecordChange(collection: Self.policyCollection, key: name, value: text),
            Registry.RecordChange(collection: Self.metaCollection, key: "generation", value: String(expected + 1)),
            Registry.RecordChange(collection: Self.metaCollection, key: "orderings", value: orderings),
        ]
        try await registry.commit(changes, events: [.init(.policyChanged, id: name, generation: expected + 1)], check: { [self] in
            // Two admins changing policies at once: the second must rebase on the first.
            guard state.withLock({ $0.policies.generation }) == expected else {
                throw RegistryError(.conflict, "the policies changed meanwhile (generation \(expected) is gone); retry")
            }
        }, applied: { [self] in
            state.withLock { state in
                state.documents = documents
                state.policies = compiled
                state.degraded = nil
            }
        })
        await withdrawBindings()
        return compiled
    }

    // MARK: Authorities and subjects

    func setAuthority(_ name: String, keys: JWKSet?) async throws {
        if let keys {
            guard !keys.keys.isEmpty else { throw RegistryError(.invalidRequest, "an authority needs at least one key") }
            for key in keys.keys {
                do { _ = try VerificationKey(jwk: key) } catch { throw RegistryError(.invalidRequest, "a key of `\(name)` is not usable: \(error)") }
            }
        } else if state.withLock({ $0.authorities[name] }) == nil {
            throw RegistryError(.notFound, "no authority named `\(name)`")
        }
        let encoded = try keys.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await registry.commit([.init(collection: Self.authorityCollection, key: name, value: encoded)],
                                  events: [.init(.authorityChanged, id: name)], applied: { [self] in
            state.withLock { state in
                state.authorities[name] = keys.map { Authority(name: name, keys: $0) }
                // Every key was checked above, so this cannot fail.
                state.verifier = (try? CredentialVerifier(authorities: Array(state.authorities.values))) ?? state.verifier
            }
        })
        await withdrawBindings()
    }

    func setSubject(_ id: String, attributes: [String: ClaimValue]?) async throws {
        if attributes == nil, subject(id) == nil { throw RegistryError(.notFound, "no subject `\(id)`") }
        let encoded = try attributes.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await registry.commit([.init(collection: Self.subjectCollection, key: id, value: encoded)],
                                  events: [.init(.subjectChanged, id: id)], applied: { [self] in
            state.withLock { $0.subjects[id] = attributes }
        })
        await withdrawBindings()
    }

    // MARK: Decisions

    /// The result of a decision: the decision and, on permit, the signed binding.
    struct Outcome: Sendable {
        var decision: Decision
        var binding: String?
        var claims: BindingClaims?
        /// `claims.json` of the binding, when there is one.
        var claimsJSON: String?
    }

    /// Decides, and on permit issues (or reuses) a binding.
    /// - Parameter method: the HTTP method a gateway asks for; the binding then holds it and is
    ///   good for that method only.
    func decide(subject: String, credentials: [String], api: String, action: Action, context: [String: ClaimValue],
                explain: Bool, issueBinding: Bool = true, method: String? = nil) throws -> Outcome {
        let now = clock()
        let (policies, verifier, record) = state.withLock { ($0.policies, $0.verifier, $0.subjects[subject]) }
        let evidence = SubjectEvidence(subject: subject, credentials: credentials, registryAttributes: record ?? [:], context: context)
        let bag = AttributeResolver.resolve(evidence, api: api, at: now, policies: policies, verifier: verifier, ontology: ontology)
        let decision = DecisionPoint.decide(api: api, action: action, at: now, attributes: bag, policies: policies, explain: explain)
        guard decision.effect == .permit, issueBinding else { return Outcome(decision: decision) }
        // The same request again, with nothing changed since (policies, registry, credentials),
        // gets the binding issued for it while that has at least half its life left: a gateway
        // asking many times a second then costs no signature, and the bindings kept in memory
        // stay as many as distinct requests rather than requests per TTL.
        let plainContext = context.allSatisfy { if case .string = $0.value { true } else { false } }
        let key = plainContext ? reuseKey(subject: subject, credentials: credentials, api: api, action: action,
                                          generation: decision.generation, context: context, method: method) : nil
        if let key, let issued = state.withLock({ state -> IssuedBinding? in
            guard let jti = state.reusable[key], let issued = state.bindings[jti], state.revoked[jti] == nil else { return nil }
            let life = Double(issued.claims.exp - issued.claims.iat)
            return Double(issued.claims.exp) - now >= life / 2 ? issued : nil
        }) {
            return Outcome(decision: decision, binding: issued.token, claims: issued.claims, claimsJSON: issued.claimsJSON)
        }
        var (claims, instances) = bindingClaims(for: decision, subject: subject, api: api, action: action, policies: policies, now: now)
        claims.method = method
        let token = try claims.sign(with: keys.current)
        let claimsJSON = claims.json
        state.withLock { state in
            if state.bindings.count >= state.pruneAt {
                state.bindings = state.bindings.filter { Double($0.value.claims.exp) > now }
                state.reusable = state.reusable.filter { state.bindings[$0.value] != nil }
                state.pruneAt = max(100_000, state.bindings.count * 2)
            }
            state.bindings[claims.jti] = IssuedBinding(claims: claims, token: token, claimsJSON: claimsJSON, evidence: evidence,
                                                       instances: instances)
            if let key { state.reusable[key] = claims.jti }
        }
        return Outcome(decision: decision, binding: token, claims: claims, claimsJSON: claimsJSON)
    }

    private func bindingClaims(for decision: Decision, subject: String, api: String, action: Action, policies: PolicySet,
                               now: Double) -> (BindingClaims, Set<String>) {
        var endpoints: [BindingClaims.Endpoint] = []
        var instances: Set<String> = []
        let route = policies.route(for: api)
        if route?.redirect == nil, let name = try? ServiceName(api), let resolution = try? registry.resolve(name) {
            var resolution = resolution
            if let route, !route.targets.isEmpty { resolution.apply(route: route.id, versions: route.targets.map { ($0.version, $0.weight) }) }
            for endpoint in resolution.endpoints {
                instances.insert(endpoint.instance)
                endpoints.append(.init(protocol: endpoint.protocol.rawValue, address: endpoint.address, version: endpoint.version,
                                       weight: endpoint.weight, health: endpoint.health.rawValue, method: endpoint.method, topic: endpoint.topic))
            }
        }
        var expiry = min(now + bindingTTL, decision.stableUntil)
        if let credentials = decision.credentialsExpire { expiry = min(expiry, credentials) }
        let issued = Int(now.rounded(.down))
        let claims = BindingClaims(iss: issuer, sub: subject, api: api, act: action, endpoints: endpoints, constraints: decision.constraints,
                                   iat: issued, nbf: issued, exp: max(issued + 1, Int(expiry.rounded(.down))), generation: decision.generation,
                                   jti: UUID().uuidString.lowercased(), rules: decision.rules, redirect: route?.redirect)
        return (claims, instances)
    }

    /// Whether the `create`/`destroy` policies let the subject write the name: always, when
    /// no rule guards that action at all (registration is then governed by token scopes only).
    func guards(_ action: Action, name: String, subject: String, credentials: [String]) -> Bool {
        let policies = self.policies
        guard policies.rules.contains(where: { $0.actions.contains(action) }) else { return true }
        let outcome = try? decide(subject: subject, credentials: credentials, api: name, action: action, context: [:], explain: false, issueBinding: false)
        return outcome?.decision.effect == .permit
    }

    // MARK: Bindings

    /// Bindings issued and not expired, newest first.
    func bindings(subject: String? = nil, api: String? = nil) -> [(BindingClaims, revoked: Bool)] {
        let now = clock()
        return state.withLock { state in
            state.bindings.values.filter { binding in
                Double(binding.claims.exp) > now && (subject.map { $0 == binding.claims.sub } ?? true) && (api.map { $0 == binding.claims.api } ?? true)
            }.map { ($0.claims, state.revoked[$0.claims.jti] != nil) }
        }.sorted { ($0.0.iat, $0.0.jti) > ($1.0.iat, $1.0.jti) }
    }

    func binding(_ jti: String) -> (BindingClaims, revoked: Bool)? {
        state.withLock { state in state.bindings[jti].map { ($0.claims, state.revoked[jti] != nil) } }
    }

    func isRevoked(_ jti: String) -> Bool { state.withLock { $0.revoked[jti] != nil } }

    /// Revokes bindings (durably) and tells watchers; returns the change index.
    @discardableResult
    func revoke(_ jtis: [String]) async throws -> Int64 {
        let now = clock()
        let entries = state.withLock { state in
            jtis.filter { state.revoked[$0] == nil }.map { jti in
                (jti, state.bindings[jti].map { Double($0.claims.exp) } ?? now + bindingTTL, state.bindings[jti]?.claims.api)
            }
        }
        guard !entries.isEmpty else { return registry.index }
        return try await registry.commit(
            entries.map { .init(collection: Self.revokedCollection, key: $0.0, value: String(Int($0.1.rounded(.up)))) },
            events: entries.map { .init(.bindingRevoked, id: $0.0, name: $0.2) }, applied: { [self] in
                state.withLock { state in
                    for (jti, expires, _) in entries { state.revoked[jti] = expires }
                }
            })
    }

    /// Re-decides every live binding under the current policies, authorities and subject
    /// records, and revokes those no longer permitted.
    func withdrawBindings() async {
        let now = clock()
        let (live, policies, verifier, subjects) = state.withLock { state in
            (state.bindings.values.filter { Double($0.claims.exp) > now && state.revoked[$0.claims.jti] == nil }, state.policies, state.verifier, state.subjects)
        }
        var withdrawn: [String] = []
        for binding in live {
            var evidence = binding.evidence
            evidence.registryAttributes = subjects[evidence.subject] ?? [:]
            let bag = AttributeResolver.resolve(evidence, api: binding.claims.api, at: now, policies: policies, verifier: verifier, ontology: ontology)
            if DecisionPoint.decide(api: binding.claims.api, action: binding.claims.act, at: now, attributes: bag, policies: policies).effect != .permit {
                withdrawn.append(binding.claims.jti)
            }
        }
        if !withdrawn.isEmpty { _ = try? await revoke(withdrawn) }
    }

    /// Revokes the bindings that point to an instance that went away.
    func instanceGone(_ registrationID: String) async {
        let now = clock()
        let affected = state.withLock { state in
            state.bindings.values.filter { $0.instances.contains(registrationID) && Double($0.claims.exp) > now }.map(\.claims.jti)
        }
        if !affected.isEmpty { _ = try? await revoke(affected) }
    }

    /// What makes two decision requests the same for ``decide``'s binding reuse: the request,
    /// the policy generation, and the registry's change index (endpoints come from it).
    private func reuseKey(subject: String, credentials: [String], api: String, action: Action, generation: Int64,
                          context: [String: ClaimValue], method: String?) -> String {
        var parts = [subject, api, action.rawValue, String(generation), String(registry.index), method ?? ""]
        for (name, value) in context.sorted(by: { $0.key < $1.key }) {
            if case .string(let text) = value { parts += [name, text] }
        }
        return (parts + credentials).joined(separator: "\u{1F}")
    }

    /// Forgets expired bindings and revocations.
    func prune() {
        let now = clock()
        state.withLock { state in
            state.bindings = state.bindings.filter { Double($0.value.claims.exp) > now }
            state.reusable = state.reusable.filter { state.bindings[$0.value] != nil }
            state.revoked = state.revoked.filter { $0.value > now }
        }
    }

    /// Checks a binding presented to the gateway: signed by one of our keys, in its validity
    /// period, not revoked. Nil with the reason otherwise.
    func verifyBinding(_ token: String) -> Result<BindingClaims, APIError> {
        guard let claims = BindingClaims.verified(token, keys: keys.verificationKeys()), claims.iss == issuer else {
            return .failure(APIError(.unauthorized, code: "binding.invalid", "the binding's signature does not verify"))
        }
        let now = clock()
        if Double(claims.exp) <= now { return .failure(APIError(.unauthorized, code: "binding.expired", "the binding expired")) }
        if Double(claims.nbf) > now + 5 { return .failure(APIError(.unauthorized, code: "binding.not_yet_valid", "the binding is not valid yet")) }
        if isRevoked(claims.jti) { return .failure(APIError(.unauthorized, code: "binding.revoked", "the binding was revoked")) }
        return .success(claims)
    }
}
