import Foundation

/// A real `registryd serve`, on a free loopback port and a data directory of its own, for the
/// protocol suites; stopped (and its data removed) by ``stop()``.
final class DaemonUnderTest {
    let process = Process()
    let dataDirectory: String
    private(set) var port = 0
    /// The admin token the daemon wrote on first start; the runner is the endpoint's admin.
    private(set) var adminToken = ""
    private let output = Pipe()

    /// Starts `binary serve`; waits at most 30 s for it to say where it listens.
    init(binary: String) throws {
        dataDirectory = NSTemporaryDirectory() + "registryd-conformance-\(UUID().uuidString)"
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--port", "0", "--data", dataDirectory, "--log-level", "warning"]
        process.standardOutput = output
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var text = ""
        let handle = output.fileHandleForReading
        while Date() < deadline, port == 0 {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: #"listening on http://[^ \n]+:(\d+)"#, options: .regularExpression),
               let colon = text[range].lastIndex(of: ":") {
                port = Int(text[range][text.index(after: colon)...]) ?? 0
            }
        }
        guard port != 0 else {
            stop()
            throw DaemonError(message: "registryd did not start: \(text)")
        }
        adminToken = (try? String(contentsOfFile: dataDirectory + "/admin.token", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    struct DaemonError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Sends SIGTERM, waits up to 10 s (then SIGKILL), and removes the data directory.
    func stop() {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
