import Foundation
import Synchronization
import Testing

/// `kill -9` of a real daemon while updates stream in: after a restart on the same data, every
/// acknowledged update is there and none is there in part.
@Suite(.serialized)
struct CrashRecoveryTests {
    /// With the default durability, and with `--durability power-loss` (an fsync per commit).
    @Test(arguments: [(0.15, [String]()), (0.4, []), (0.3, ["--durability", "power-loss"])])
    func acknowledgedUpdatesSurviveKill(afterSeconds delay: Double, arguments: [String]) throws {
        let daemon = try DaemonProcess(arguments: arguments)
        let port = daemon.port
        let token = daemon.adminToken
        let acknowledged = Mutex<[Int]>([])
        let writer = Thread {
            for number in 0..<10_000 {
                // Three triples per update: a crash may lose an update, never split one.
                let body = """
                    INSERT DATA { <http://example.org/u\(number)> <http://example.org/a> 1 ; <http://example.org/b> 2 ; <http://example.org/c> 3 }
                    """
                guard let response = try? HTTPTestClient(port: port).send("POST", "/update",
                                                                           headers: ["Content-Type": "application/sparql-update", "Authorization": "Bearer " + token], body: body),
                    response.status == 204 else { return }
                acknowledged.withLock { $0.append(number) }
            }
        }
        writer.start()
        Thread.sleep(forTimeInterval: delay)
        kill(daemon.process.processIdentifier, SIGKILL)
        daemon.process.waitUntilExit()
        while writer.isExecuting { Thread.sleep(forTimeInterval: 0.01) }
        let acked = acknowledged.withLock { $0 }
        #expect(acked.count > 0)
        print("crash test \(arguments): \(acked.count) updates acknowledged before kill -9 at \(delay) s")

        let restarted = try DaemonProcess(dataDirectory: daemon.dataDirectory)
        let query = "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s"
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let result = try restarted.request("GET", "/sparql?query=" + (query.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""),
                                           headers: ["Accept": "text/csv"])
        var counts: [Int: Int] = [:]
        for line in result.body.split(separator: "\r\n").dropFirst() {
            let fields = line.split(separator: ",")
            guard fields.count == 2, let number = Int(fields[0].dropFirst("http://example.org/u".count)),
                let count = Int(fields[1]) else { continue }
            counts[number] = count
        }
        for number in acked { #expect(counts[number] == 3, "update \(number) was acknowledged") }
        #expect(counts.values.allSatisfy { $0 == 3 }, "no update is there in part")
        try restarted.stop()
        try? FileManager.default.removeItem(atPath: daemon.dataDirectory)
    }
}
