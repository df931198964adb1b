import Testing
@testable import Ontology

/// The algebra the parser builds for representative queries, written as SSE with
/// `<http://example.org/x>` shortened to `:x`.
struct SPARQLParserTests {
    static let parser = SPARQLParser(baseIRI: "http://example.org/")

    static func query(_ text: String) throws -> Query {
        try parser.parseQuery("PREFIX : <http://example.org/>\n" + text)
    }

    /// The query's algebra (with its form and dataset), IRIs of `http://example.org/` shortened.
    static func algebra(_ text: String) throws -> String {
        shorten(try query(text).description)
    }

    /// Expects `text` to translate to `expected`.
    static func check(_ text: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let actual = try algebra(text)
        #expect(actual == expected, sourceLocation: sourceLocation)
    }

    static func shorten(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            let iri = rest[open...]
            if let close = iri.firstIndex(of: ">"), iri.hasPrefix("<http") {
                out += iri[iri.index(after: open)..<close]
                    .replacing("http://example.org/", with: ":")
                    .replacing("http://www.w3.org/1999/02/22-rdf-syntax-ns#", with: "rdf:")
                rest = iri[iri.index(after: close)...]
            } else {
                out += "<"
                rest = iri.dropFirst()
            }
        }
        return out + rest
    }

    @Test func basicGraphPatternAndProjection() throws {
        try Self.check("SELECT ?s { ?s a :C ; :p ?o , 1 }",
            "(project (?s) (bgp (triple ?s rdf:type :C) (triple ?s :p ?o) (triple ?s :p 1)))")
        let query = try Self.query("SELECT * { ?s :p ?o }")
        #expect(query.form == .select([Variable("s"), Variable("o")]))
    }

    @Test func optionalTakesItsOwnFiltersAndGroupFiltersCoverTheGroup() throws {
        // The FILTER written first still applies to the whole group, after the left join.
        try Self.check("SELECT * { FILTER(?o != 2) ?s :p ?o OPTIONAL { ?o :q ?x FILTER(?x > 1) } }",
            "(project (?s ?o ?x) (filter (!= ?o 2) (leftjoin (bgp (triple ?s :p ?o)) (bgp (triple ?o :q ?x)) (> ?x 1))))")
        // A filter of a nested group stays inside it (§18.2.2.6, not simplified into the condition).
        try Self.check("SELECT * { ?s :p ?o OPTIONAL { { ?o :q ?x FILTER(?x > 1) } } }",
            "(project (?s ?o ?x) (leftjoin (bgp (triple ?s :p ?o)) (filter (> ?x 1) (bgp (triple ?o :q ?x)))))")
    }

    @Test func nestedGroupsUnionMinusAndGraph() throws {
        try Self.check("SELECT * { { ?s :p ?o } UNION { ?s :q ?o } UNION { ?s :r ?o } MINUS { ?s :x ?o } }",
            "(project (?s ?o) (minus (union (union (bgp (triple ?s :p ?o)) (bgp (triple ?s :q ?o))) (bgp (triple ?s :r ?o))) (bgp (triple ?s :x ?o))))")
        // Adjacent basic graph patterns merge; the empty group disappears from joins.
        try Self.check("SELECT * { {} { ?s :p ?o } { ?o :q ?z } GRAPH ?g { ?z :r ?w } }",
            "(project (?s ?o ?z ?g ?w) (join (bgp (triple ?s :p ?o) (triple ?o :q ?z)) (graph ?g (bgp (triple ?z :r ?w)))))")
        try Self.check("ASK {}",
            "(ask (bgp))")
    }

    @Test func blankNodesAreVariablesThatSelectStarSkips() throws {
        let query = try Self.query("SELECT * { _:a :p ?o . ?o :q [ :r 1 ] }")
        #expect(Self.shorten(query.pattern.description)
            == "(project (?o) (bgp (triple _:a :p ?o) (triple ?o :q _:.1) (triple _:.1 :r 1)))")
        #expect(query.form == .select([Variable("o")]))
        try Self.check("SELECT * { ?s :p (1 ?x) }",
            "(project (?s ?x) (bgp (triple ?s :p _:.1) (triple _:.1 rdf:first 1) (triple _:.1 rdf:rest _:.2) "
            + "(triple _:.2 rdf:first ?x) (triple _:.2 rdf:rest rdf:nil)))")
    }

    @Test func aggregatesWithGroupByHavingAndOrderBy() throws {
        try Self.check("""
            SELECT ?s (COUNT(DISTINCT ?o) AS ?n) (SUM(?v) / COUNT(DISTINCT ?o) AS ?mean)
            { ?s :p ?o ; :v ?v } GROUP BY ?s HAVING (COUNT(DISTINCT ?o) > 1) ORDER BY DESC(?n) LIMIT 5
            """, "(slice _ 5 (project (?s ?n ?mean) (order ((desc ?n)) "
            + "(extend ((?mean (/ ?.agg2 ?.agg1))) (extend ((?n ?.agg1)) "
            + "(filter (> ?.agg1 1) (group (?s) ((?.agg1 (count distinct ?o)) (?.agg2 (sum ?v))) "
            + "(bgp (triple ?s :p ?o) (triple ?s :v ?v)))))))))")
        // Without GROUP BY, an aggregate makes one group; GROUP BY expressions are bound first.
        try Self.check("SELECT (COUNT(*) AS ?c) {}",
            "(project (?c) (extend ((?c ?.agg1)) (group () ((?.agg1 (count))) (bgp))))")
        try Self.check("SELECT ?k (SAMPLE(?o) AS ?x) { ?s :p ?o } GROUP BY (STR(?s) AS ?k) (LANG(?o))",
            "(project (?k ?x) (extend ((?x ?.agg1)) (group (?k ?.key2) ((?.agg1 (sample ?o))) "
            + "(extend ((?.key2 (lang ?o))) (extend ((?k (str ?s))) (bgp (triple ?s :p ?o)))))))")
        try Self.check(#"SELECT (GROUP_CONCAT(?o ; SEPARATOR = ", ") AS ?all) { ?s :p ?o }"#,
            #"(project (?all) (extend ((?all ?.agg1)) (group () ((?.agg1 (group_concat ?o ", "))) (bgp (triple ?s :p ?o)))))"#)
    }

    @Test func propertyPathsFollowTheTranslationTable() throws {
        // A sequence and an inverse IRI become triples; other paths stay paths.
        try Self.check("SELECT * { ?s :p/^:q ?o . ?o :r* ?z . ?z (:a|:b)+ ?w }",
            "(project (?s ?o ?z ?w) (join (join (bgp (triple ?s :p ?.path1) (triple ?o :q ?.path1)) "
            + "(path ?o (path* :r) ?z)) (path ?z (path+ (alt :a :b)) ?w)))")
        try Self.check("SELECT * { ?s !(:a|^:b|a) ?o . ?s !^:c ?o . ?s ^(:d/:e)? ?o }",
            "(project (?s ?o) (join (join (path ?s (alt (notoneof :a rdf:type) (reverse (notoneof :b))) ?o) "
            + "(path ?s (reverse (notoneof :c)) ?o)) (path ?s (reverse (path? (seq :d :e))) ?o)))")
    }

    @Test func subqueryValuesAndBind() throws {
        try Self.check("""
            SELECT ?x ?k { { SELECT ?x (MAX(?y) AS ?m) { ?x :p ?y } GROUP BY ?x } VALUES ?x { :a UNDEF } BIND(?m + 1 AS ?k) }
            """, "(project (?x ?k) (extend ((?k (+ ?m 1))) (join (project (?x ?m) (extend ((?m ?.agg1)) "
            + "(group (?x) ((?.agg1 (max ?y))) (bgp (triple ?x :p ?y))))) (table (?x) (row [?x :a]) (row)))))")
        try Self.check("SELECT * { ?s :p ?o } VALUES (?s ?o) { (:a 1) (UNDEF \"x\") }",
            "(project (?s ?o) (join (bgp (triple ?s :p ?o)) (table (?s ?o) (row [?s :a] [?o 1]) (row [?o \"x\"]))))")
        // BIND ends the basic graph pattern before it.
        try Self.check("SELECT * { ?s :p ?o BIND(?o * 2 AS ?d) ?s :q ?d }",
            "(project (?s ?o ?d) (join (extend ((?d (* ?o 2))) (bgp (triple ?s :p ?o))) (bgp (triple ?s :q ?d))))")
    }

    @Test func solutionModifiersWrapInSpecOrder() throws {
        try Self.check("SELECT DISTINCT ?s { ?s :p ?o } ORDER BY ?o DESC(STR(?s)) OFFSET 3 LIMIT 2",
            "(slice 3 2 (distinct (project (?s) (order ((asc ?o) (desc (str ?s))) (bgp (triple ?s :p ?o))))))")
        try Self.check("SELECT REDUCED * { ?s :p ?o } OFFSET 1",
            "(slice 1 _ (reduced (project (?s ?o) (bgp (triple ?s :p ?o)))))")
    }

    @Test func queryFormsAndDataset() throws {
        let construct = try Self.query("CONSTRUCT { ?s :q [ :r ?o ] } FROM :g FROM NAMED :h WHERE { ?s :p ?o }")
        #expect(construct.dataset == QueryDataset(defaultGraphs: [IRI("http://example.org/g")],
                                                  namedGraphs: [IRI("http://example.org/h")]))
        #expect(Self.shorten(construct.description) == "(dataset (default :g) (named :h) (construct "
            + "((triple ?s :q _:.1) (triple _:.1 :r ?o)) (bgp (triple ?s :p ?o))))")
        try Self.check("CONSTRUCT WHERE { ?s :p _:b }",
            "(construct ((triple ?s :p _:b)) (bgp (triple ?s :p _:b)))")
        try Self.check("ASK FROM NAMED :h { GRAPH :h { ?s ?p ?o } }",
            "(dataset (default) (named :h) (ask (graph :h (bgp (triple ?s ?p ?o)))))")
        try Self.check("DESCRIBE :x ?s { ?s :p :x }",
            "(describe (:x ?s) (project (?s) (bgp (triple ?s :p :x))))")
        try Self.check("DESCRIBE *  { ?s :p ?o }",
            "(describe (?s ?o) (project (?s ?o) (bgp (triple ?s :p ?o))))")
        try Self.check("DESCRIBE :x",
            "(describe (:x) (project () (bgp)))")
        try Self.check("SELECT * { SERVICE SILENT ?e { ?s ?p ?o } }",
            "(project (?e ?s ?p ?o) (service silent ?e (bgp (triple ?s ?p ?o))))")
    }

    @Test func expressionsAndLiterals() throws {
        try Self.check("ASK { FILTER(1 + 2 * 3 = 7 && !?b || ?x IN (1.5, 2e0, \"a\"@EN, true) || ?y NOT IN ()) }",
            "(ask (filter (|| (|| (&& (= (+ 1 (* 2 3)) 7) (! ?b)) (in ?x 1.5 2e0 \"a\"@en true)) (notin ?y)) (bgp)))")
        // A sign directly before a number belongs to the number, which makes `?x -1` a subtraction.
        try Self.check("ASK { FILTER(?x -1 > -2 && ?y+2*3 != +4) }",
            "(ask (filter (&& (> (- ?x 1) -2) (!= (+ ?y (* 2 3)) +4)) (bgp)))")
        try Self.check(#"ASK { FILTER(REGEX(STR(?s), "^a", "i") && BOUND(?x) && IF(?a, COALESCE(?b, 1), sameTerm(?c, :d)) && :f(?x, 2) && "7"^^:t = ?z) }"#,
            #"(ask (filter (&& (&& (&& (&& (regex (str ?s) "^a" "i") (bound ?x)) (if ?a (coalesce ?b 1) (sameterm ?c :d))) (:f ?x 2)) (= "7"^^:t ?z)) (bgp)))"#)
        try Self.check("ASK { FILTER(NOT EXISTS { ?s :p ?o } && EXISTS { ?s :q [] }) }",
            "(ask (filter (&& (notexists (bgp (triple ?s :p ?o))) (exists (bgp (triple ?s :q _:.1)))) (bgp)))")
        try Self.check("ASK { FILTER(RAND() < 1 && CONCAT() = \"\" && BNODE() != BNODE(\"x\")) }",
            "(ask (filter (&& (&& (< (rand) 1) (= (concat) \"\")) (!= (bnode) (bnode \"x\"))) (bgp)))")
    }

    @Test func baseAndPrefixesResolveIRIs() throws {
        let query = try SPARQLParser().parseQuery("""
            BASE <http://example.org/a/b>
            PREFIX x: <c/>
            BASE <d/>
            SELECT * { <e> x:f <../g> }
            """)
        #expect(query.pattern.description
            == "(project () (bgp (triple <http://example.org/a/d/e> <http://example.org/a/c/f> <http://example.org/a/g>)))")
        #expect(query.baseIRI == "http://example.org/a/d/")
        #expect(query.prefixes == ["x": "http://example.org/a/c/"])
        // Escapes decode inside IRIs and strings only.
        let escaped = try SPARQLParser().parseQuery(#"SELECT * { <http://example.org/\u0061> ?p "\u00e9\t\U0001F46A" }"#)
        #expect(escaped.pattern.description
            == "(project (?p) (bgp (triple <http://example.org/a> ?p \"é\\t\u{1F46A}\")))")
    }
}
