import AccessControl
import Registry

extension AccessService {
    /// Bindings issued and not expired, newest first.
    public func bindings(subject: String? = nil, api: String? = nil) -> [(BindingClaims, revoked: Bool)] {
        let now = clock().seconds
        return state.withLock { state in
            state.bindings.values.filter { binding in
                Double(binding.claims.exp) > now && (subject.map { $0 == binding.claims.sub } ?? true) && (api.map { $0 == binding.claims.api } ?? true)
            }.map { ($0.claims, state.revoked[$0.claims.jti] != nil) }
        }.sorted { ($0.0.iat, $0.0.jti) > ($1.0.iat, $1.0.jti) }
    }

    public func binding(_ jti: String) -> (BindingClaims, revoked: Bool)? {
        state.withLock { state in state.bindings[jti].map { ($0.claims, state.revoked[jti] != nil) } }
    }

    public func isRevoked(_ jti: String) -> Bool { state.withLock { $0.revoked[jti] != nil } }

    /// Revokes bindings (durably) and tells watchers (`binding.revoked`); returns the journal's
    /// index after the revocation.
    ///
    /// - Parameter generation: set when the bindings are withdrawn because their name was
    ///   rebound (the pin's generation, carried by the events): gateways then decide again
    ///   rather than cut the client off.
    @discardableResult
    public func revoke(_ jtis: [String], generation: Int64? = nil) async throws -> Int64 {
        let now = clock().seconds
        let entries = state.withLock { state in
            jtis.filter { state.revoked[$0] == nil }.map { jti in
                (jti, state.bindings[jti].map { Double($0.claims.exp) } ?? now + bindingTTL, state.bindings[jti]?.claims.api)
            }
        }
        guard !entries.isEmpty else { return journal.index }
        return try await journal.commit(
            entries.map { RecordChange(collection: Self.revokedCollection, key: $0.0, value: String(Int($0.1.rounded(.up)))) },
            events: entries.map { EventSpec(.bindingRevoked, id: $0.0, name: $0.2, generation: generation) }, applied: { [self] in
                state.withLock { state in
                    for (jti, expires, _) in entries { state.revoked[jti] = expires }
                }
            })
    }

    /// Re-decides every live binding under the current policies, authorities and subject
    /// records, and revokes those no longer permitted.
    public func withdrawBindings() async {
        let now = clock().seconds
        let (live, policies, verifier, subjects) = state.withLock { state in
            (state.bindings.values.filter { Double($0.claims.exp) > now && state.revoked[$0.claims.jti] == nil }, state.policies, state.verifier, state.subjects)
        }
        var withdrawn: [String] = []
        for binding in live {
            var evidence = binding.evidence
            evidence.registryAttributes = subjects[evidence.subject] ?? [:]
            // A binding whose facts cannot be read now is withdrawn: it fails closed.
            guard let facts = try? await ontology.facts(api: binding.claims.api, policies: policies) else {
                withdrawn.append(binding.claims.jti)
                continue
            }
            let bag = AttributeResolver.resolve(evidence, api: binding.claims.api, at: now, policies: policies, verifier: verifier, ontology: facts)
            if DecisionPoint.decide(api: binding.claims.api, action: binding.claims.act, at: now, attributes: bag, policies: policies).effect != .permit {
                withdrawn.append(binding.claims.jti)
            }
        }
        if !withdrawn.isEmpty { _ = try? await revoke(withdrawn) }
    }

    /// After `name` was rebound (a live migration's flip, `PUT /v1/resolve/pin`): revokes the
    /// live bindings of the name and of the names below it that point to an instance which no
    /// longer serves them, as `serving(api)` now answers (nil: the name resolves to nothing).
    /// The events carry the pin's generation, so gateways decide again and get bindings for the
    /// instances that serve now.
    public func rebound(_ name: String, generation: Int64?, serving: (String) -> Set<String>?) async {
        let now = clock().seconds
        let live = state.withLock { state in
            state.bindings.values.filter { binding in
                let api = binding.claims.api
                return (api == name || api.hasPrefix(name + "/")) && Double(binding.claims.exp) > now && state.revoked[binding.claims.jti] == nil
            }.map { ($0.claims.jti, $0.claims.api, $0.instances) }
        }
        var withdrawn: [String] = []
        var answers: [String: Set<String>?] = [:]
        for (jti, api, instances) in live {
            let now = answers[api] ?? serving(api)
            answers[api] = now
            if !instances.isSubset(of: now ?? []) { withdrawn.append(jti) }
        }
        if !withdrawn.isEmpty { _ = try? await revoke(withdrawn, generation: generation) }
    }

    /// Revokes the bindings that point to an instance that went away.
    public func instanceGone(_ registrationID: String) async {
        let now = clock().seconds
        let affected = state.withLock { state in
            state.bindings.values.filter { $0.instances.contains(registrationID) && Double($0.claims.exp) > now }.map(\.claims.jti)
        }
        if !affected.isEmpty { _ = try? await revoke(affected) }
    }

    /// Forgets expired bindings and revocations.
    public func prune() {
        let now = clock().seconds
        state.withLock { state in
            state.bindings = state.bindings.filter { Double($0.value.claims.exp) > now }
            state.reusable = state.reusable.filter { state.bindings[$0.value] != nil }
            state.revoked = state.revoked.filter { $0.value > now }
        }
    }

    /// Checks a binding presented to a gateway: signed by one of our keys, in its validity
    /// period, not revoked. The reason otherwise.
    public func verifyBinding(_ token: String) -> Result<BindingClaims, AccessServiceError> {
        guard let claims = BindingClaims.verified(token, keys: keys.verificationKeys()), claims.iss == issuer else {
            return .failure(AccessServiceError(.bindingInvalid, "the binding's signature does not verify"))
        }
        let now = clock().seconds
        if Double(claims.exp) <= now { return .failure(AccessServiceError(.bindingExpired, "the binding expired")) }
        if Double(claims.nbf) > now + 5 { return .failure(AccessServiceError(.bindingNotYetValid, "the binding is not valid yet")) }
        if isRevoked(claims.jti) { return .failure(AccessServiceError(.bindingRevoked, "the binding was revoked")) }
        return .success(claims)
    }

    /// Journals a key rotation (`keys.rotated`), so gateways fetch the JWKS again.
    @discardableResult
    public func announceRotation(kid: String) async throws -> Int64 {
        try await journal.commit([], events: [EventSpec(.keysRotated, id: kid)])
    }
}
