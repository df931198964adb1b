import Foundation
import Testing

/// `registryd import`, run as a separate process against a fresh data directory.
struct ImportCommandTests {
    let data = NSTemporaryDirectory() + "registryd-import-\(UUID().uuidString)"

    func newQuads(_ outcome: RegistrydBinary.Outcome) -> Int? {
        guard let range = outcome.standardOutput.range(of: #"(\d+) new quads"#, options: .regularExpression) else { return nil }
        return Int(outcome.standardOutput[range].split(separator: " ")[0])
    }

    @Test func importsCountsAndSkipsWhatIsStored() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        let file = try RegistrydBinary.temporaryFile("""
            @prefix ex: <http://example.org/> .
            ex:s1 ex:p ex:o1 , ex:o2 . ex:s2 ex:p "text"@en .
            """, extension: "ttl")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let first = try RegistrydBinary.run(["import", file, "--data", data])
        #expect(first.status == 0)
        #expect(newQuads(first) == 3)
        let again = try RegistrydBinary.run(["import", file, "--data", data])
        #expect(newQuads(again) == 0)
        let intoGraph = try RegistrydBinary.run(["import", file, "--data", data, "--graph", "http://example.org/g"])
        #expect(newQuads(intoGraph) == 3)
    }

    @Test func aFailedImportStoresNothing() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        let valid = "<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n<http://example.org/c> <http://example.org/p> <http://example.org/d> .\n"
        let broken = try RegistrydBinary.temporaryFile(valid + "<http://example.org/e> <http://example.org/p> .\n", extension: "nt")
        let good = try RegistrydBinary.temporaryFile(valid, extension: "nt")
        defer {
            try? FileManager.default.removeItem(atPath: broken)
            try? FileManager.default.removeItem(atPath: good)
        }
        let failed = try RegistrydBinary.run(["import", broken, "--data", data])
        #expect(failed.status == 1)
        #expect(failed.standardError.hasPrefix("\(broken):3:"))
        #expect(failed.standardError.split(separator: "\n").count == 1)
        // Had the failed import kept its first two triples, this would add none.
        #expect(newQuads(try RegistrydBinary.run(["import", good, "--data", data])) == 2)
    }

    @Test func badArgumentsAreRefused() throws {
        let relativeGraph = try RegistrydBinary.run(["import", "x.ttl", "--graph", "not-absolute", "--data", data])
        #expect(relativeGraph.status != 0)
        #expect(relativeGraph.standardError.contains("--graph"))
        let unknownFormat = try RegistrydBinary.run(["import", "file.unknown", "--data", data])
        #expect(unknownFormat.status == 1)
        #expect(unknownFormat.standardError.contains("--format"))
    }
}
