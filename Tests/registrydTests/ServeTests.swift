import Foundation
import Testing

/// `registryd serve`, started as a real process on a loopback port.
@Suite(.serialized)
struct ServeTests {
    @Test func answersHealthAndJSONErrorsAndStopsOnSIGTERM() throws {
        let daemon = try DaemonProcess()
        let health = try daemon.request("GET", "/health")
        #expect(health.status == 200)
        #expect(health.body.contains(#""status":"ok""#))

        let missing = try daemon.request("GET", "/no/such/endpoint")
        #expect(missing.status == 404)
        #expect(missing.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(missing.body.contains(#""code":"http.404""#))

        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: daemon.dataDirectory, isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(try daemon.stop() == 0)
    }

    @Test func metricsCountRequestsByRouteAndStatus() throws {
        let daemon = try DaemonProcess()
        for _ in 0..<3 { #expect(try daemon.request("GET", "/health").status == 200) }
        #expect(try daemon.request("GET", "/no/such/endpoint").status == 404)
        #expect(try daemon.request("DELETE", "/health").status == 405)
        let metrics = try daemon.request("GET", "/metrics")
        #expect(metrics.status == 200)
        let lines = metrics.body.split(separator: "\n")
        let healthCount = lines.first { $0.hasPrefix("http_server_requests_total{") && $0.contains(#"http_route="/health""#)
            && $0.contains(#"http_response_status_code="200""#) }
        #expect(healthCount?.hasSuffix(" 3") == true, "\(healthCount ?? "no http_server_requests_total line for /health")")
        #expect(lines.contains { $0.hasPrefix("http_server_request_duration_seconds_count") && $0.contains(#"http_route="/health""#) })
        #expect(lines.contains { $0.hasPrefix("http_server_requests_total{") && $0.contains(#"http_response_status_code="404""#) })
        // A 405 is counted under the route it matched, not as not found.
        #expect(lines.contains { $0.hasPrefix("http_server_requests_total{") && $0.contains(#"http_route="/health""#)
            && $0.contains(#"http_response_status_code="405""#) }, "\(lines.filter { $0.contains("405") })")
        // Every family has its help text and Prometheus' names: promtool says nothing.
        let lint = try Self.promtoolCheck(metrics.body)
        #expect(lint.status == 0 && lint.output.isEmpty, "promtool check metrics: \(lint.output)")
        // Present only when jemalloc, linked into the daemon, serves its allocations; recorded by
        // the maintenance loop, which may not have run its first round yet.
        var heap: Substring?
        for _ in 0..<50 {
            heap = try daemon.request("GET", "/metrics").body.split(separator: "\n")
                .first { $0.hasPrefix("registryd_heap_allocated_bytes ") }
            if heap != nil { break }
            usleep(100_000)
        }
        #expect((heap?.split(separator: " ").last.flatMap { Double($0) } ?? 0) > 1_000_000, "\(heap ?? "no registryd_heap_allocated_bytes")")
        #expect(try daemon.stop() == 0)
    }

    /// `promtool check metrics` on `text`: its exit status and what it printed. promtool comes
    /// from Debian's `prometheus` package; `scripts/test` puts the binary in `.build/tools`.
    static func promtoolCheck(_ text: String) throws -> (status: Int32, output: String) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [ProcessInfo.processInfo.environment["PROMTOOL"], root.path + "/.build/tools/promtool", "/usr/bin/promtool"]
        guard let tool = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return (127, "promtool not found (scripts/test installs it into .build/tools; or set PROMTOOL)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func badPortIsOneClearError() throws {
        let outcome = try RegistrydBinary.run(["serve", "--port", "70000"])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("--port"))
    }

    @Test func helpDescribesServe() throws {
        let outcome = try RegistrydBinary.run(["serve", "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("--data"))
        #expect(outcome.standardOutput.contains("8470"))
    }
}
