import Foundation
import Testing
@testable import Ontology

/// `LOAD` sources: files only under the allowed directory, errors that never quote the source.
struct LoadSourcesTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("load-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "<http://e/s> <http://e/p> \"1\" .\n".write(toFile: directory + "/ok.nt", atomically: true, encoding: .utf8)
        try "SECRET-LINE is not turtle\n".write(toFile: directory + "/secret.ttl", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.ttl", withDestinationPath: "/etc/hostname")
    }

    private func code(_ iri: String) -> String? {
        do {
            _ = try LoadSources.files(under: directory)(IRI(iri))
            return nil
        } catch let error as OntologyError {
            #expect(!error.message.contains("SECRET-LINE"))
            return error.code.rawValue
        } catch {
            return "other"
        }
    }

    @Test func aFileUnderTheDirectoryLoads() throws {
        let triples = try LoadSources.files(under: directory)(IRI("file://" + directory + "/ok.nt"))
        #expect(triples.count == 1)
    }

    @Test func everythingElseIsRefusedWithoutItsContent() {
        #expect(code("file:///etc/passwd") == "sparql.load_forbidden")
        #expect(code("file://" + directory + "/../../../../etc/passwd") == "sparql.load_forbidden")
        #expect(code("file://" + directory + "/%2E%2E/x.ttl") == "sparql.load_forbidden")
        #expect(code("file://" + directory + "/link.ttl") == "sparql.load_forbidden")
        #expect(code("file://otherhost" + directory + "/ok.nt") == "sparql.load_forbidden")
        #expect(code("http://example.org/x.ttl") == "sparql.load_forbidden")
        #expect(code("file://" + directory + "/missing.ttl") == "sparql.load_not_found")
        #expect(code("file://" + directory + "/secret.ttl") == "sparql.load_failed")
    }
}
