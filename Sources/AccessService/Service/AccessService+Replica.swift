import AccessControl
import JOSE
import JSON
import Registry

/// Cluster mode: the access service's memory follows the records other nodes wrote.
extension AccessService {
    /// Starts following; called by `init` (a single-node journal never reports remote changes).
    func followRemoteChanges() {
        journal.onRemoteChanges { [weak self] changes in self?.applyRemote(changes) }
    }

    /// Runs in the commit hook of the entries that carried `changes` (on the store's writer
    /// queue), so the next local write checks its generation against what they wrote.
    private func applyRemote(_ changes: [RecordChange]) {
        let decoder = JSONValueDecoder(rejectsUnknownFields: false)
        var generation: Int64?
        var touched = false
        state.withLock { state in
            for change in changes {
                switch change.collection {
                case Self.policyCollection:
                    state.documents[change.key] = change.value
                case Self.metaCollection where change.key == "generation":
                    generation = change.value.flatMap { Int64($0) }
                case Self.authorityCollection:
                    state.authorities[change.key] = change.value
                        .flatMap { try? decoder.decode(JWKSet.self, from: Array($0.utf8)) }
                        .map { Authority(name: change.key, keys: $0) }
                    state.verifier = (try? CredentialVerifier(authorities: Array(state.authorities.values))) ?? state.verifier
                case Self.subjectCollection:
                    state.subjects[change.key] = change.value.flatMap { try? decoder.decode([String: JSONValue].self, from: Array($0.utf8)) }
                case Self.keyCollection:
                    adoptRemoteKey(change)
                case Self.revokedCollection:
                    if let expires = change.value.flatMap({ Double($0) }) { state.revoked[change.key] = expires }
                default:
                    continue
                }
                touched = true
            }
        }
        guard touched else { return }
        if let generation {
            let documents = state.withLock { Self.ordered($0.documents) }
            // The writer compiled the same documents against the same store state.
            let result = Result { try ontology.readingBlocking { try PolicySet.compile(documents, generation: generation, ontology: $0) } }
            state.withLock { state in
                switch result {
                case .success(let compiled):
                    state.policies = compiled
                    state.degraded = nil
                case .failure(let error):
                    state.policies = PolicySet.empty.with(generation: generation)
                    state.degraded = "the policies of generation \(generation) written by another node do not compile here: \(error); no rules are in force"
                }
            }
        }
        Task { await self.withdrawBindings() }
    }
}
