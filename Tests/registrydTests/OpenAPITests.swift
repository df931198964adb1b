import Foundation
import Testing

/// `openapi.yaml` describes exactly the routes the daemon serves: every route is documented and
/// every documented operation exists.
struct OpenAPITests {
    /// `METHOD /path` for each operation under `paths:` (two-space path keys, four-space methods).
    static func documentedOperations() throws -> Set<String> {
        let text = try RegistryFixtures.file("openapi.yaml")
        var operations = Set<String>()
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            guard inPaths else { continue }
            if let first = line.first, first != " ", first != "#" { break }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().lowercased()
                if ["get", "put", "post", "delete", "patch", "head", "options"].contains(method) {
                    operations.insert(method.uppercased() + " " + path)
                }
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndEveryOperationExists() throws {
        let outcome = try RegistrydBinary.run(["routes"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let served = Set(outcome.standardOutput.split(separator: "\n").map(String.init))
        #expect(served.count > 20)
        let documented = try Self.documentedOperations()
        #expect(served.subtracting(documented).isEmpty, "served but not in openapi.yaml: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "in openapi.yaml but not served: \(documented.subtracting(served).sorted())")
    }
}
