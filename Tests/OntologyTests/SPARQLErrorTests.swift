import Testing
@testable import Ontology

/// Queries the parser must reject, with the code, message and position of the error.
struct SPARQLErrorTests {
    /// The error a query raises (nil when it parses).
    static func failure(_ text: String, base: String? = "http://example.org/") -> OntologyError? {
        do {
            _ = try SPARQLParser(baseIRI: base).parseQuery(text)
            return nil
        } catch let error as OntologyError {
            return error
        } catch {
            return OntologyError(.io, "unexpected error type")
        }
    }

    static func updateFailure(_ text: String) -> OntologyError? {
        do {
            _ = try SPARQLParser(baseIRI: "http://example.org/").parseUpdate(text)
            return nil
        } catch let error as OntologyError {
            return error
        } catch {
            return OntologyError(.io, "unexpected error type")
        }
    }

    @Test func syntaxErrorsNameTheTokenAndItsPosition() throws {
        let error = try #require(Self.failure("SELECT * { ?s ?p ?o . . }"))
        #expect(error.code == .sparqlSyntax)
        #expect(error.message == "expected `}` or a graph pattern but found `.`")
        #expect(error.position == TextPosition(line: 1, column: 23))

        let multiline = try #require(Self.failure("PREFIX ex: <http://example.org/>\nSELECT ?x\nWHERE { ?x ex:p ?y ?z }"))
        #expect(multiline.message == "expected `.`, `}` or a graph pattern but found `?z`")
        #expect(multiline.position == TextPosition(line: 3, column: 20))
        #expect(multiline.description == "3:20: expected `.`, `}` or a graph pattern but found `?z`")

        // Columns count characters, not bytes.
        #expect(Self.failure("SELECT * { \"é\" ?p }")?.position == TextPosition(line: 1, column: 19))
        #expect(Self.failure("SELECT * { ?s ?p ?o")?.message == "expected `.`, `}` or a graph pattern but found end of input")
    }

    @Test(arguments: [
        ("SELECT * { ?s ex:p ?o }", "undefined prefix `ex:`", 1, 15),
        ("SELECT * { <a> ?p ?o }", "relative IRI `<a>` needs a base IRI (declare one with `BASE`)", 1, 12),
        ("SELECT * { ?s ?p \"abc }", "unterminated string", 1, 18),
        ("SELECT * { ?s ?p \"\\q\" }", "invalid escape `\\q` in a string", 1, 19),
        ("SELECT * { ?s ?p ?o FILTER(?o = _:b) }", "blank nodes cannot be used in expressions, found `_:b`", 1, 33),
        ("SELECT * { ?s ?p ?o FILTER(STR(?o, 1)) }", "`STR` takes 1 argument, not 2", 1, 28),
        ("SELECT * { ?s ?p ?o FILTER(FOO(?o)) }", "unknown function or keyword `FOO`", 1, 28),
        ("SELECT (?o + 1) { ?s ?p ?o }", "expected `AS` and a variable (a select expression is written `(expression AS ?name)`) but found `)`", 1, 15),
        ("SELECT * { VALUES (?a ?a) { (1 2) } }", "variable `?a` appears twice in `VALUES`", 1, 23),
    ] as [(String, String, Int, Int)])
    func rejectsMalformedQueries(_ text: String, _ message: String, _ line: Int, _ column: Int) throws {
        let error = try #require(Self.failure(text, base: nil))
        #expect(error.code == .sparqlSyntax)
        #expect(error.message == message)
        #expect(error.position == TextPosition(line: line, column: column))
    }

    @Test(arguments: [
        ("SELECT * { ?s ?p ?o BIND(1 AS ?o) }", "`BIND` cannot assign `?o`, which the group already binds", 21),
        ("SELECT (1 AS ?o) { ?s ?p ?o }", "a select expression cannot assign `?o`, which the pattern already binds", 8),
        ("SELECT ?s ?s { ?s ?p ?o }", "`?s` appears twice in the select clause", 11),
        ("SELECT ?o { ?s ?p ?o } GROUP BY ?s", "`?o` is selected but is not a `GROUP BY` key", 8),
        ("SELECT (?o + 1 AS ?x) { ?s ?p ?o } GROUP BY ?s", "`?o` is used in a select expression but is not a `GROUP BY` key", 8),
        ("SELECT * { ?s ?p ?o } GROUP BY ?s", "`SELECT *` cannot be used with `GROUP BY` or aggregates", 1),
        ("SELECT * { ?s ?p ?o FILTER(COUNT(?o) > 1) }", "aggregates are not allowed in `FILTER`", 21),
        ("SELECT * { ?s ?p ?o BIND(SUM(?o) AS ?x) }", "aggregates are not allowed in `BIND`", 21),
        ("SELECT (COUNT(?s) AS ?n) { ?s ?p ?o } GROUP BY (MAX(?o))", "aggregates are not allowed in `GROUP BY`", 48),
        ("SELECT (SUM(MAX(?o)) AS ?n) { ?s ?p ?o }", "aggregates cannot be nested", 8),
        ("SELECT * { _:a ?p ?o OPTIONAL { ?o ?q ?r } _:a ?q ?z }", "blank node `_:a` is used in two basic graph patterns", 44),
    ] as [(String, String, Int)])
    func rejectsScopingViolations(_ text: String, _ message: String, _ column: Int) throws {
        let error = try #require(Self.failure(text))
        #expect(error.message == message)
        #expect(error.position == TextPosition(line: 1, column: column))
    }

    @Test func acceptsWhatTheScopingRulesAllow() {
        // A filter does not end a basic graph pattern; BIND may reuse a variable of another branch.
        #expect(Self.failure("SELECT * { _:a ?p ?o FILTER(?o) _:a ?q ?z }") == nil)
        #expect(Self.failure("SELECT * { { ?s ?p ?Y } UNION { BIND(1 AS ?Y) } }") == nil)
        #expect(Self.failure("SELECT (COUNT(?o) AS ?o) { ?s ?p ?o } GROUP BY ?s") == nil)
        #expect(Self.failure("SELECT ?s (?n * 2 AS ?d) { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(?o) > 1)") != nil)
        #expect(Self.failure("SELECT ?s (COUNT(?o) AS ?n) (?n * 2 AS ?d) { ?s ?p ?o } GROUP BY ?s") == nil)
    }

    @Test func nestingIsBounded() throws {
        for text in [
            "SELECT * " + String(repeating: "{", count: 10_000) + String(repeating: "}", count: 10_000),
            "ASK { FILTER(" + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + ") }",
            "ASK { FILTER(" + Array(repeating: "?x = 1", count: 10_000).joined(separator: " || ") + ") }",
            "ASK { ?s " + Array(repeating: "<p>", count: 10_000).joined(separator: "/") + " ?o }",
            "ASK { ?s <p> " + String(repeating: "[ <p> ", count: 10_000) + String(repeating: "]", count: 10_000) + " }",
            "ASK { " + String(repeating: "OPTIONAL { ?s ?p ?o } ", count: 10_000) + " }",
        ] {
            let error = try #require(Self.failure(text))
            #expect(error.code == .sparqlDepthLimit)
            #expect(error.message.hasPrefix("the query nests deeper than 500 levels"))
        }
        // Long flat lists are not nesting.
        #expect(Self.failure("ASK { ?s <p> (" + String(repeating: "1 ", count: 10_000) + ") }") == nil)
        #expect(Self.failure("ASK { FILTER(?x IN (" + Array(repeating: "1", count: 10_000).joined(separator: ", ") + ")) }") == nil)
        #expect(Self.failure("SELECT * " + String(repeating: "{", count: 100) + String(repeating: "}", count: 100)) == nil)
    }

    @Test func neverCrashesOnTruncatedOrGarbledInput() {
        let query = #"""
            PREFIX ex: <http://example.org/> SELECT DISTINCT ?s (COUNT(*) AS ?n) FROM <g> WHERE {
              ?s ex:p/ex:q* [ ex:r (1 "a"@en 2.5e3) ] ; ^ex:t ?o . FILTER(REGEX(?o, "x", 'i') || ?o IN (1, 2))
              OPTIONAL { ?o !(ex:a|^ex:b) ?z BIND(?z + 1 AS ?w) } MINUS { ?s a ex:C } VALUES ?o { 1 UNDEF }
              { SELECT ?s { ?s ?p ?o } LIMIT 1 } UNION { GRAPH ?g { ?s ?p ?o } } FILTER NOT EXISTS { ?s ex:u ?v }
            } GROUP BY ?s HAVING (COUNT(*) > 1) ORDER BY DESC(?n) LIMIT 10 OFFSET 2
            """#
        let parser = SPARQLParser(baseIRI: "http://example.org/")
        #expect((try? parser.parseQuery(query)) != nil)
        let characters = Array(query)
        for end in 0..<characters.count {
            _ = try? parser.parseQuery(String(characters[..<end]))
            var dropped = characters
            dropped.remove(at: end)
            _ = try? parser.parseQuery(String(dropped))
            _ = try? parser.parseUpdate(String(dropped))
        }
    }
}
