import ArgumentParser
import Testing
@testable import registryd

/// `serve`'s options build its settings, each option group setting its own part.
struct ServeOptionsTests {
    @Test func optionsBecomeSettings() throws {
        let serve = try Serve.parse([
            "--data", "/tmp/x", "--host", "0.0.0.0", "--port", "0", "--max-upload-mib", "2", "--max-manifest-kib", "8",
            "--max-policy-kib", "4", "--query-timeout", "5", "--max-results", "10", "--rate-limit", "50", "--rate-burst", "7",
            "--max-in-flight", "3", "--header-timeout", "1.5", "--anonymous-scope", "query", "--pull-allow", "*.example.org",
            "--gateway-headers", "--load-allow-dir", "/srv/rdf",
        ])
        let settings = try serve.settings()
        #expect(settings.dataDirectory == "/tmp/x")
        #expect(settings.host == "0.0.0.0" && settings.port == 0)
        #expect(settings.bodies.upload == 2 << 20)
        #expect(settings.bodies.manifest == 8 << 10)
        #expect(settings.bodies.policy == 4 << 10)
        #expect(settings.bodies.control == BodyLimits().control)
        #expect(settings.queryTimeout == .seconds(5))
        #expect(settings.maxResults == 10)
        #expect(settings.rateLimit == 50 && settings.rateBurst == 7)
        #expect(settings.maxInFlight == 3)
        #expect(settings.connections.headerTimeout == .milliseconds(1500))
        #expect(settings.anonymousScopes.map(\.description) == ["query"])
        #expect(settings.pullAllowedHosts == ["*.example.org"])
        #expect(settings.gateway.trustsHeaders)
        #expect(settings.loadAllowedDirectory == "/srv/rdf")
        #expect(settings.tls == nil)
        #expect(serve.durability == .processCrash)
        #expect(try Serve.parse(["--durability", "power-loss"]).durability.store == .powerLoss)
    }

    @Test(arguments: [
        ["--port", "70000"], ["--max-upload-mib", "0"], ["--rate-limit", "-1"], ["--anonymous-scope", "root"],
        ["--tls-cert", "a.pem"], ["--tls-client-scope", "decide"], ["--gateway-action", "GET=fly"], ["--event-retention", "0"],
        ["--log-level", "loud"], ["--binding-ttl", "0"], ["--durability", "forever"],
    ])
    func badOptionsAreRefusedBeforeAnythingStarts(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try Serve.parse(arguments) }
    }
}
