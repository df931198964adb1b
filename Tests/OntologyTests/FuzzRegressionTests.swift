import Foundation
import Testing
import Ontology

/// Inputs found by the libFuzzer targets of `fuzz/` (kept under `Tests/Fuzz/regressions/<target>/`)
/// and hand-written hostile inputs: every parser of outside input must return or throw its typed
/// error, never crash or hang. A target without a regressions folder has had no finding.
struct FuzzRegressionTests {
    /// The time one input may take, as the fuzzers' `-timeout=10`.
    static let timeLimit = Duration.seconds(10)

    /// The regression inputs of one fuzz target, by file name.
    static func regressions(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/regressions/\(target)")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.sorted().compactMap { name in
            FileManager.default.contents(atPath: folder.appendingPathComponent(name).path).map { (name, Array($0)) }
        }
    }

    /// Runs `parse`; nil when it returned, else the error it threw. Fails the test when it took
    /// longer than ``timeLimit`` or threw something other than ``OntologyError``.
    static func outcome(_ label: String, _ parse: () throws -> Void) -> OntologyError? {
        var thrown: (any Error)?
        let elapsed = ContinuousClock().measure {
            do { try parse() } catch { thrown = error }
        }
        #expect(elapsed < timeLimit, "\(label) took \(elapsed)")
        guard let thrown else { return nil }
        #expect(thrown is OntologyError, "\(label) threw an untyped error: \(thrown)")
        return thrown as? OntologyError
    }

    static func rdf(_ bytes: [UInt8], _ format: RDFFormat) throws {
        try bytes.withUnsafeBufferPointer { buffer in
            try RDFParser.parse(buffer, format: format, baseIRI: "http://example.org/base/") { _ in }
        }
    }

    static func sparqlQuery(_ bytes: [UInt8]) throws {
        _ = try SPARQLParser(baseIRI: "http://example.org/base/").parseQuery(String(decoding: bytes, as: UTF8.self))
    }

    static func sparqlUpdate(_ bytes: [UInt8]) throws {
        _ = try SPARQLParser(baseIRI: "http://example.org/base/").parseUpdate(String(decoding: bytes, as: UTF8.self))
    }

    static let parsers: [(target: String, parse: @Sendable ([UInt8]) throws -> Void)] = [
        ("rdfxml", { try rdf($0, .rdfXML) }),
        ("turtle", { try rdf($0, .turtle) }),
        ("ntriples", { try rdf($0, .nTriples) }),
        ("sparql-query", sparqlQuery),
        ("sparql-update", sparqlUpdate),
    ]

    @Test func regressionInputsReturnOrThrowTypedErrors() {
        for (target, parse) in Self.parsers {
            for input in Self.regressions(target) {
                _ = Self.outcome("\(target)/\(input.name)") { try parse(input.bytes) }
            }
        }
    }

    static let depth = 100_000
    static func repeated(_ text: String, _ count: Int = depth) -> String { String(repeating: text, count: count) }

    /// Hostile inputs that are not valid documents: each must throw the typed error, promptly.
    static let invalid: [(target: String, label: String, bytes: [UInt8])] = [
        ("turtle", "unclosed nested blank nodes", Array(("<http://a/s> <http://a/p> " + repeated("[ <http://a/p> ")).utf8)),
        ("turtle", "unclosed nested collections", Array(("<http://a/s> <http://a/p> " + repeated("(")).utf8)),
        ("turtle", "invalid UTF-8 in an IRI", Array("<http://a/s".utf8) + [0xFF, 0xFE] + Array("> <http://a/p> 1 .".utf8)),
        ("turtle", "huge number then garbage", Array(("<http://a/s> <http://a/p> " + repeated("9") + " }").utf8)),
        ("ntriples", "invalid UTF-8 in an IRI", Array("<http://a/s".utf8) + [0xC3, 0x28] + Array("> <http://a/p> <http://a/o> .".utf8)),
        ("ntriples", "nested brackets", Array(repeated("<").utf8)),
        ("rdfxml", "deeply nested elements",
         Array(("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:e=\"http://e/\">"
                + repeated("<rdf:Description><e:p>", 20_000) + repeated("</e:p></rdf:Description>", 20_000) + "</rdf:RDF>").utf8)),
        ("rdfxml", "invalid UTF-8", Array("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"".utf8)
            + [0xFF, 0xC0, 0x80] + Array("\"/></rdf:RDF>".utf8)),
        ("sparql-query", "nested parentheses", Array(("SELECT * WHERE { FILTER(" + repeated("(") + "1" + repeated(")") + ") }").utf8)),
        ("sparql-query", "nested groups", Array(("SELECT * WHERE " + repeated("{") + repeated("}")).utf8)),
        ("sparql-query", "nested property paths", Array(("SELECT * WHERE { ?s " + repeated("(") + "<p>" + repeated(")") + " ?o }").utf8)),
        ("sparql-query", "nested blank node lists", Array(("SELECT * WHERE { ?s <p> " + repeated("[ <p> ") + "1" + repeated(" ]") + " }").utf8)),
        ("sparql-query", "invalid UTF-8", Array("SELECT * WHERE { ?s ?p \"".utf8) + [0xED, 0xA0, 0x80] + Array("\" ".utf8)),
        ("sparql-update", "nested collections", Array(("INSERT DATA { <s> <p> " + repeated("(") + repeated(")") + " }").utf8)),
    ]

    @Test func hostileInputsThrowTypedErrors() {
        for (target, label, bytes) in Self.invalid {
            guard let parse = Self.parsers.first(where: { $0.target == target })?.parse else { continue }
            let error = Self.outcome("\(target): \(label)") { try parse(bytes) }
            #expect(error != nil, "\(target): \(label) was accepted")
        }
    }

    /// Hostile inputs that may be valid (huge literals, deep but closed nesting): each must
    /// return or throw the typed error, promptly.
    @Test func hostileValidInputsReturnOrThrow() {
        let inputs: [(String, String)] = [
            ("turtle", "<http://a/s> <http://a/p> " + Self.repeated("[ <http://a/p> ") + "1" + Self.repeated(" ]") + " ."),
            ("turtle", "<http://a/s> <http://a/p> " + Self.repeated("(") + Self.repeated(")") + " ."),
            ("turtle", "<http://a/s> <http://a/p> " + Self.repeated("9") + " , 1e99999999999999999999 , 1." + Self.repeated("0") + " ."),
            ("ntriples", "<http://a/s> <http://a/p> \"" + Self.repeated("9") + "\"^^<http://www.w3.org/2001/XMLSchema#integer> ."),
            ("sparql-query", "SELECT * WHERE { ?s ?p " + Self.repeated("9") + " } OFFSET 99999999999999999999999"),
            ("sparql-query", "SELECT * WHERE { ?s ?p ?o } LIMIT " + Self.repeated("9", 1000)),
        ]
        for (target, text) in inputs {
            guard let parse = Self.parsers.first(where: { $0.target == target })?.parse else { continue }
            _ = Self.outcome("\(target): \(text.prefix(40))…") { try parse(Array(text.utf8)) }
        }
    }
}
