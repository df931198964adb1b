import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Ontology

struct QuadStoreTests {
    static let ex = "http://example.org/"

    @Test func roundTripsEveryTermKind() throws {
        try withTemporaryStore { store throws in
            let s = Term.iri(Self.ex + "s")
            let p = IRI(Self.ex + "p")
            let objects: [Term] = [
                .iri(Self.ex + "o"),
                .iri("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"),
                .literal(Literal("plain")),
                .literal(Literal("")),
                .literal(Literal("Grüße, 世界 \u{1F600}\n\"quoted\"")),
                .literal(Literal("chat", language: "FR")),
                .literal(Literal("colour", language: "en-GB")),
                .literal(Literal("01", datatype: XSD.integer)),
                .literal(Literal("1", datatype: XSD.integer)),
                .literal(Literal("+1", datatype: XSD.integer)),
                .literal(Literal("1.50", datatype: XSD.decimal)),
                .literal(Literal("1.0E2", datatype: XSD.double)),
                .literal(Literal("true", datatype: XSD.boolean)),
                .literal(Literal("2026-11-23T08:00:00Z", datatype: XSD.dateTime)),
                .literal(Literal("x", datatype: IRI(Self.ex + "custom"))),
                .literal(Literal("not a number", datatype: XSD.integer)),
            ]
            let quads = objects.map { Quad(s, p, $0) }
            #expect(try store.insert(quads) == objects.count)
            let back = try store.read { try $0.quads(subject: s) }
            #expect(Set(back) == Set(quads))
            try store.read { snapshot throws in
                for object in objects {
                    let id = try #require(try snapshot.id(for: object))
                    #expect(try snapshot.term(for: id) == object)
                }
                #expect(try snapshot.id(for: .literal(Literal("02", datatype: XSD.integer))) == nil)
                // A plain literal is an xsd:string literal.
                #expect(try snapshot.id(for: .literal(Literal("plain", datatype: XSD.string))) != nil)
            }
            // The numeric value column, for FILTER and ORDER BY.
            let numbers = try store.read { snapshot throws in
                try snapshot.connection.withStatement("SELECT lex, num FROM term WHERE num IS NOT NULL ORDER BY num, lex") { statement in
                    var rows: [String] = []
                    while try statement.step() { rows.append("\(statement.string(at: 0))=\(statement.double(at: 1))") }
                    return rows
                }
            }
            #expect(numbers == ["+1=1.0", "01=1.0", "1=1.0", "1.50=1.5", "1.0E2=100.0"])
        }
    }

    @Test func blankNodesAreFreshPerImportAndStableWithinOne() throws {
        try withTemporaryStore { store throws in
            let p = IRI(Self.ex + "p")
            let a = Term.blankNode(BlankNode("a"))
            let document = [Quad(a, p, .iri(Self.ex + "x")), Quad(.iri(Self.ex + "y"), p, a)]
            try store.insert(document)
            try store.insert(document)
            let quads = try store.read { try $0.quads(predicate: p) }
            #expect(quads.count == 4)
            let nodes = Set(quads.flatMap { [$0.subject, $0.object] }.compactMap(\.blankNode))
            #expect(nodes.count == 2)
            // Written back with .store scope, a stored label names the same node.
            let node = try #require(nodes.first)
            #expect(try store.insert([Quad(.blankNode(node), p, .iri(Self.ex + "z"))], blankNodes: .store) == 1)
            #expect(try store.read { try $0.quads(subject: .blankNode(node)) }.count == 2)
            // An unknown label with .store scope is an error, and nothing is written.
            #expect(throws: OntologyError.self) {
                try store.insert([Quad(.blankNode(BlankNode("nope")), p, .iri(Self.ex + "z"))], blankNodes: .store)
            }
            #expect(try store.delete([Quad(.blankNode(node), p, .iri(Self.ex + "z"))]) == 1)
        }
    }

    @Test func deletesAndKeepsPredicateCounts() throws {
        try withTemporaryStore { store throws in
            let p = IRI(Self.ex + "p")
            let q = IRI(Self.ex + "q")
            let quads = (0..<10).map { Quad(.iri(Self.ex + "s\($0)"), $0 < 7 ? p : q, .iri(Self.ex + "o\($0 % 3)")) }
            try store.insert(quads + quads)
            try store.insert(quads.prefix(2).map { Quad($0.triple, graph: .iri(Self.ex + "g")) })
            try store.read { snapshot throws in
                let pID = try #require(try snapshot.id(for: .iri(p.value)))
                let qID = try #require(try snapshot.id(for: .iri(q.value)))
                #expect(try snapshot.statistics(for: pID) == PredicateStatistics(triples: 9, distinctSubjects: 7, distinctObjects: 3))
                #expect(try snapshot.statistics(for: qID) == PredicateStatistics(triples: 3, distinctSubjects: 3, distinctObjects: 3))
                #expect(try snapshot.quadCount() == 12)
                #expect(try snapshot.count(matching: EncodedQuadPattern(predicate: pID)) == 9)
                #expect(try snapshot.count(matching: EncodedQuadPattern(predicate: pID, graph: .defaultGraph)) == 7)
            }
            #expect(try store.delete(quads.prefix(8)) == 8)
            #expect(try store.delete(quads.prefix(8)) == 0)
            try store.read { snapshot throws in
                let pID = try #require(try snapshot.id(for: .iri(p.value)))
                let qID = try #require(try snapshot.id(for: .iri(q.value)))
                #expect(try snapshot.statistics(for: pID)?.triples == 2)
                #expect(try snapshot.statistics(for: qID)?.triples == 2)
                #expect(try snapshot.quadCount() == 4)
            }
            #expect(try store.clear(graph: .all) == 4)
            #expect(try store.read { try $0.predicateStatistics() }.isEmpty)
        }
    }

    @Test func removesUnusedTerms() throws {
        try withTemporaryStore { store throws in
            let p = IRI(Self.ex + "p")
            let kept = Quad(.iri(Self.ex + "s"), p, .literal(Literal("1", datatype: XSD.integer)))
            let dropped = Quad(.iri(Self.ex + "gone"), p, .literal(Literal("x", datatype: IRI(Self.ex + "type"))))
            try store.insert([kept, dropped])
            try store.delete([dropped])
            // gone, "x"^^ex:type and ex:type; xsd:integer stays as the datatype of "1".
            #expect(try store.write { try $0.removeUnusedTerms() } == 3)
            #expect(try store.read { try $0.id(for: .iri(Self.ex + "type")) } == nil)
            #expect(try store.read { try $0.quads() } == [kept])
            #expect(try store.write { try $0.removeUnusedTerms() } == 0)
            // Terms come back with new ids.
            try store.insert([dropped])
            #expect(Set(try store.read { try $0.quads() }) == [kept, dropped])
        }
    }

    @Test func reopensAfterClosing() throws {
        let directory = try TemporaryDirectory()
        let quad = Quad(.iri(Self.ex + "s"), IRI(Self.ex + "p"), .literal(Literal("01", datatype: XSD.integer)),
                        graph: .iri(Self.ex + "g"))
        do {
            let store = try QuadStore(directory: directory.path)
            try store.insert([quad])
            store.close()
            #expect(throws: OntologyError.self) { try store.read { _ in 0 } }
        }
        let store = try QuadStore(directory: directory.path)
        #expect(try store.read { try $0.quads() } == [quad])
        // Closing frees the directory at once, even while the old object is still referenced.
        store.close()
        let reopened = try QuadStore(directory: directory.path)
        #expect(try reopened.read { try $0.quadCount() } == 1)
        reopened.close()
        #expect(throws: OntologyError.self) { try store.insert([quad]) }
        let last = try QuadStore(directory: directory.path)
        #expect(try last.namedGraphs() == [.iri(Self.ex + "g")])
        // New terms after reopening get new ids.
        try last.insert([Quad(.iri(Self.ex + "s2"), IRI(Self.ex + "p"), .iri(Self.ex + "o2"))])
        #expect(try last.read { try $0.quadCount() } == 2)
    }

    @Test func secondOpenOfTheSameDirectoryIsRefused() throws {
        try withTemporaryStore { store throws in
            do {
                _ = try QuadStore(directory: store.directory)
                Issue.record("a second store opened the same directory")
            } catch let error as OntologyError {
                #expect(error.code == .storeLocked)
            }
        }
    }

    @Test func refusesAFileThatIsNotAStore() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/store.sqlite"
        writeFile(path, Array("not a database, just text that is long enough to have a header......".utf8))
        #expect(throws: OntologyError.self) { _ = try QuadStore(directory: directory.path) }
    }

    @Test func rejectsLiteralGraphNames() throws {
        try withTemporaryStore { store throws in
            let quad = Quad(.iri(Self.ex + "s"), IRI(Self.ex + "p"), .iri(Self.ex + "o"), graph: .literal(Literal("g")))
            #expect(throws: OntologyError.self) { try store.insert([quad]) }
            let count = try store.read { try $0.quadCount() }
            #expect(count == 0)
        }
    }

    @Test func nestedWriteIsRefused() throws {
        try withTemporaryStore { store throws in
            let nested: Int? = try store.write { _ in
                #expect(throws: OntologyError.self) { try store.write { _ in 1 } }
                return nil
            }
            #expect(nested == nil)
        }
    }

    @Test func snapshotCannotEscape() throws {
        try withTemporaryStore { store throws in
            try store.insert([Quad(.iri(Self.ex + "s"), IRI(Self.ex + "p"), .iri(Self.ex + "o"))])
            let escaped = try store.read { $0 }
            #expect(throws: OntologyError.self) { _ = try escaped.quadCount() }
            let cursor = try store.read { snapshot throws in try snapshot.cursor(matching: EncodedQuadPattern()) }
            #expect(throws: OntologyError.self) { _ = try cursor.next() }
        }
    }
}

// MARK: Helpers shared by the QuadStore test files

/// A fresh directory under /tmp, removed with its contents when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/registryd-store-test-XXXXXX".utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw OntologyError(.io, "mkdtemp failed")
        }
        path = String(cString: result)
    }

    deinit {
        removeTree(path)
    }

    private func removeTree(_ path: String) {
        guard let directory = opendir(path) else { return }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let child = path + "/" + name
            if unlink(child) != 0 { removeTree(child) }
        }
        closedir(directory)
        rmdir(path)
    }

    /// Writes a file in the directory and returns its path.
    func write(_ name: String, _ contents: String) -> String {
        let file = path + "/" + name
        writeFile(file, Array(contents.utf8))
        return file
    }
}

/// Writes bytes to a new file.
func writeFile(_ path: String, _ bytes: [UInt8]) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    defer { close(fd) }
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count, let base = buffer.baseAddress {
            let written = write(fd, base + offset, buffer.count - offset)
            if written <= 0 { break }
            offset += written
        }
    }
}

/// Records written by a store of the earlier layout (a WITHOUT ROWID `record` table) are all
/// there after the store is opened by this version, in the rowid layout.
@Test func recordsOfTheEarlierLayoutAreMovedOnOpen() throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/data"
    var store = try QuadStore(directory: path)
    try store.write { transaction in
        for index in 0..<50 { try transaction.putRecord(String(repeating: "v\(index) ", count: 300), in: "services", key: "k\(index)") }
        try transaction.putRecord("t", in: "tokens", key: "k0")
    }
    store.close()
    do {
        // Back to the earlier layout, as a store made by the previous version has it.
        let connection = try SQLiteConnection(path: path + "/store.sqlite", readOnly: false)
        try connection.execute("""
            BEGIN;
            CREATE TABLE old_record(collection TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,
                                    PRIMARY KEY (collection, key)) WITHOUT ROWID;
            INSERT INTO old_record SELECT collection, key, value FROM record;
            DROP TABLE record;
            ALTER TABLE old_record RENAME TO record;
            COMMIT;
            """)
        #expect(try connection.scalarText("SELECT sql FROM sqlite_schema WHERE name = 'record'").contains("WITHOUT ROWID"))
        connection.close()
    }
    store = try QuadStore(directory: path)
    defer { store.close() }
    try store.read { snapshot throws in
        let records = try snapshot.records(in: "services")
        #expect(records.count == 50)
        #expect(try snapshot.record(in: "services", key: "k7") == String(repeating: "v7 ", count: 300))
        #expect(try snapshot.record(in: "tokens", key: "k0") == "t")
    }
    try store.write { try $0.putRecord("replaced", in: "services", key: "k7") }
    #expect(try store.read { try $0.record(in: "services", key: "k7") } == "replaced")
    #expect(try store.read { try $0.records(in: "services").count } == 50)
    let definition = try store.read { snapshot in try snapshot.connection.scalarText("SELECT sql FROM sqlite_schema WHERE name = 'record'") }
    #expect(!definition.contains("WITHOUT ROWID") && definition.contains("UNIQUE"))
}

/// The WAL is still copied into the database file once it passes 1000 pages, with no
/// checkpoint asked for: the writer's WAL hook replaces SQLite's automatic checkpoint, so the
/// background one (``Checkpointer``) is the only one.
@Test func walIsCheckpointedWithoutBeingAsked() throws {
    let directory = try TemporaryDirectory()
    let store = try QuadStore(directory: directory.path + "/data")
    defer { store.close() }
    func size(_ suffix: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: store.databasePath + suffix))?[.size] as? NSNumber)?.intValue ?? 0
    }
    let before = size("")
    // About 6 MB in 30 commits: past the 1000-page threshold (4 MB of 4 KiB pages).
    let value = String(repeating: "x", count: 200_000)
    for index in 0..<30 {
        try store.write { try $0.putRecord(value, in: "bulk", key: "k\(index)") }
    }
    let deadline = Date().addingTimeInterval(10)
    while size("") < before + 2_000_000 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    #expect(size("") >= before + 2_000_000, "the database file did not grow: the WAL was not checkpointed")
    #expect(try store.read { try $0.records(in: "bulk").count } == 30)
}

/// Runs `body` with a store in a fresh temporary directory.
func withTemporaryStore<T>(_ body: (QuadStore) throws -> T) throws -> T {
    let directory = try TemporaryDirectory()
    let store = try QuadStore(directory: directory.path + "/data")
    defer { store.close() }
    return try body(store)
}
