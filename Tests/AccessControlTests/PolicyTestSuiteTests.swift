import AccessControl
import Foundation
import Testing

/// `policy test DIR`: the telemedicine example passes; a wrong expectation is reported.
struct PolicyTestSuiteTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/policies/telemedicine").path

    @Test func theTelemedicineExamplePasses() throws {
        let results = try PolicyTestSuite(directory: Self.examples).run()
        #expect(results.count >= 5)
        let failed = results.filter { !$0.passed }.map(\.name)
        #expect(failed.isEmpty, "\(failed)")
        #expect(results.contains { $0.name.contains("wrong authority") && $0.decision.effect == .deny })
    }

    @Test func aWrongExpectationFails() throws {
        let directory = NSTemporaryDirectory() + "policy-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "permit call on \"a/*\";".write(toFile: directory + "/p.policy", atomically: true, encoding: .utf8)
        try """
            {"time": "2026-11-23T10:00:00Z", "cases": [
              {"name": "permitted", "subject": {"id": "x"}, "api": "a/b", "action": "call", "expect": "permit"},
              {"name": "wrongly expected", "subject": {"id": "x"}, "api": "a/b", "action": "call", "expect": "deny"}]}
            """.write(toFile: directory + "/p.tests.json", atomically: true, encoding: .utf8)
        let results = try PolicyTestSuite(directory: directory).run()
        #expect(results.map(\.passed) == [true, false])
    }
}
