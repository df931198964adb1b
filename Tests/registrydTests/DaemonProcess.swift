import Foundation

/// A real `registryd serve` process on a free loopback port, for end-to-end tests.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let dataDirectory: String
    private(set) var port = 0
    /// The admin token the daemon created on first start (read from `<data>/admin.token`).
    private(set) var adminToken = ""
    private let output = Pipe()

    private let ownsData: Bool

    /// Starts a daemon on a free port; on a new data directory unless one is given.
    init(dataDirectory: String? = nil, arguments: [String] = []) throws {
        self.ownsData = dataDirectory == nil
        self.dataDirectory = dataDirectory ?? NSTemporaryDirectory() + "registryd-e2e-\(UUID().uuidString)"
        process.executableURL = RegistrydBinary.productsDirectory.appendingPathComponent("registryd")
        process.arguments = ["serve", "--port", "0", "--data", self.dataDirectory, "--log-level", "warning"] + arguments
        process.standardOutput = output
        try process.run()
        port = try waitForPort()
        adminToken = (try? String(contentsOfFile: self.dataDirectory + "/admin.token", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// Reads standard output until the daemon says where it listens (at most 20 s).
    private func waitForPort() throws -> Int {
        let deadline = Date().addingTimeInterval(20)
        var text = ""
        let handle = output.fileHandleForReading
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: #"listening on http://[^:]+:(\d+)"#, options: .regularExpression),
                let colon = text[range].lastIndex(of: ":"), let port = Int(text[range][text.index(after: colon)...]) {
                return port
            }
        }
        process.terminate()
        throw DaemonError.didNotStart(text)
    }

    enum DaemonError: Error { case didNotStart(String), didNotStop(seconds: TimeInterval) }

    /// Sends SIGTERM and waits for the process to exit; returns its status.
    @discardableResult
    func stop(timeout: TimeInterval = 30) throws -> Int32 {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            throw DaemonError.didNotStop(seconds: timeout)
        }
        return process.terminationStatus
    }

    /// Which bearer token a request presents.
    enum Credential {
        /// The daemon's admin token.
        case admin
        /// No `Authorization` header.
        case none
        case bearer(String)
    }

    func request(_ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil,
                 as credential: Credential = .admin, timeout: TimeInterval? = nil) throws -> HTTPTestClient.Response {
        var headers = headers
        switch credential {
        case .admin: headers["Authorization"] = "Bearer " + adminToken
        case .bearer(let token): headers["Authorization"] = "Bearer " + token
        case .none: break
        }
        return try HTTPTestClient(port: port).send(method, path, headers: headers, body: body, timeout: timeout)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        if ownsData { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }
}

/// A minimal HTTP/1.1 client over a plain socket to 127.0.0.1 (no proxies, no Foundation
/// networking): one request per connection, `Connection: close`.
struct HTTPTestClient {
    let port: Int

    struct Response {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    /// Sends one request and reads the answer until the server closes the connection, or for
    /// at most `timeout` seconds (for streams such as Server-Sent Events, which stay open).
    func send(_ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil,
              timeout: TimeInterval? = nil) throws -> Response {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        if timeout != nil {
            var interval = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        // The test process spawns daemons, so a signal can interrupt any call: an interrupted
        // connect goes on in the background, and read and write are simply retried.
        if connected != 0 {
            guard errno == EINTR else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED) }
            try HTTPTestClient.waitUntilConnected(descriptor)
        }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        let bodyBytes = Array((body ?? "").utf8)
        if body != nil { request += "Content-Length: \(bodyBytes.count)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8) + bodyBytes
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw POSIXError(.EPIPE) }
            sent += count
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK, let deadline, Date() < deadline { continue }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        return try parse(received)
    }

    private static func waitUntilConnected(_ descriptor: Int32) throws {
        var writable = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        while poll(&writable, 1, 10_000) < 0 && errno == EINTR {}
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length)
        guard writable.revents & Int16(POLLOUT) != 0, failure == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .ECONNREFUSED)
        }
    }

    private func parse(_ bytes: [UInt8]) throws -> Response {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw POSIXError(.EBADMSG) }
        let head = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = head.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw POSIXError(.EBADMSG) }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = String(text[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = HTTPTestClient.unchunk(body) }
        return Response(status: status, headers: headers, body: body)
    }

    private static func unchunk(_ body: String) -> String {
        var rest = Substring(body)
        var result = ""
        while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let end = rest.utf8.index(start, offsetBy: size, limitedBy: rest.endIndex) ?? rest.endIndex
            result += rest[start..<end]
            // utf8: "\r\n" is one Character, so dropping 2 Characters would eat the next size's first digit.
            rest = Substring(rest[end...].utf8.dropFirst(2))
        }
        return result
    }
}
