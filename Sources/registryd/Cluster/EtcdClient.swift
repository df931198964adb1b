import AsyncHTTPClient
import Foundation
import JSON
import NIOCore
import NIOHTTP1
import NIOSSL
import Ontology
import Synchronization

/// etcd's v3 API through its JSON gateway (`/v3/kv/...`, `/v3/watch`), over AsyncHTTPClient.
///
/// The gateway needs nothing but HTTP/1.1 and JSON, which the daemon already speaks, where
/// gRPC would add generated protobuf code and grpc-swift's build for the same five calls. Keys
/// and values travel base64-encoded, 64-bit numbers as strings, as the gateway's JSON mapping
/// has them. A request goes to the member that answered last and, when it cannot be reached, to
/// the next one; any member forwards writes to the leader.
final class EtcdClient: Sendable {
    let endpoints: [String]
    private let client: HTTPClient
    private let current = Mutex(0)
    /// The longest one try at one member takes before the next member is tried.
    static let attemptTimeout = TimeAmount.milliseconds(1500)
    /// How long a request may wait for etcd (a write without quorum waits this long, then fails).
    let requestTimeout: TimeAmount

    init(endpoints: [String], requestTimeout: TimeAmount = .seconds(5), tls: TLSConfiguration? = nil) {
        self.endpoints = endpoints.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(2), read: requestTimeout)
        if let tls { configuration.tlsConfiguration = tls }
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.requestTimeout = requestTimeout
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// ``shutdown()`` for a command line tool that is not async.
    func syncShutdown() throws {
        try client.syncShutdown()
    }

    // MARK: Calls

    /// A key and its value as etcd returns them.
    struct KeyValue: Sendable {
        var key: [UInt8]
        var value: [UInt8]
        /// The id of the lease the key is attached to ("" for none).
        var lease: String
    }

    /// `Range`: the keys in [key, rangeEnd), ascending, at most `limit` (0: all), and the store's revision.
    func range(_ key: [UInt8], end: [UInt8]? = nil, limit: Int = 0, serializable: Bool = false,
               keysOnly: Bool = false, descending: Bool = false) throws -> (revision: Int64, kvs: [KeyValue]) {
        var body: [String: JSONValue] = ["key": .string(Self.base64(key))]
        if descending {
            body["sort_order"] = "DESCEND"
            body["sort_target"] = "KEY"
        }
        if keysOnly { body["keys_only"] = .bool(true) }
        if let end { body["range_end"] = .string(Self.base64(end)) }
        if limit > 0 { body["limit"] = .string(String(limit)) }
        if serializable { body["serializable"] = .bool(true) }
        let answer = try call("/v3/kv/range", .object(body))
        let kvs = Self.items(answer["kvs"]).compactMap { item -> KeyValue? in
            guard let key = item["key"]?.stringValue.flatMap(Self.bytes) else { return nil }
            return KeyValue(key: key, value: item["value"]?.stringValue.flatMap(Self.bytes) ?? [],
                            lease: item["lease"]?.stringValue ?? "")
        }
        return (Self.revision(of: answer), kvs)
    }

    /// Puts `value` at `key` only if the key does not exist; returns whether it did so.
    func create(_ key: [UInt8], value: [UInt8]) throws -> Bool {
        let encoded = JSONValue.string(Self.base64(key))
        let answer = try call("/v3/kv/txn", [
            "compare": [["key": encoded, "target": "CREATE", "result": "EQUAL", "create_revision": "0"]],
            "success": [["request_put": ["key": encoded, "value": .string(Self.base64(value))]]],
        ])
        return answer["succeeded"] == .bool(true)
    }

    /// `Put`; returns the revision it made.
    @discardableResult
    func put(_ key: [UInt8], value: [UInt8]) throws -> Int64 {
        Self.revision(of: try call("/v3/kv/put", ["key": .string(Self.base64(key)), "value": .string(Self.base64(value))]))
    }

    /// `DeleteRange` of one key.
    func delete(_ key: [UInt8]) throws {
        _ = try call("/v3/kv/deleterange", ["key": .string(Self.base64(key))])
    }

    /// `DeleteRange` of the keys in [key, end).
    func deleteRange(_ key: [UInt8], end: [UInt8]) throws {
        _ = try call("/v3/kv/deleterange", ["key": .string(Self.base64(key)), "range_end": .string(Self.base64(end))])
    }

    /// `DeleteRange` of every key under `prefix`.
    func deletePrefix(_ prefix: [UInt8]) throws {
        _ = try call("/v3/kv/deleterange", ["key": .string(Self.base64(prefix)), "range_end": .string(Self.base64(Self.prefixEnd(prefix)))])
    }

    /// `LeaseGrant`: a lease of `ttl` seconds; returns its id.
    func grantLease(ttl: Int) throws -> String {
        let answer = try call("/v3/lease/grant", ["TTL": .string(String(ttl))])
        guard let id = answer["ID"]?.stringValue else { throw OntologyError(.replicationUnavailable, "etcd granted no lease") }
        return id
    }

    /// `LeaseKeepAlive` once; returns the lease's remaining TTL in seconds (0: it is gone).
    func keepAlive(lease: String) throws -> Int {
        let answer = try call("/v3/lease/keepalive", ["ID": .string(lease)])
        return Int(answer["result"]?["TTL"]?.stringValue ?? "") ?? 0
    }

    /// Puts `value` at `key` under `lease` if the key does not exist; returns whether it did so,
    /// and the key's value otherwise.
    func create(_ key: [UInt8], value: [UInt8], lease: String) throws -> (created: Bool, holder: [UInt8]?) {
        let encoded = JSONValue.string(Self.base64(key))
        let answer = try call("/v3/kv/txn", [
            "compare": [["key": encoded, "target": "CREATE", "result": "EQUAL", "create_revision": "0"]],
            "success": [["request_put": ["key": encoded, "value": .string(Self.base64(value)), "lease": .string(lease)]]],
            "failure": [["request_range": ["key": encoded]]],
        ])
        if answer["succeeded"] == .bool(true) { return (true, value) }
        let holder = Self.items(Self.items(answer["responses"]).first?["response_range"]?["kvs"]).first?["value"]?.stringValue.flatMap(Self.bytes)
        return (false, holder)
    }

    /// Follows the keys under `prefix` from `revision`: calls `onChange` for every message the
    /// watch stream sends, until the stream ends or fails (the caller opens it again).
    func watch(prefix: [UInt8], from revision: Int64, onChange: @Sendable () -> Void) async throws {
        let body: JSONValue = ["create_request": [
            "key": .string(Self.base64(prefix)), "range_end": .string(Self.base64(Self.prefixEnd(prefix))),
            "start_revision": .string(String(revision)),
        ]]
        var request = HTTPClientRequest(url: endpoints[current.withLock { $0 } % endpoints.count] + "/v3/watch")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body.jsonText))
        let response = try await client.execute(request, timeout: .hours(24 * 365))
        guard response.status == .ok else { throw OntologyError(.replicationUnavailable, "etcd answered the watch with \(response.status.code)") }
        for try await _ in response.body { onChange() }
    }

    /// GETs `url` with a bearer token into `file` (a node's snapshot, which may be large).
    func download(_ url: String, bearer: String, to file: String) async throws {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer " + bearer)
        let response = try await client.execute(request, timeout: .minutes(30))
        guard response.status == .ok else { throw OntologyError(.io, "\(url) answered \(response.status.code)") }
        FileManager.default.createFile(atPath: file, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: file) else { throw OntologyError(.io, "cannot write `\(file)`") }
        defer { try? handle.close() }
        for try await buffer in response.body {
            try handle.write(contentsOf: Data(buffer.readableBytesView))
        }
    }

    // MARK: Transport

    /// POSTs a JSON body to one member after another until one answers; blocks the calling
    /// thread (the store's writer queue), never an event loop.
    private func call(_ path: String, _ body: JSONValue) throws -> JSONValue {
        let text = body.jsonText
        var lastError: any Error = OntologyError(.replicationUnavailable, "no etcd endpoint")
        // One deadline for the whole call, tried member after member: a write without quorum
        // fails after `requestTimeout`, not after that once per member. Each try is capped at
        // `attemptTimeout`, so a proposal lost with a dead leader is sent again to a live member
        // within that time (an append is safe to repeat: see ``EtcdLog/append(_:)``).
        let deadline = NIODeadline.now() + requestTimeout
        var index = current.withLock { $0 }
        var attempt = 0
        // Whether a try may have reached etcd without an answer: the write may then still be
        // applied once etcd has quorum again, and the error must say so.
        var unanswered = false
        while NIODeadline.now() < deadline {
            if attempt > 0 {
                index = (index + 1) % endpoints.count
                // Past one round of members, wait a little for an election to finish.
                if attempt % endpoints.count == 0 { usleep(100_000) }
            }
            attempt += 1
            let remaining = deadline - NIODeadline.now()
            let share = min(remaining, Self.attemptTimeout)
            do {
                let request = try HTTPClient.Request(url: endpoints[index] + path, method: .POST,
                                                     headers: ["content-type": "application/json"], body: .string(text))
                let response = try client.execute(request: request, deadline: .now() + share).wait()
                let bytes = response.body.map { Array($0.readableBytesView) } ?? []
                let answer = (try? JSONValue.parse(bytes)) ?? .null
                guard response.status == .ok else {
                    let message = answer["message"]?.stringValue ?? answer["error"]?.stringValue ?? "status \(response.status.code)"
                    if message.contains("too large") {
                        throw OntologyError(.replicationTooLarge, "etcd refused the write: \(message)")
                    }
                    // A member that lost quorum answers, but cannot serve: try the next one.
                    lastError = OntologyError(.replicationUnavailable, "etcd at \(endpoints[index]): \(message)")
                    continue
                }
                let answered = index
                current.withLock { $0 = answered }
                return answer
            } catch let error as OntologyError where error.code == .replicationTooLarge {
                throw error
            } catch {
                if let failure = error as? HTTPClientError, failure == .deadlineExceeded || failure == .readTimeout { unanswered = true }
                lastError = OntologyError(.replicationUnavailable, "etcd at \(endpoints[index]) cannot be reached: \(error)")
            }
        }
        if unanswered, path == "/v3/kv/txn" || path == "/v3/kv/put" {
            throw OntologyError(.replicationUnavailable,
                                "etcd did not confirm the write in \(requestTimeout.nanoseconds / 1_000_000_000) s (no quorum?); it may still take effect once etcd recovers, so check before repeating a write that is not idempotent")
        }
        throw lastError
    }

    static func items(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items) = value { return items }
        return []
    }

    static func revision(of answer: JSONValue) -> Int64 {
        Int64(answer["header"]?["revision"]?.stringValue ?? "") ?? 0
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func bytes(_ base64: String) -> [UInt8]? { Data(base64Encoded: base64).map { Array($0) } }

    /// The first key after every key that starts with `prefix` (etcd's `range_end` for a prefix).
    static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return [0]
    }
}
