import AccessControl
import Foundation
import JSON
import Registry

extension AccessService {
    /// The result of a decision: the decision and, on permit, the signed binding.
    public struct Outcome: Sendable {
        public var decision: Decision
        public var binding: String?
        public var claims: BindingClaims?
        /// `claims.json` of the binding, when there is one.
        public var claimsJSON: String?
    }

    /// Decides, and on permit issues (or reuses) a binding.
    /// - Parameters:
    ///   - issueBinding: false to decide only (registration's `create`/`destroy` checks).
    ///   - method: the HTTP method a gateway asks for; the binding then holds it and is good
    ///     for that method only.
    public func decide(subject: String, credentials: [String], api: String, action: Action, context: [String: JSONValue],
                       explain: Bool, issueBinding: Bool = true, method: String? = nil) async throws -> Outcome {
        guard let observer = decisionObserver.withLock({ $0 }) else {
            return try await decideUnobserved(subject: subject, credentials: credentials, api: api, action: action, context: context,
                                              explain: explain, issueBinding: issueBinding, method: method).outcome
        }
        let started = ContinuousClock.now
        let (outcome, bag, policies) = try await decideUnobserved(subject: subject, credentials: credentials, api: api, action: action,
                                                                  context: context, explain: explain, issueBinding: issueBinding, method: method)
        let latency = ContinuousClock.now - started
        // The attributes as the policies read them, written out only for the log.
        let attributes = policies.attributes.compactMap { declaration in
            bag.values[declaration.slot].map { (declaration.reference.description, $0.description) }
        }
        observer(DecisionRecord(time: clock().seconds, subject: subject, api: api, action: action, method: method, decision: outcome.decision,
                                binding: outcome.claims?.jti, attributes: attributes, latency: latency))
        return outcome
    }

    /// Sets what is told of every decision from now on (nil: nobody).
    public func observeDecisions(_ observer: (@Sendable (DecisionRecord) -> Void)?) {
        decisionObserver.withLock { $0 = observer }
    }

    private func decideUnobserved(subject: String, credentials: [String], api: String, action: Action, context: [String: JSONValue],
                                  explain: Bool, issueBinding: Bool, method: String?) async throws
        -> (outcome: Outcome, attributes: AttributeBag, policies: PolicySet) {
        let (policies, verifier, record) = state.withLock { ($0.policies, $0.verifier, $0.subjects[subject]) }
        let facts = try await ontology.facts(api: api, policies: policies)
        let now = clock().seconds
        let evidence = SubjectEvidence(subject: subject, credentials: credentials, registryAttributes: record ?? [:], context: context)
        let bag = AttributeResolver.resolve(evidence, api: api, at: now, policies: policies, verifier: verifier, ontology: facts)
        let decision = DecisionPoint.decide(api: api, action: action, at: now, attributes: bag, policies: policies, explain: explain)
        guard decision.effect == .permit, issueBinding else { return (Outcome(decision: decision), bag, policies) }
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
            return (Outcome(decision: decision, binding: issued.token, claims: issued.claims, claimsJSON: issued.claimsJSON), bag, policies)
        }
        var (claims, instances) = bindingClaims(for: decision, subject: subject, api: api, action: action, policies: policies, now: now)
        claims.method = method
        let (token, claimsJSON) = try claims.signed(with: keys.current)
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
        return (Outcome(decision: decision, binding: token, claims: claims, claimsJSON: claimsJSON), bag, policies)
    }

    /// Whether the `create`/`destroy` policies let the subject write the name: always, when
    /// no rule guards that action at all (registration is then governed by token scopes only).
    public func guards(_ action: Action, name: String, subject: String, credentials: [String]) async -> Bool {
        let policies = self.policies
        guard policies.rules.contains(where: { $0.actions.contains(action) }) else { return true }
        let outcome = try? await decide(subject: subject, credentials: credentials, api: name, action: action, context: [:],
                                        explain: false, issueBinding: false)
        return outcome?.decision.effect == .permit
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

    /// What makes two decision requests the same for ``decide``'s binding reuse: the request,
    /// the policy generation, and the journal's index (endpoints come from the registry).
    private func reuseKey(subject: String, credentials: [String], api: String, action: Action, generation: Int64,
                          context: [String: JSONValue], method: String?) -> String {
        var parts = [subject, api, action.rawValue, String(generation), String(journal.index), method ?? ""]
        for (name, value) in context.sorted(by: { $0.key < $1.key }) {
            if case .string(let text) = value { parts += [name, text] }
        }
        return (parts + credentials).joined(separator: "\u{1F}")
    }
}
