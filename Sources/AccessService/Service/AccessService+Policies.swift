import AccessControl
import Foundation
import JOSE
import JSON
import Registry

extension AccessService {
    /// Validates the set with `text` as document `name` (nil removes it) and makes it take
    /// effect under the next generation, atomically; then re-decides the live bindings.
    /// Returns the new set.
    public func setPolicy(_ name: String, text: String?) async throws -> PolicySet {
        try await writer.run { try await self.applyPolicy(name, text: text) }
    }

    private func applyPolicy(_ name: String, text: String?) async throws -> PolicySet {
        let (documents, expected) = state.withLock { state -> ([String: String], Int64) in
            var documents = state.documents
            documents[name] = text
            return (documents, state.policies.generation)
        }
        if text == nil, self.documents[name] == nil { throw AccessServiceError(.notFound, "no policy named `\(name)`") }
        // Compiled on a reader thread: the orderings of domains are read from the store.
        let ordered = Self.ordered(documents)
        let (compiled, snapshot) = try await ontology.reading { ontology in
            let recorder = OrderingSnapshot.Recorder(ontology)
            return (try PolicySet.compile(ordered, generation: expected + 1, ontology: recorder), recorder.snapshot)
        }
        let orderings = try CompactJSONEncoder.encode(snapshot)
        let changes = [
            RecordChange(collection: Self.policyCollection, key: name, value: text),
            RecordChange(collection: Self.metaCollection, key: "generation", value: String(expected + 1)),
            RecordChange(collection: Self.metaCollection, key: "orderings", value: orderings),
        ]
        try await journal.commit(changes, events: [EventSpec(.policyChanged, id: name, generation: expected + 1)], check: { [self] in
            // Two admins changing policies at once: the second must rebase on the first.
            guard state.withLock({ $0.policies.generation }) == expected else {
                throw AccessServiceError(.conflict, "the policies changed meanwhile (generation \(expected) is gone); retry")
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

    /// Sets (or, with nil, removes) the keys an authority signs credentials with; then
    /// re-decides the live bindings.
    public func setAuthority(_ name: String, keys: JWKSet?) async throws {
        if let keys {
            guard !keys.keys.isEmpty else { throw AccessServiceError(.invalidRequest, "an authority needs at least one key") }
            for key in keys.keys {
                do { _ = try VerificationKey(jwk: key) } catch {
                    throw AccessServiceError(.invalidRequest, "a key of `\(name)` is not usable: \(error)")
                }
            }
        } else if state.withLock({ $0.authorities[name] }) == nil {
            throw AccessServiceError(.notFound, "no authority named `\(name)`")
        }
        let encoded = try keys.map { try CompactJSONEncoder.encode($0) }
        try await journal.commit([RecordChange(collection: Self.authorityCollection, key: name, value: encoded)],
                                 events: [EventSpec(.authorityChanged, id: name)], applied: { [self] in
            state.withLock { state in
                state.authorities[name] = keys.map { Authority(name: name, keys: $0) }
                // Every key was checked above, so this cannot fail.
                state.verifier = (try? CredentialVerifier(authorities: Array(state.authorities.values))) ?? state.verifier
            }
        })
        await withdrawBindings()
    }

    /// Sets (or, with nil, removes) a subject's registry attributes; then re-decides the live
    /// bindings.
    public func setSubject(_ id: String, attributes: [String: JSONValue]?) async throws {
        if attributes == nil, subject(id) == nil { throw AccessServiceError(.notFound, "no subject `\(id)`") }
        let encoded = try attributes.map { try CompactJSONEncoder.encode($0) }
        try await journal.commit([RecordChange(collection: Self.subjectCollection, key: id, value: encoded)],
                                 events: [EventSpec(.subjectChanged, id: id)], applied: { [self] in
            state.withLock { $0.subjects[id] = attributes }
        })
        await withdrawBindings()
    }
}
