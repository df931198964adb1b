import Foundation
import Hummingbird
import JOSE
import JSON
import Ontology
import Registry

/// `/v1/cluster`: what an operator (and the cluster tests) compare across nodes.
///
/// - `GET /v1/cluster/status`: this node, its applied log position and lag, and every node
///   that reported itself in etcd (`mode: single` without --etcd).
/// - `GET /v1/cluster/digest`: the SHA-256 of the store's whole state
///   (``QuadStore/Snapshot/fingerprintText()``) with the position it reflects; two nodes at the
///   same position must give the same digest.
struct ClusterController {
    let node: ClusterNode?
    let store: QuadStore
    let registry: Registry

    func addRoutes(to router: Router<RegistrydContext>) {
        router.get("v1/cluster/status") { _, context -> Response in
            _ = try context.requireAdmin()
            var status: [String: JSONValue] = ["index": .number(Double(registry.index))]
            if let node {
                status["mode"] = "cluster"
                status["node"] = node.healthJSON
                status["members"] = .array(try await node.members())
            } else {
                status["mode"] = "single"
            }
            return JSONResponse.make(writing: JSONValue.object(status))
        }
        router.get("v1/cluster/digest") { _, context -> Response in
            _ = try context.requireAdmin()
            let text = try await store.read { snapshot in try snapshot.fingerprintText() }
            // The position the text itself names (see fingerprintText), not the store's now.
            let position = text.starts(with: Array("#position ".utf8))
                ? Int64(String(decoding: text.dropFirst(10).prefix { $0 != 0x0A }, as: UTF8.self)) ?? 0 : 0
            let digest = try SHA256Digest.hash(text).map { String(format: "%02x", $0) }.joined()
            return JSONResponse.make(writing: JSONValue.object([
                "position": .number(Double(position)), "index": .number(Double(registry.index)),
                "digest": .string(digest), "bytes": .number(Double(text.count)),
            ]))
        }
    }
}
