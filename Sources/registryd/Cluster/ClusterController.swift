import Foundation
import HTTPTypes
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

    /// `GET /v1/cluster/snapshot`: a consistent copy of this node's store (SQLite, with the log
    /// position it reflects), for a node that starts behind the log's start. Before the token
    /// check: the caller presents the site's secret from etcd, not a token (it has none yet).
    static func addSnapshotRoute(to router: Router<RegistrydContext>, node: ClusterNode?, store: QuadStore) {
        router.get("v1/cluster/snapshot") { request, _ -> Response in
            guard let node else {
                throw APIError(.notFound, code: "cluster.not_a_node", "this daemon runs alone (no --etcd): it has no cluster snapshot to give")
            }
            let presented = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : "" } ?? ""
            let secret = try await node.secret()
            guard presented.utf8.count == secret.utf8.count,
                  zip(presented.utf8, secret.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
                throw APIError(.unauthorized, code: "auth.invalid_token", "a snapshot needs the site's secret")
            }
            let file = store.directory + "/snapshot-\(UUID().uuidString).db"
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { _ = try QuadStore.backup(directory: store.directory, to: file) })
                }
            }
            defer { try? FileManager.default.removeItem(atPath: file) }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            var headers = HTTPFields()
            headers[.contentType] = "application/vnd.sqlite3"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

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
