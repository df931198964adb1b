import Foundation
import Testing

/// `registryd query` and `registryd update` against a store in a temporary directory.
struct QueryCommandTests {
    let data = NSTemporaryDirectory() + "registryd-query-\(UUID().uuidString)"

    func run(_ arguments: [String]) throws -> RegistrydBinary.Outcome {
        try RegistrydBinary.run(arguments + ["--data", data])
    }

    @Test func updateThenQueryInEveryFormat() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        let insert = try run(["update", """
            PREFIX ex: <http://example.org/>
            INSERT DATA { ex:s1 a ex:Sensor ; ex:label "one, \\"1\\""@en . GRAPH ex:g { ex:s2 a ex:Sensor } }
            """])
        #expect(insert.status == 0)
        let select = "SELECT ?s WHERE { ?s a <http://example.org/Sensor> } ORDER BY ?s"
        let table = try run(["query", select])
        #expect(table.status == 0)
        #expect(table.standardOutput.contains("<http://example.org/s1>"))
        #expect(table.standardOutput.contains("<http://example.org/s2>"), "the default graph is the union of all graphs")
        #expect(table.standardOutput.contains("(2 rows)"))
        let json = try run(["query", "--format", "json", select])
        #expect(json.standardOutput.contains(#""type":"uri","value":"http://example.org/s2""#))
        let csv = try run(["query", "--format", "csv", "SELECT ?l WHERE { ?s <http://example.org/label> ?l }"])
        #expect(csv.standardOutput == "l\r\n\"one, \"\"1\"\"\"\r\n")
        let ask = try run(["query", "ASK { <http://example.org/s1> a <http://example.org/Sensor> }"])
        #expect(ask.standardOutput == "true\n")
        let construct = try run(["query", "--format", "ntriples", "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"])
        #expect(construct.standardOutput == "<http://example.org/s2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/Sensor> .\n")
    }

    @Test func aFailingUpdateChangesNothing() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        _ = try run(["update", "INSERT DATA { <http://a/s> <http://a/p> 1 }"])
        // The first operation would delete the triple; the second fails; neither may take effect.
        let failed = try run(["update", "DELETE DATA { <http://a/s> <http://a/p> 1 } ; DROP GRAPH <http://a/missing>"])
        #expect(failed.status == 1)
        #expect(failed.standardError.contains("sparql.update"))
        let ask = try run(["query", "ASK { <http://a/s> <http://a/p> 1 }"])
        #expect(ask.standardOutput == "true\n")
    }

    @Test func syntaxErrorsNameLineAndColumn() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        let query = try run(["query", "SELECT ?s WHERE {\n  ?s ?p \n}"])
        #expect(query.status == 1)
        #expect(query.standardError.hasPrefix("query:3:1:"))
        #expect(query.standardError.split(separator: "\n").count == 1)
        let update = try run(["update", "INSERT DATA { ?s <http://a/p> 1 }"])
        #expect(update.status == 1)
        #expect(update.standardError.hasPrefix("update:1:"))
    }
}
