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
        let metrics = try daemon.request("GET", "/metrics")
        #expect(metrics.status == 200)
        let lines = metrics.body.split(separator: "\n")
        let healthCount = lines.first { $0.hasPrefix("hb_requests") && $0.contains(#"http_route="/health""#)
            && $0.contains(#"http_response_status_code="200""#) }
        #expect(healthCount?.hasSuffix(" 3") == true, "\(healthCount ?? "no hb_requests line for /health")")
        #expect(lines.contains { $0.hasPrefix("http_server_request_duration_count") && $0.contains(#"http_route="/health""#) })
        #expect(lines.contains { $0.hasPrefix("hb_requests") && $0.contains(#"http_response_status_code="404""#) })
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
