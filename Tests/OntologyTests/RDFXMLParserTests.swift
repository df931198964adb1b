import Testing
@testable import Ontology

struct RDFXMLParserTests {
    let header = """
        <?xml version="1.0"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"
                 xml:base="http://example.org/base/">
        """

    func parse(_ body: String) throws -> [Triple] {
        try RDFXMLParser().triples(in: header + body + "</rdf:RDF>")
    }

    @Test func nodeAndPropertyElements() throws {
        let triples = try parse("""
            <ex:Sensor rdf:about="s1" ex:label="one">
              <ex:observes rdf:resource="#temperature"/>
              <ex:value rdf:datatype="http://www.w3.org/2001/XMLSchema#decimal">21.5</ex:value>
              <ex:name xml:lang="EN">Sensor</ex:name>
            </ex:Sensor>
            """)
        let s = Term.iri("http://example.org/base/s1")
        #expect(Set(triples) == [
            Triple(s, RDF.type, .iri("http://example.org/Sensor")),
            Triple(s, IRI("http://example.org/label"), .literal(Literal("one"))),
            Triple(s, IRI("http://example.org/observes"), .iri("http://example.org/base/#temperature")),
            Triple(s, IRI("http://example.org/value"), .literal(Literal("21.5", datatype: XSD.decimal))),
            Triple(s, IRI("http://example.org/name"), .literal(Literal("Sensor", language: "en"))),
        ])
    }

    @Test func collectionsAndContainers() throws {
        let triples = try parse("""
            <rdf:Description rdf:about="list">
              <ex:items rdf:parseType="Collection"><rdf:Description rdf:about="a"/><rdf:Description rdf:about="b"/></ex:items>
            </rdf:Description>
            <rdf:Bag rdf:about="bag"><rdf:li>x</rdf:li><rdf:li>y</rdf:li></rdf:Bag>
            """)
        #expect(triples.filter { $0.predicate == RDF.first }.count == 2)
        #expect(triples.contains { $0.predicate == RDF.rest && $0.object == .iri(RDF.nil) })
        #expect(triples.contains { $0.predicate.value == RDF.namespace + "_2" && $0.object == .literal(Literal("y")) })
    }

    @Test func reificationThroughPropertyID() throws {
        let triples = try parse(#"<rdf:Description rdf:about="s"><ex:p rdf:ID="st">v</ex:p></rdf:Description>"#)
        let statement = Term.iri("http://example.org/base/#st")
        #expect(triples.contains(Triple(statement, RDF.type, .iri(RDF.statement))))
        #expect(triples.contains(Triple(statement, RDF.object, .literal(Literal("v")))))
        #expect(triples.count == 5)
    }

    @Test func xmlLiteralIsExclusiveCanonicalXML() throws {
        let triples = try parse(#"<rdf:Description rdf:about="s"><ex:p rdf:parseType="Literal"><ex:b  z="2" a="1"/>&amp;</ex:p></rdf:Description>"#)
        #expect(triples.first?.object == .literal(Literal(
            #"<ex:b xmlns:ex="http://example.org/" a="1" z="2"></ex:b>&amp;"#, datatype: RDF.xmlLiteral)))
    }

    @Test(arguments: [
        (#"<rdf:Description rdf:about="s"><ex:p rdf:parseType="Literal" rdf:resource="x"/></rdf:Description>"#, "rdf:parseType"),
        (#"<rdf:Description rdf:ID="1bad"/>"#, "rdf:ID"),
        (#"<rdf:Description rdf:about="a" rdf:nodeID="b"/>"#, "only one"),
        (#"<rdf:li/>"#, "node element"),
        (#"<rdf:Description><ex:p>text<ex:Q/></ex:p></rdf:Description>"#, "unexpected text"),
        (#"<rdf:Description rdf:ID="x"/><rdf:Description rdf:ID="x"/>"#, "used twice"),
    ])
    func grammarErrorsAreRejected(body: String, fragment: String) throws {
        do {
            _ = try parse(body)
            Issue.record("accepted an invalid document")
        } catch let error as OntologyError {
            #expect(error.code == .rdfxmlSyntax)
            #expect(error.message.contains(fragment))
            #expect(error.position != nil)
        }
    }

    @Test func malformedXMLReportsLineAndColumn() throws {
        let document = "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  <rdf:Description>\n</rdf:RDF>\n"
        do {
            _ = try RDFXMLParser().triples(in: document)
            Issue.record("accepted malformed XML")
        } catch let error as OntologyError {
            #expect(error.code == .rdfxmlSyntax)
            #expect(error.position?.line == 4)
            #expect(error.message.contains("mismatch"))
        }
    }

    @Test func relativeIRIWithoutBaseIsAnError() throws {
        let document = #"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="rel"/></rdf:RDF>"#
        #expect(throws: OntologyError.self) { _ = try RDFXMLParser().triples(in: document) }
    }

    @Test func nestingDepthIsBounded() throws {
        var limits = RDFXMLParser.Limits()
        limits.maxDepth = 50
        var body = ""
        for _ in 0..<30 { body += "<rdf:Description><ex:p>" }
        for _ in 0..<30 { body += "</ex:p></rdf:Description>" }
        do {
            _ = try RDFXMLParser(limits: limits).triples(in: header + body + "</rdf:RDF>")
            Issue.record("accepted a document nested beyond the limit")
        } catch let error as OntologyError {
            #expect(error.code == .rdfxmlDepthLimit)
        }
    }

    @Test func emitErrorsStopTheParse() throws {
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) {
            try RDFXMLParser().parse(header + #"<ex:A rdf:about="a"/><ex:B rdf:about="b"/></rdf:RDF>"#) { _ in
                seen += 1
                throw Stop()
            }
        }
        #expect(seen == 1)
    }
}

struct RDFXMLValidationTests {
    func parse(_ body: String) throws -> [Triple] {
        try RDFXMLParser(baseIRI: "http://example.org/").triples(in: """
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\(body)</rdf:RDF>
            """)
    }

    @Test(arguments: [
        #"<rdf:Description rdf:about="http://example.org/a b"/>"#,
        #"<rdf:Description rdf:about="s"><ex:p rdf:resource="http://example.org/{x}"/></rdf:Description>"#,
        #"<rdf:Description rdf:about="s"><ex:p rdf:datatype="http://example.org/<t>">1</ex:p></rdf:Description>"#,
    ])
    func invalidIRIsAreRejected(body: String) {
        #expect(throws: OntologyError.self) { _ = try parse(body) }
    }

    @Test func invalidLanguageTagIsRejected() {
        #expect(throws: OntologyError.self) {
            _ = try parse(#"<rdf:Description rdf:about="s"><ex:p xml:lang="en_US">x</ex:p></rdf:Description>"#)
        }
        #expect(LanguageTag.isWellFormed("en-US"))
        #expect(LanguageTag.isWellFormed("zh-Hant-TW"))
        #expect(!LanguageTag.isWellFormed("1en"))
        #expect(!LanguageTag.isWellFormed("en--us"))
    }
}
