import AccessService
import ArgumentParser
import Foundation
import Hummingbird
import JOSE
import Prometheus
import Registry

/// `registryd routes` (hidden): prints every HTTP route as `METHOD /path`, with OpenAPI-style
/// `{param}` templates. A test compares it with `openapi.yaml`, so the document stays true.
struct Routes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the daemon's HTTP routes.", shouldDisplay: false)

    func run() async throws {
        let directory = NSTemporaryDirectory() + "registryd-routes-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StoreAccess.open(directory)
        defer { store.close() }
        let registry = try Registry(store: store)
        let access = try await AccessService(registry: registry, journal: registry, store: store, keys: try KeyRing(directory: directory + "/keys"))
        let services = Services(store: store, registry: registry, tokens: try await TokenStore(journal: registry), access: access,
                                metrics: PrometheusCollectorRegistry())
        let router = buildRouter(services, settings: ServerSettings())
        let lines = router.routes.map { route -> String in
            let path = route.path.description.split(separator: "/").map { segment in
                // OpenAPI has no recursive wildcard: `**` (any number of segments) is `{path}`.
                segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : segment == "**" ? "{path}" : String(segment)
            }.joined(separator: "/")
            return "\(route.method.rawValue) /\(path)"
        }
        writeToStandardOutput(Set(lines).sorted().joined(separator: "\n") + "\n")
    }
}
