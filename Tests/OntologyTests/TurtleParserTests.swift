import Testing
@testable import Ontology

struct TurtleParserTests {
    static let ex = "http://example.org/"

    static func parse(_ text: String, base: String? = "http://example.org/") throws -> [Triple] {
        var triples: [Triple] = []
        var parser = TurtleParser(baseIRI: base)
        try parser.parse(text) { triples.append($0) }
        return triples
    }

    /// The error a document raises, or nil when it parses.
    static func failure(_ text: String, base: String? = "http://example.org/") -> OntologyError? {
        do {
            _ = try parse(text, base: base)
            return nil
        } catch let error as OntologyError {
            return error
        } catch {
            return OntologyError(.io, "unexpected error type")
        }
    }

    static func iri(_ local: String) -> Term { .iri(ex + local) }

    @Test func parsesPrefixesAndTheKeywordA() throws {
        var parser = TurtleParser()
        var triples: [Triple] = []
        try parser.parse("""
            @prefix ex: <http://example.org/> .
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            ex:s a ex:C ; rdfs:label "s" .
            """) { triples.append($0) }
        #expect(triples == [
            Triple(Self.iri("s"), RDF.type, Self.iri("C")),
            Triple(Self.iri("s"), RDFS.label, .literal(Literal("s"))),
        ])
        #expect(parser.prefixes.map(\.prefix) == ["ex", "rdfs"])
        #expect(parser.prefixes.map(\.iri) == [Self.ex, RDFS.namespace])
    }

    @Test func redeclaredPrefixKeepsItsPlace() throws {
        var parser = TurtleParser()
        try parser.parse("@prefix a: <http://a/> . @prefix b: <http://b/> . @prefix a: <http://c/> .") { _ in }
        #expect(parser.prefixes.map(\.prefix) == ["a", "b"])
        #expect(parser.prefixes.first?.iri == "http://c/")
    }

    @Test func resolvesRelativeIRIsAgainstTheBase() throws {
        let triples = try Self.parse("""
            <s> <#p> <../o> .
            @base <http://other.example/dir/> .
            BASE <sub/>
            <x> <y> <> .
            @prefix p: <ns#> .
            p:a p:b p:c .
            """, base: "http://example.org/a/b")
        #expect(triples[0] == Triple(.iri("http://example.org/a/s"), IRI("http://example.org/a/b#p"), .iri("http://example.org/o")))
        #expect(triples[1] == Triple(
            .iri("http://other.example/dir/sub/x"), IRI("http://other.example/dir/sub/y"), .iri("http://other.example/dir/sub/")))
        #expect(triples[2].subject == .iri("http://other.example/dir/sub/ns#a"))
    }

    @Test func relativeIRIWithoutBaseIsAnError() {
        let error = Self.failure("<s> <http://p> <http://o> .", base: nil)
        #expect(error?.code == .invalidIRI)
        #expect(error?.position == TextPosition(line: 1, column: 1))
    }

    @Test func prefixedNameEscapesAndPercents() throws {
        let triples = try Self.parse("""
            @prefix : <http://example.org/> .
            :a\\,b :p%20q :c.d:e .
            :_x :y- :9\\. .
            """)
        #expect(triples[0] == Triple(Self.iri("a,b"), IRI(Self.ex + "p%20q"), Self.iri("c.d:e")))
        #expect(triples[1] == Triple(Self.iri("_x"), IRI(Self.ex + "y-"), Self.iri("9.")))
    }

    @Test func blankNodesAndPropertyLists() throws {
        let triples = try Self.parse("""
            _:a <p> [ <q> [ <r> _:a ] ] .
            [] <p> <o> .
            [ <p> <o> ] .
            """)
        #expect(triples.count == 5)
        #expect(triples[2].subject == .blankNode(BlankNode("a")))
        #expect(triples[2].object == triples[1].subject)
        #expect(triples[1].object != triples[2].object)
        #expect(triples[3].subject.isBlankNode && triples[4].subject.isBlankNode)
        #expect(triples[3].subject != triples[4].subject)
    }

    @Test func collections() throws {
        let triples = try Self.parse("<s> <p> ( 1 <o> ( ) ) . ( ) <p> ( ) .")
        #expect(triples.count == 8)
        let first = triples.filter { $0.predicate == RDF.first }.map(\.object)
        #expect(first == [
            .literal(Literal("1", datatype: XSD.integer)), Self.iri("o"), .iri(RDF.nil),
        ])
        #expect(triples.filter { $0.predicate == RDF.rest }.count == 3)
        #expect(triples.contains(Triple(.iri(RDF.nil), IRI(Self.ex + "p"), .iri(RDF.nil))))
        let head = triples.first { $0.subject == Self.iri("s") }?.object
        #expect(head?.isBlankNode == true)
    }

    @Test func stringEscapes() throws {
        let triples = try Self.parse(#"""
            <s> <p> "a\tb\"c\\d\n\r\b\f\'" , '''it's''' , """x "q" ""y"" z""" , '''multi
            line''' , "\u00E9\U0001F600" , "" , """""" .
            """#)
        #expect(triples.compactMap { $0.object.literal?.lexicalForm } == [
            "a\tb\"c\\d\n\r\u{8}\u{C}'", "it's", "x \"q\" \"\"y\"\" z", "multi\nline", "é😀", "", "",
        ])
    }

    @Test func numbersKeepTheirLexicalForm() throws {
        let triples = try Self.parse("<s> <p> +01, -1.50, .5, 1e10, 1.E-2, 4. ")
        #expect(triples.map { $0.object.literal?.datatype } == [XSD.integer, XSD.decimal, XSD.decimal, XSD.double, XSD.double, XSD.integer])
        #expect(triples.map { $0.object.literal?.lexicalForm } == ["+01", "-1.50", ".5", "1e10", "1.E-2", "4"])
    }

    @Test func booleansLanguagesAndDatatypes() throws {
        let triples = try Self.parse("""
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            <s> <p> true, false, "x"@en-GB, "1"^^xsd:int, "2" ^^ <http://example.org/dt> .
            """)
        #expect(triples.map { $0.object.literal } == [
            Literal("true", datatype: XSD.boolean), Literal("false", datatype: XSD.boolean),
            Literal("x", language: "en-gb"), Literal("1", datatype: IRI(XSD.namespace + "int")),
            Literal("2", datatype: IRI(Self.ex + "dt")),
        ])
    }

    @Test func unicodeEscapesInIRIs() throws {
        let triples = try Self.parse(#"<http://example.org/\u00E9> <http://example.org/p\U00000031> "o" ."#)
        #expect(triples.first?.subject == Self.iri("é"))
        #expect(triples.first?.predicate == IRI(Self.ex + "p1"))
    }

    @Test(arguments: [
        ("<s> <p> <o>", 1, 12, "expected `.`") as (String, Int, Int, String),
        ("<s> <p> <o> .\n<s> <p> \"x\" <q> .", 2, 13, "expected `.`"),
        ("<s> <p> <a b> .", 1, 11, "invalid character space in IRI"),
        ("<s> <p> <a^b> .", 1, 11, "invalid character `^` in IRI"),
        ("<s> <p> <a\\u0020b> .", 1, 11, "cannot contain"),
        ("<s> <p> \"\\uD800\" .", 1, 10, "not a valid unicode code point"),
        ("<s> <p> \"\\q\" .", 1, 10, "invalid escape `\\q`"),
        ("<s> <p> \"a\nb\" .", 1, 9, "unterminated string"),
        ("\"s\" <p> <o> .", 1, 1, "a literal cannot be a subject"),
        ("<s> \"p\" <o> .", 1, 5, "a literal cannot be a predicate"),
        ("<s> _:p <o> .", 1, 5, "a blank node cannot be a predicate"),
        ("ex:s <p> <o> .", 1, 1, "undefined prefix `ex:`"),
        ("<s> <p> <o> ; .\n<s> <p> a .", 2, 9, "`a` can only be used as a predicate"),
        ("@prefix ex. : <x> .", 1, 9, "unknown word"),
        ("@prefix ex.: <x> .", 1, 9, "cannot end with `.`"),
        ("@prefix ex: <x>", 1, 16, "expected `.` after `@prefix`"),
        ("<s> <p> ex:a%2 .", 1, 13, "invalid percent escape"),
        ("<s> <p> [ <q> <o> .", 1, 19, "expected `]`"),
        ("<s> <p> ( <o> .", 1, 15, "expected an object"),
        ("<s> <p> { } .", 1, 9, "unexpected character `{`"),
        ("<s> <p> <o> .. ", 1, 14, "expected a subject"),
        ("<s> <p> \"x\"@ .", 1, 12, "expected a language tag"),
        ("<s> <p> 1e .", 1, 10, "unknown word `e`"),
        ("é <p> <o> .", 1, 1, "unknown word `é`"),
        ("<é> <p> <o> .\n  <s> <p> <o>;;, <o> .", 2, 16, "expected a predicate"),
    ])
    func rejectsInvalidInput(text: String, line: Int, column: Int, message: String) {
        let error = Self.failure(text)
        #expect(error?.code == .turtleSyntax)
        #expect(error?.position == TextPosition(line: line, column: column))
        #expect(error?.message.lowercased().contains(message.lowercased()) == true, "\(String(describing: error))")
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = Array("<s> <p> \"".utf8) + [0xFF] + Array("\" .".utf8)
        var parser = TurtleParser()
        #expect(throws: OntologyError.self) {
            try bytes.withUnsafeBufferPointer { try parser.parse($0) { _ in } }
        }
    }

    @Test func skipsAByteOrderMark() throws {
        #expect(try Self.parse("\u{FEFF}<s> <p> <o> .").count == 1)
        #expect(Self.failure("\u{FEFF}<s> <p> <o>")?.position == TextPosition(line: 1, column: 12))
    }

    @Test func boundsNesting() throws {
        let depth = TurtleParser.maximumNestingDepth
        let ok = "<s> <p> " + String(repeating: "[ <p> ", count: depth - 1) + "<o>" + String(repeating: " ]", count: depth - 1) + " ."
        #expect(try Self.parse(ok).count == depth)
        let brackets = "<s> <p> " + String(repeating: "[ <p> ", count: 100_000)
        #expect(Self.failure(brackets)?.message.contains("nested") == true)
        let parens = "<s> <p> " + String(repeating: "(", count: 100_000)
        #expect(Self.failure(parens)?.message.contains("nested") == true)
    }

    @Test func emitErrorsStopTheParse() {
        struct Stop: Error {}
        var parser = TurtleParser()
        var seen = 0
        #expect(throws: Stop.self) {
            try parser.parse("<http://a> <http://b> <http://c>, <http://d> .") { _ in
                seen += 1
                throw Stop()
            }
        }
        #expect(seen == 1)
    }

    @Test func positionsCountCharactersNotBytes() {
        let error = Self.failure("<s> <p> \"ééé\" <x> .")
        #expect(error?.position == TextPosition(line: 1, column: 15))
    }

    @Test func emptyDocumentsAndComments() throws {
        #expect(try Self.parse("").isEmpty)
        #expect(try Self.parse("# only a comment").isEmpty)
        #expect(try Self.parse("<s> <p> <o> . # trailing\r\n<s> <p> <o2>.").count == 2)
    }
}
