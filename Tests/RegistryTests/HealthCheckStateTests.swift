import Foundation
import JSON
import Testing
@testable import Registry

/// Health checks as a manifest states them and as their results move a check's status.
struct HealthCheckStateTests {
    static func manifest(_ checks: String) throws -> Manifest {
        try ManifestDecoder.decode(Data(#"{"name": "plant.example/Meter", "version": "1", "instance": {"checks": \#(checks)}}"#.utf8))
    }

    @Test func everyKindDecodesWithItsTarget() throws {
        let manifest = try Self.manifest(#"""
            [{"http": "http://10.0.0.5/health", "body": "ready"}, {"tcp": "10.0.0.5:8080"}, {"grpc": "[::1]:50051", "service": "m"},
             {"coap": "coap://10.0.0.5"}, {"id": "beat", "ttl": "30s", "deregisterAfter": "5m", "failuresBeforeCritical": 3}]
            """#)
        let checks = manifest.instance.allChecks
        #expect(checks.map(\.checkKind) == [.http, .tcp, .grpc, .coap, .ttl])
        #expect(checks.map(\.checkID) == ["http", "tcp", "grpc", "coap", "beat"])
        #expect(checks[0].body == "ready" && checks[2].service == "m")
        #expect(HealthCheckSpec.hostAndPort(checks[2].url)! == ("::1", 50051))
        #expect(checks[4].ttlMilliseconds == 30_000 && checks[4].deregisterAfterMilliseconds == 300_000 && checks[4].failuresBeforeCritical == 3)
        // What is stored reads back the same.
        let stored = try JSONValueDecoder(rejectsUnknownFields: false).decode(Manifest.self, from: Array(manifest.compactJSON.utf8))
        #expect(stored.instance.allChecks == checks)
    }

    @Test func malformedChecksAreRefusedNamingTheField() {
        for bad in [#"[{"tcp": "10.0.0.5"}]"#, #"[{"http": "http://x/", "tcp": "x:1"}]"#, #"[{}]"#, #"[{"tcp": "x:1", "body": "y"}]"#,
                    #"[{"ttl": "0s"}]"#, #"[{"coap": "http://x/"}]"#, #"[{"tcp": "x:1"}, {"tcp": "y:1"}]"#, #"[{"tcp": "x:70000"}]"#] {
            #expect(throws: RegistryError.self, "\(bad)") { try Self.manifest(bad) }
        }
    }

    @Test func aStatusChangesAfterItsRunsInARow() throws {
        var spec = HealthCheckSpec(url: "10.0.0.5:1")
        spec.kind = .tcp
        spec.failuresBeforeCritical = 2
        spec.successesBeforePassing = 3
        spec.deregisterAfterMilliseconds = 5_000
        var state = HealthCheckState(spec, health: .ok, now: 0)
        state.record(.critical, output: "refused", at: 1_000, check: spec)
        #expect(state.status == .passing && state.pendingCount == 1)
        state.record(.critical, output: "refused", at: 2_000, check: spec)
        #expect(state.status == .critical && state.criticalSince == 2_000)
        #expect(!state.deregisters(spec, at: 6_999) && state.deregisters(spec, at: 7_000))
        state.record(.passing, output: "ok", at: 3_000, check: spec)
        state.record(.critical, output: "refused", at: 4_000, check: spec)  // a failure resets the passing run
        state.record(.passing, output: "ok", at: 5_000, check: spec)
        state.record(.passing, output: "ok", at: 6_000, check: spec)
        #expect(state.status == .critical)
        state.record(.passing, output: "ok", at: 7_000, check: spec)
        #expect(state.status == .passing && state.criticalSince == nil && state.output == "ok")
    }

    @Test func aTTLReportCountsAtOnceAndHoldsForTheTTL() {
        var spec = HealthCheckSpec(url: "")
        spec.kind = .ttl
        spec.ttlMilliseconds = 30_000
        spec.successesBeforePassing = 5
        var state = HealthCheckState(spec, health: .broken, now: 0)
        #expect(state.status == .critical && state.expires == 30_000)
        state.record(.passing, output: "up", at: 10_000, check: spec, reported: true)
        #expect(state.status == .passing && state.expires == 40_000)
    }
}
