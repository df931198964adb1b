import Testing
@testable import Ontology

struct NTriplesParserTests {
    static func parse(_ text: String) throws -> [Triple] {
        var triples: [Triple] = []
        var parser = NTriplesParser()
        try parser.parse(text) { triples.append($0) }
        return triples
    }

    static func failure(_ text: String) -> OntologyError? {
        do {
            _ = try parse(text)
            return nil
        } catch let error as OntologyError {
            return error
        } catch {
            return OntologyError(.io, "unexpected error type")
        }
    }

    @Test func parsesEveryTermKind() throws {
        let triples = try Self.parse("""
            # a comment
            <http://a/s> <http://a/p> <http://a/o> .

            _:b1 <http://a/p> "plain" .
            <http://a/s> <http://a/p> "chat"@FR .   # trailing comment
            <http://a/s> <http://a/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer>.
            <http://a/s> <http://a/p> _:b1 .
            """)
        #expect(triples == [
            Triple(.iri("http://a/s"), IRI("http://a/p"), .iri("http://a/o")),
            Triple(.blankNode(BlankNode("b1")), IRI("http://a/p"), .literal(Literal("plain"))),
            Triple(.iri("http://a/s"), IRI("http://a/p"), .literal(Literal("chat", language: "fr"))),
            Triple(.iri("http://a/s"), IRI("http://a/p"), .literal(Literal("1", datatype: XSD.integer))),
            Triple(.iri("http://a/s"), IRI("http://a/p"), .blankNode(BlankNode("b1"))),
        ])
    }

    @Test func decodesEscapes() throws {
        let triples = try Self.parse(#"<http://a/\u00E9> <http://a/p> "\t\"\\\n\u00E9\U0001F600" ."#)
        #expect(triples.first?.subject == .iri("http://a/é"))
        #expect(triples.first?.object == .literal(Literal("\t\"\\\né😀")))
    }

    @Test func acceptsLineEndingsAndMissingFinalNewline() throws {
        #expect(try Self.parse("<http://a/s> <http://a/p> <http://a/o> .\r\n<http://a/s> <http://a/p> <http://a/o2> .").count == 2)
        #expect(try Self.parse("").isEmpty)
        #expect(try Self.parse("\n\n   # nothing\n").isEmpty)
    }

    @Test(arguments: [
        ("<s> <http://a/p> <http://a/o> .", 1, 1, "relative iri `s`") as (String, Int, Int, String),
        ("<http://a/s> <http://a/p> <http://a/o>", 1, 39, "expected `.`"),
        ("<http://a/s> <http://a/p> <http://a/o> . <http://a/s> <http://a/p> <http://a/o> .", 1, 42, "end of the line"),
        ("<http://a/s>\n<http://a/p> <http://a/o> .", 1, 13, "expected a predicate"),
        ("<http://a/s> <http://a/p> 'x' .", 1, 27, "expected an object"),
        ("<http://a/s> <http://a/p> \"\"\"x\"\"\" .", 1, 29, "expected `.`"),
        ("<http://a/s> <http://a/p> 1 .", 1, 27, "expected an object"),
        ("@prefix a: <http://a/> .", 1, 1, "expected a subject"),
        ("<http://a/s> a:p <http://a/o> .", 1, 14, "expected a predicate"),
        ("\"s\" <http://a/p> <http://a/o> .", 1, 1, "a literal cannot be a subject"),
        ("<http://a/s> <http://a/p> \"x\"^^xsd:int .", 1, 32, "expected a datatype iri"),
        ("<http://a/s> <http://a/p> \"\\z\" .", 1, 28, "invalid escape"),
        ("<http://a/s> <http://a/p> <http://a/o> ;", 1, 40, "expected `.`"),
    ])
    func rejectsInvalidInput(text: String, line: Int, column: Int, message: String) {
        let error = Self.failure(text)
        #expect(error?.code == .ntriplesSyntax)
        #expect(error?.position == TextPosition(line: line, column: column))
        #expect(error?.message.lowercased().contains(message) == true, "\(String(describing: error))")
    }

    @Test func readsWhatTheNTriplesWriterWrites() throws {
        let triples = [
            Triple(.iri("http://a/s"), IRI("http://a/p"), .literal(Literal("line\nbreak \"quoted\" \\ \u{7}"))),
            Triple(.blankNode(BlankNode("x")), IRI("http://a/p"), .literal(Literal("é", language: "fr"))),
            Triple(.iri("http://a/s"), IRI("http://a/p"), .literal(Literal("2", datatype: XSD.integer))),
        ]
        let output = ByteOutput()
        var writer = NTriplesWriter(output: output)
        for triple in triples { try writer.write(triple) }
        try writer.finish()
        #expect(try Self.parse(output.string) == triples)
    }
}
