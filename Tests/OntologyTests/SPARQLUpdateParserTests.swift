import Testing
@testable import Ontology

/// The operations the parser builds for SPARQL 1.1 Update requests.
struct SPARQLUpdateParserTests {
    static func update(_ text: String) throws -> Update {
        try SPARQLParser(baseIRI: "http://example.org/").parseUpdate("PREFIX : <http://example.org/>\n" + text)
    }

    static func operations(_ text: String) throws -> [String] {
        try update(text).operations.map { SPARQLParserTests.shorten($0.description) }
    }

    static func failure(_ text: String) -> String? {
        do {
            _ = try update(text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func insertAndDeleteData() throws {
        let update = try Self.update("INSERT DATA { :s :p 1 ; :q [ :r \"x\" ] GRAPH :g { :s :p _:b } } ; DELETE DATA { GRAPH :g { :s :p 1 } }")
        guard case .insertData(let quads)? = update.operations.first else {
            Issue.record("expected INSERT DATA")
            return
        }
        #expect(quads.count == 4)
        #expect(quads.first == Quad(.iri("http://example.org/s"), IRI("http://example.org/p"),
                                    .literal(Literal("1", datatype: XSD.integer))))
        #expect(quads.last?.graph == .iri("http://example.org/g"))
        #expect(quads.last?.object == .blankNode(BlankNode("b")))
        #expect(try Self.operations("DELETE DATA { GRAPH :g { :s :p 1 } }")
            == ["(deleteData (quad :g :s :p 1))"])
    }

    @Test func deleteInsertWhereWithWithAndUsing() throws {
        #expect(try Self.operations("WITH :g DELETE { ?s :p ?o } INSERT { ?s :q ?o GRAPH :h { ?s :r [] } } WHERE { ?s :p ?o }")
            == ["(modify (delete (quad :g ?s :p ?o)) (insert (quad :g ?s :q ?o) (quad :h ?s :r _:.1)) "
                + "(using (default :g) (named *)) (bgp (triple ?s :p ?o)))"])
        #expect(try Self.operations("DELETE { ?s :p ?o } USING :a USING NAMED :b WHERE { GRAPH ?g { ?s :p ?o } }")
            == ["(modify (delete (quad _ ?s :p ?o)) (insert) (using (default :a) (named :b)) (graph ?g (bgp (triple ?s :p ?o))))"])
        #expect(try Self.operations("INSERT { ?s a :C } WHERE { ?s :p ?o FILTER(?o > 1) }")
            == ["(modify (delete) (insert (quad _ ?s rdf:type :C)) (filter (> ?o 1) (bgp (triple ?s :p ?o))))"])
    }

    @Test func deleteWhereUsesItsTemplateAsPattern() throws {
        #expect(try Self.operations("DELETE WHERE { ?s :p ?o GRAPH :g { ?s :q ?o } ?o :r ?z }")
            == ["(modify (delete (quad _ ?s :p ?o) (quad :g ?s :q ?o) (quad _ ?o :r ?z)) (insert) "
                + "(join (bgp (triple ?s :p ?o) (triple ?o :r ?z)) (graph :g (bgp (triple ?s :q ?o)))))"])
    }

    @Test func graphManagement() throws {
        #expect(try Self.operations("""
            LOAD SILENT <http://x.example/data.ttl> INTO GRAPH :g ;
            LOAD <file.ttl> ;
            CLEAR ALL ; CLEAR SILENT DEFAULT ; DROP NAMED ; DROP GRAPH :g ;
            CREATE SILENT GRAPH :h ;
            ADD DEFAULT TO :g ; COPY GRAPH :g TO DEFAULT ; MOVE SILENT :a TO GRAPH :b
            """) == [
                "(load silent http://x.example/data.ttl :g)", "(load :file.ttl)",
                "(clear all)", "(clear silent default)", "(drop named)", "(drop :g)",
                "(create silent :h)",
                "(add default :g)", "(copy :g default)", "(move silent :a :b)",
            ])
    }

    @Test func prologueCarriesOverAndEmptyRequestsParse() throws {
        #expect(try Self.operations("CLEAR DEFAULT ; PREFIX x: <http://example.org/x/> BASE <y/> INSERT DATA { x:s :p <o> } ;")
            == ["(clear default)", "(insertData (quad _ :x/s :p :y/o))"])
        #expect(try Self.update("").operations.isEmpty)
        #expect(try Self.update("PREFIX a: <http://a/>").prefixes["a"] == "http://a/")
    }

    @Test(arguments: [
        ("INSERT DATA { ?s :p 1 }", "2:15: variables are not allowed in `INSERT DATA`"),
        ("DELETE DATA { _:b :p 1 }", "2:15: blank nodes are not allowed in `DELETE DATA`"),
        ("DELETE WHERE { [] :p 1 }", "2:16: blank nodes are not allowed in `DELETE WHERE`"),
        ("DELETE { ?s :p [] } WHERE { ?s :p ?o }", "2:16: blank nodes are not allowed in `DELETE`"),
        ("INSERT DATA { GRAPH :g { GRAPH :h { :s :p 1 } } }", "2:26: expected `}` (`GRAPH` blocks cannot nest) but found `GRAPH`"),
        ("INSERT DATA { _:b :p 1 } ; INSERT DATA { _:b :p 2 }", "2:42: blank node `_:b` is already used by an earlier operation"),
        ("CLEAR GRAPH :g CLEAR ALL", "2:16: expected `;` or the end of the update but found `CLEAR`"),
        ("CLEAR ALL ;;", "2:12: expected an update operation but found `;`"),
        ("INSERT WHERE { ?s ?p ?o }", "2:8: expected `{` but found `WHERE`"),
        ("CREATE DEFAULT", "2:8: expected `GRAPH` but found `DEFAULT`"),
    ])
    func rejectsMalformedUpdates(_ text: String, _ expected: String) {
        #expect(Self.failure(text) == expected)
    }
}
