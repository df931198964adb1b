import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// Cluster mode: a write that reaches a node other than the one holding the election is sent
/// on to that node, as Consul's followers forward writes to their leader.
///
/// Any node may append to the log (a lost race runs the write again), so this is for speed,
/// not correctness: with one node appending, writes do not race for log positions, and that
/// node's group commit gathers every client's writes. The answer comes back once this node has
/// applied the write (the leader names its log position in `X-Registryd-Position`), so a client
/// still reads its own writes here. When the leader cannot be reached, the write is made here;
/// so is one without a bearer token (a client certificate or an anonymous scope authorizes it
/// on this connection only). The leader counts a forwarded write against the token's rate
/// limit again, and a pull registration is fetched by the leader (give nodes the same
/// `--pull-allow`).
struct ClusterWriteForwarder: RouterMiddleware {
    typealias Context = RegistrydContext
    let node: ClusterNode
    /// The largest body forwarded (the daemon's upload limit).
    let bodyLimit: Int



    /// Requests that change nothing although they are not GET: queries by POST, decisions.
    static func isRead(_ request: Request) -> Bool {
        let path = request.uri.path
        return request.method == .get || request.method == .head || request.method == .options
            || path == "/sparql" || path.hasPrefix("/v1/decisions") || path.hasPrefix("/v1/gateway")
            || path.hasPrefix("/v1/cluster")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Only what a bearer token authorizes: a client certificate or an anonymous scope belongs
        // to this connection and would not reach the leader.
        guard !Self.isRead(request), request.headers[HTTPField.Name.forwardedBy] == nil, request.headers[.authorization] != nil,
              let leader = node.leaderURL else {
            return try await next(request, context)
        }
        var request = request
        let body = try await request.collectBody(limit: bodyLimit)
        // A large write (an import) is appended here: it is not worth a second trip, and the
        // log takes it in chunks from any node.
        guard body.readableBytes <= ClusterForwarding.largestForwarded else {
            request.body = RequestBody(buffer: body)
            return try await next(request, context)
        }
        var outgoing = HTTPClientRequest(url: leader + (request.uri.string.hasPrefix("/") ? request.uri.string : "/" + request.uri.string))
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where ![.connection, .contentLength, .transferEncoding, HTTPField.Name.forwardedFor].contains(field.name) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        // The client's Host, so that what depends on it (the default base IRI of an update, a
        // graph named by its URL) is the same as if this node had made the write.
        if let authority = request.head.authority { outgoing.headers.replaceOrAdd(name: "Host", value: authority) }
        outgoing.headers.add(name: HTTPField.Name.forwardedBy.rawName, value: node.name)
        if let client = context.remoteHost { outgoing.headers.add(name: HTTPField.Name.forwardedFor.rawName, value: client) }
        outgoing.body = .bytes(body)
        let answer: HTTPClientResponse
        do {
            answer = try await ClusterForwarding.client.execute(outgoing, timeout: .seconds(10))
        } catch {
            // The leader is gone or unreachable: this node appends the write itself.
            request.body = RequestBody(buffer: body)
            return try await next(request, context)
        }
        let bytes = try await answer.body.collect(upTo: max(bodyLimit, 64 << 20))
        var headers = HTTPFields()
        for header in answer.headers where !["connection", "content-length", "transfer-encoding"].contains(header.name.lowercased()) {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        if let position = answer.headers.first(name: ClusterReadMiddleware<Context>.position.rawName).flatMap({ Int64($0) }) {
            await node.waitUntilApplied(position, timeout: .seconds(5))
        }
        return Response(status: HTTPResponse.Status(code: Int(answer.status.code)), headers: headers,
                        body: ResponseBody(byteBuffer: bytes))
    }
}

/// What every ``ClusterWriteForwarder`` shares (a generic type cannot hold it).
enum ClusterForwarding {
    /// The largest body passed on (1 MiB); larger writes are made where they arrive.
    static let largestForwarded = 1 << 20

    /// Its own client: a dead leader must fail a forward at once (AsyncHTTPClient retries a refused connect until its connect timeout: 300 ms here; no
    /// idle connection kept past 2 s), not hold it for the shared client's minute.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .milliseconds(300), read: .seconds(10))
        configuration.connectionPool = .init(idleTimeout: .seconds(2))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}

extension HTTPField.Name {
    /// The node that forwarded a write to the leader (a forwarded write is not forwarded again).
    static let forwardedBy = HTTPField.Name("X-Registryd-Forwarded-By")!
    /// The address of the client whose write a node forwards, for the leader's audit log.
    static let forwardedFor = HTTPField.Name("X-Registryd-Forwarded-For")!
}
