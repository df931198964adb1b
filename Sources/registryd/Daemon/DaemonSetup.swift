import AccessService
import Foundation
import JOSE
import Ontology
import Registry

/// What `serve` and `demo` do to a data directory before using it: open the store and the
/// registry, load the bundled ontologies (new or changed files only), and on first start create
/// the admin token, written to `<data>/admin.token` (mode 0600) and returned so it can be shown.
struct DaemonSetup {
    let store: QuadStore
    let registry: Registry
    let tokens: TokenStore
    let access: AccessService
    /// The new admin token's secret, on first start only.
    let newAdminToken: String?
    let loadedOntologies: [LoadedOntology]
    let shareDirectory: String?

    static func open(data: String, bindingTTL: Double = 300, eventRetention: Int = 10_000,
                     durability: QuadStore.Configuration.Durability = .processCrash,
                     cluster: ClusterNode? = nil) async throws -> DaemonSetup {
        var configuration = QuadStore.Configuration()
        configuration.durability = durability
        // A node behind the log's start takes another node's snapshot first.
        if let cluster { try await cluster.prepare(dataDirectory: data) }
        let store = try StoreAccess.open(data, configuration: configuration)
        do {
            // A cluster node first takes the site's state from the log, so that what follows
            // (the first admin token, the bundled ontologies) is decided on it.
            if let cluster { try await cluster.attach(to: store) }
            let registry = try Registry(store: store, eventRetention: eventRetention)
            let tokens = try await TokenStore(journal: registry)
            var secret: String?
            if tokens.isEmpty {
                let (_, created) = try await tokens.create(scopes: [.admin], description: "admin token created on first start")
                let path = data + "/admin.token"
                FileManager.default.createFile(atPath: path, contents: Data((created + "\n").utf8), attributes: [.posixPermissions: 0o600])
                secret = created
            }
            let share = ShareDirectory.locate()
            var loaded: [LoadedOntology] = []
            if let share {
                loaded = try await registry.loadOntologies(from: share + "/ontologies")
            }
            // Binding signing keys live beside the store, private to the daemon's user; in a
            // cluster they are the site's, replicated, so every node's bindings verify alike.
            let keys = cluster != nil ? try await AccessService.sharedKeyRing(journal: registry)
                                      : try KeyRing(directory: data + "/keys")
            let access = try await AccessService(registry: registry, journal: registry, store: store, keys: keys, bindingTTL: bindingTTL)
            if let reason = access.degradedReason {
                FileHandle.standardError.write(Data("registryd: warning: \(reason)\n".utf8))
            }
            return DaemonSetup(store: store, registry: registry, tokens: tokens, access: access, newAdminToken: secret,
                               loadedOntologies: loaded, shareDirectory: share)
        } catch {
            store.close()
            if let failure = error as? CommandFailure { throw failure }
            throw CommandFailure("\(data): \(error)")
        }
    }
}
