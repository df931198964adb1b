import Synchronization
import Testing
@testable import Ontology

/// The bulk-load path: what it stores, its statistics and indexes, and that a failed load
/// leaves the store exactly as it was.
struct QuadStoreBulkLoadTests {
    static let ex = "http://example.org/"

    /// A small site in RDF/XML, with typed, language-tagged and blank-node objects.
    static func rdfXML(devices: Int) -> String {
        var text = """
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                     xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
                     xmlns:ex="http://example.org/" xml:base="http://example.org/">

            """
        for i in 0..<devices {
            text += """
                  <ex:Device rdf:about="device/\(i)">
                    <rdfs:label xml:lang="en">Device \(i)</rdfs:label>
                    <ex:room rdf:resource="room/\(i % 7)"/>
                    <ex:battery rdf:parseType="Resource">
                      <ex:level rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">0\(i % 100)</ex:level>
                    </ex:battery>
                    <ex:endpoint rdf:nodeID="ep\(i)"/>
                  </ex:Device>
                  <rdf:Description rdf:nodeID="ep\(i)"><ex:address>coap://d\(i)</ex:address></rdf:Description>

                """
        }
        return text + "</rdf:RDF>\n"
    }

    /// N-Triples with `count` lines, and a syntax error on the last line when `broken`.
    static func nTriples(_ count: Int, prefix: String, broken: Bool) -> String {
        var text = ""
        for i in 0..<count {
            text += "<\(ex)\(prefix)/s\(i)> <\(ex)p\(i % 5)> \"\(prefix) value \(i)\"@en .\n"
            text += "<\(ex)\(prefix)/s\(i)> <\(ex)q> _:b\(i % 100) .\n"
        }
        if broken { text += "<\(ex)s> <\(ex)p> \"unterminated .\n" }
        return text
    }

    @Test func loadsWhatTheParserProduces() throws {
        let directory = try TemporaryDirectory()
        let file = directory.write("site.rdf", Self.rdfXML(devices: 500))
        var parsed: [Triple] = []
        try RDFParser.parse(fileAtPath: file, format: .rdfXML) { parsed.append($0) }
        let store = try QuadStore(directory: directory.path + "/data")
        defer { store.close() }
        let calls = Atomic<Int>(0)
        let result = try store.bulkLoad(fileAtPath: file, format: .rdfXML) { _ in calls.add(1, ordering: .relaxed) }
        #expect(result.triplesParsed == parsed.count)
        #expect(result.quadsAdded == parsed.count)
        #expect(calls.load(ordering: .relaxed) > 0)
        let stored = try store.read { try $0.quads(in: .defaultGraph) }
        #expect(stored.allSatisfy { $0.graph == nil })
        #expect(GraphIsomorphism.areIsomorphic(stored.map(\.triple), parsed))
        // Lexical forms are kept exactly ("00", "01"... are not normalised).
        #expect(stored.contains { $0.object == .literal(Literal("07", datatype: XSD.integer)) })
        try Self.expectConsistent(store)
    }

    @Test func secondLoadGetsFreshBlankNodesAndMergesTheRest() throws {
        let directory = try TemporaryDirectory()
        let file = directory.write("site.rdf", Self.rdfXML(devices: 50))
        let store = try QuadStore(directory: directory.path + "/data")
        defer { store.close() }
        let first = try store.bulkLoad(fileAtPath: file, format: .rdfXML)
        let second = try store.bulkLoad(fileAtPath: file, format: .rdfXML)
        // Each device has 3 triples without blank nodes and 4 with one.
        #expect(first.quadsAdded == 50 * 7)
        #expect(second.quadsAdded == 50 * 4)
        let graph = Term.iri(Self.ex + "graph")
        let third = try store.bulkLoad(fileAtPath: file, format: .rdfXML, graph: graph)
        #expect(third.quadsAdded == 50 * 7)
        #expect(try store.namedGraphs() == [graph])
        #expect(try store.read { try $0.quadCount() } == 50 * 18)
        try Self.expectConsistent(store)
    }

    @Test func failedLoadLeavesTheStoreUnchanged() throws {
        let directory = try TemporaryDirectory()
        let good = directory.write("good.nt", Self.nTriples(2_000, prefix: "good", broken: false))
        // Large enough that many batches of terms and quads were written before the error.
        let bad = directory.write("bad.nt", Self.nTriples(40_000, prefix: "bad", broken: true))
        for target in [nil, Term.iri(Self.ex + "g")] {
            let store = try QuadStore(directory: directory.path + "/data-\(target == nil ? "default" : "named")")
            defer { store.close() }
            try store.bulkLoad(fileAtPath: good, format: .nTriples)
            let before = try Self.fingerprint(store)
            do {
                try store.bulkLoad(fileAtPath: bad, format: .nTriples, graph: target)
                Issue.record("the broken file loaded")
            } catch let error as OntologyError {
                #expect(error.code == .ntriplesSyntax)
                #expect(error.position?.line == 80_001)
            }
            #expect(try Self.fingerprint(store) == before)
            #expect(try store.read { try $0.id(for: .iri(Self.ex + "bad/s1")) } == nil)
            try Self.expectConsistent(store)
            // The store still takes loads (and the ids of the rolled-back terms are not reused
            // for other terms in a way that breaks lookups).
            let fixed = directory.write("fixed.nt", Self.nTriples(100, prefix: "fixed", broken: false))
            #expect(try store.bulkLoad(fileAtPath: fixed, format: .nTriples, graph: target).quadsAdded == 200)
            #expect(try store.read { try $0.quads(subject: .iri(Self.ex + "fixed/s1")) }.count == 2)
            try Self.expectConsistent(store)
        }
    }

    @Test func loadIntoANamedGraphThatTheDataMentions() throws {
        let directory = try TemporaryDirectory()
        let graph = Term.iri(Self.ex + "graph")
        let file = directory.write("self.nt", """
            <\(Self.ex)graph> <\(Self.ex)p> <\(Self.ex)o> .
            <\(Self.ex)s> <\(Self.ex)p> <\(Self.ex)graph> .
            """)
        let store = try QuadStore(directory: directory.path + "/data")
        defer { store.close() }
        #expect(try store.bulkLoad(fileAtPath: file, format: .nTriples, graph: graph).quadsAdded == 2)
        #expect(try store.read { try $0.quads(subject: graph, in: .named(graph)) }.count == 1)
        try Self.expectConsistent(store)
    }

    @Test func asyncBulkLoad() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.write("site.nt", Self.nTriples(1_000, prefix: "a", broken: false))
        let store = try QuadStore(directory: directory.path + "/data")
        defer { store.close() }
        let result = try await store.bulkLoad(fileAtPath: file, format: .nTriples)
        #expect(result.quadsAdded == 2_000)
        #expect(try await store.read { try $0.quadCount() } == 2_000)
    }

    /// Everything a failed load could have touched.
    static func fingerprint(_ store: QuadStore) throws -> [String] {
        try store.read { snapshot throws in
            let connection = snapshot.connection
            var rows: [String] = []
            for sql in ["SELECT count(*) FROM term", "SELECT ifnull(max(id), 0) FROM term", "SELECT count(*) FROM dquad",
                        "SELECT count(*) FROM nquad", "SELECT count(*) FROM named_graph",
                        "SELECT count(*) FROM sqlite_schema WHERE type = 'index'",
                        "SELECT group_concat(p || ':' || triples || ':' || subjects || ':' || objects, ',') FROM predicate_stats"] {
                rows.append(try connection.scalarText(sql))
            }
            return rows
        }
    }

    /// The maintained statistics equal a recount, every index exists, and every pattern
    /// shape agrees on the data.
    static func expectConsistent(_ store: QuadStore) throws {
        try store.read { snapshot throws in
            let connection = snapshot.connection
            let indexes = try connection.scalarText(
                "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)")
            #expect(indexes == "dquad_osp,dquad_pos,nquad_gosp,nquad_gpos,nquad_ospg,nquad_posg,nquad_spog,term_hash")
            #expect(try connection.scalarText("PRAGMA integrity_check") == "ok")
            // Every term has one row.
            #expect(try connection.scalar("""
                SELECT count(*) FROM (SELECT 1 FROM term WHERE kind <> 2 GROUP BY kind, lex, dt, lang HAVING count(*) > 1)
                """) == 0)
            let maintained = try snapshot.predicateStatistics()
            let total = try snapshot.count(matching: EncodedQuadPattern())
            #expect(maintained.values.reduce(0) { $0 + $1.triples } == total)
            for (predicate, statistics) in maintained {
                #expect(try snapshot.count(matching: EncodedQuadPattern(predicate: predicate)) == statistics.triples)
            }
        }
    }
}
