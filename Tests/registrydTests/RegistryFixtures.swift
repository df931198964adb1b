import Foundation

/// Files of the repository and JSON helpers for the registry's end-to-end tests.
enum RegistryFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func file(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// A manifest with one REST method, for tests that need many small registrations.
    static func manifest(name: String, version: String = "1.0.0", id: String, url: String = "http://10.0.0.1/op",
                         ttl: String? = nil, tier: String = "edge", weight: Int = 100) -> String {
        let ttlField = ttl.map { #", "ttl": "\#($0)""# } ?? ""
        return """
            {"name": "\(name)", "version": "\(version)",
             "instance": {"id": "\(id)", "tier": "\(tier)", "weight": \(weight)\(ttlField)},
             "objects": [{"name": "\(name)/main", "methods": [{"name": "op", "endpoints": [{"protocol": "rest", "url": "\(url)", "method": "POST"}]}],
                          "channels": [{"name": "events", "endpoints": [{"protocol": "mqtt", "broker": "mqtt://10.0.0.2:1883", "topic": "t/\(id)"}]}]}]}
            """
    }

    static func form(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The ids in a `GET /v1/services` answer.
    static func ids(_ body: String) -> [String] {
        (json(body)["services"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }
}

/// `python3 -m http.server`-style static server on a free loopback port, for pull registration.
///
/// The server ends when its standard input closes, which happens when this object goes or the
/// test process exits (a `deinit` does not run at exit: servers used to outlive the tests).
final class StaticFileServer {
    let process = Process()
    let port: Int
    private let input = Pipe()

    init(directory: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import functools, http.server, os, sys, threading
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=lambda: (sys.stdin.buffer.read(), os._exit(0)), daemon=True).start()
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """, directory]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw POSIXError(.EIO) }
        self.port = port
    }

    deinit {
        process.terminate()
    }
}
