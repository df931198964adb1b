/// The store's tables and indexes, and the connection settings, in one place.
///
/// ```
/// term(id INTEGER PRIMARY KEY, kind, lex, dt, lang, h, num)   one row per distinct term
///   index term_hash(h) WHERE h IS NOT NULL                    64-bit hash → candidates
/// dquad(s, p, o)     PRIMARY KEY (s,p,o) WITHOUT ROWID        the default graph
///   indexes (p,o,s), (o,s,p)
/// nquad(g, s, p, o)  PRIMARY KEY (g,s,p,o) WITHOUT ROWID      named graphs
///   indexes (g,p,o,s), (g,o,s,p), (s,p,o,g), (p,o,s,g), (o,s,p,g)
/// named_graph(id INTEGER PRIMARY KEY)                         graphs that exist, even empty
/// predicate_stats(p INTEGER PRIMARY KEY, triples, subjects, objects, counted)
/// view quad(g, s, p, o)                                        union of both, g = 0 for default
/// record(collection, key, value) UNIQUE (collection, key)   documents beside the quads
/// journal(seq INTEGER PRIMARY KEY, value)                      an append-only change log
/// ```
///
/// Why this shape (measurements in `shared/notes/rdf-engine.md`):
/// - `term` stays a rowid table: "WITHOUT ROWID … is the wrong choice for a single INTEGER
///   PRIMARY KEY" (sqlite.org/withoutrowid.html). Ids are dense, so the varint-encoded ids in
///   the quad keys take 1–3 bytes each; random 63-bit ids made the triple B-trees 2.2× larger.
/// - The quad tables are WITHOUT ROWID with the whole quad as key, and a secondary index of such
///   a table carries the key columns, so every index is covering: each pattern shape is one
///   range scan of one B-tree and never touches another.
/// - The default graph has its own 3-column table, as Oxigraph keeps `dspo/dpos/dosp` apart from
///   its `spog…gosp` families: default-graph keys stay short and need 3 orderings, not 6. Named
///   graphs need all 6 so that each of the 16 bound/free combinations of (s, p, o, g) is a
///   prefix of one of them, and clearing a graph is one range of the table's own key.
/// - `num` has no declared type (BLOB affinity), so integers stay exact 64-bit INTEGERs and
///   decimals/doubles are REALs, and SQLite compares the two numerically.
enum StoreSchema {
    /// `PRAGMA user_version` of the current layout. Bump it with a migration when it changes.
    static let version: Int64 = 1
    /// `PRAGMA application_id`, so that a registryd store can be told from any other SQLite
    /// file ("RGDQ").
    static let applicationID: Int64 = 0x5247_4451

    static let create = """
        CREATE TABLE term(
            id INTEGER PRIMARY KEY,
            kind INTEGER NOT NULL,
            lex TEXT,
            dt INTEGER,
            lang TEXT,
            h INTEGER,
            num
        );
        CREATE TABLE dquad(s INTEGER NOT NULL, p INTEGER NOT NULL, o INTEGER NOT NULL,
                           PRIMARY KEY (s, p, o)) WITHOUT ROWID;
        CREATE TABLE nquad(g INTEGER NOT NULL, s INTEGER NOT NULL, p INTEGER NOT NULL, o INTEGER NOT NULL,
                           PRIMARY KEY (g, s, p, o)) WITHOUT ROWID;
        CREATE TABLE named_graph(id INTEGER PRIMARY KEY);
        CREATE TABLE predicate_stats(p INTEGER PRIMARY KEY, triples INTEGER NOT NULL,
                                     subjects INTEGER NOT NULL, objects INTEGER NOT NULL,
                                     counted INTEGER NOT NULL);
        CREATE VIEW quad(g, s, p, o) AS
            SELECT 0, s, p, o FROM dquad UNION ALL SELECT g, s, p, o FROM nquad;
        """ + termIndexes + defaultGraphIndexes + namedGraphIndexes

    /// Tables for what a client keeps beside its quads, written in the same transactions (the
    /// registry's services, tokens and change log). Created when missing, so stores made before
    /// they existed gain them on open.
    ///
    /// `record` is a rowid table with a unique key index, not WITHOUT ROWID: a registration's
    /// record is about 2 KB, and a WITHOUT ROWID B-tree keeps at most about 1 KB of a row in its
    /// leaf, so each record spilled into an overflow page. Inserting 2 KB records in groups of
    /// ten went from 23,000 to 34,000 a second with the rowid table (the same libsqlite3, from
    /// Python). Stores made with the earlier layout are moved over on open (``migrateRecords``).
    static let recordTables = """
        CREATE TABLE IF NOT EXISTS record(\(recordColumns));
        CREATE TABLE IF NOT EXISTS journal(seq INTEGER PRIMARY KEY, value BLOB NOT NULL);
        """
    private static let recordColumns = "collection TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, UNIQUE (collection, key)"

    /// Moves a WITHOUT ROWID `record` table of an earlier store into the rowid layout, inside
    /// the caller's transaction: all of it or nothing.
    static func migrateRecords(_ connection: SQLiteConnection) throws {
        let definition = try connection.scalarText("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'record'")
        guard definition.uppercased().contains("WITHOUT ROWID") else { return }
        try connection.execute("""
            CREATE TABLE record_rowid(\(recordColumns));
            INSERT INTO record_rowid(collection, key, value) SELECT collection, key, value FROM record ORDER BY collection, key;
            DROP TABLE record;
            ALTER TABLE record_rowid RENAME TO record;
            """)
    }

    static let termIndexes = """
        CREATE INDEX IF NOT EXISTS term_hash ON term(h) WHERE h IS NOT NULL;
        """
    static let dropTermIndexes = "DROP INDEX IF EXISTS term_hash;"

    static let defaultGraphIndexes = """
        CREATE INDEX IF NOT EXISTS dquad_pos ON dquad(p, o, s);
        CREATE INDEX IF NOT EXISTS dquad_osp ON dquad(o, s, p);
        """
    static let dropDefaultGraphIndexes = "DROP INDEX IF EXISTS dquad_pos; DROP INDEX IF EXISTS dquad_osp;"

    static let namedGraphIndexes = """
        CREATE INDEX IF NOT EXISTS nquad_gpos ON nquad(g, p, o, s);
        CREATE INDEX IF NOT EXISTS nquad_gosp ON nquad(g, o, s, p);
        CREATE INDEX IF NOT EXISTS nquad_spog ON nquad(s, p, o, g);
        CREATE INDEX IF NOT EXISTS nquad_posg ON nquad(p, o, s, g);
        CREATE INDEX IF NOT EXISTS nquad_ospg ON nquad(o, s, p, g);
        """
    static let dropNamedGraphIndexes = """
        DROP INDEX IF EXISTS nquad_gpos; DROP INDEX IF EXISTS nquad_gosp; DROP INDEX IF EXISTS nquad_spog;
        DROP INDEX IF EXISTS nquad_posg; DROP INDEX IF EXISTS nquad_ospg;
        """

    /// Creates the schema in an empty database, or checks that an existing one is ours.
    static func prepare(_ connection: SQLiteConnection) throws {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            let version = try connection.scalar("PRAGMA user_version")
            let application = try connection.scalar("PRAGMA application_id")
            let tables = try connection.scalar("SELECT count(*) FROM sqlite_schema")
            if version == 0 && application == 0 && tables == 0 {
                try connection.execute(create)
                try connection.execute("PRAGMA user_version = \(version + Self.version); PRAGMA application_id = \(applicationID)")
            } else if application != applicationID {
                throw OntologyError(.storeSchema, "`\(connection.path)` is not a registryd store")
            } else if version != Self.version {
                throw OntologyError(.storeSchema,
                                    "`\(connection.path)` has store format \(version); this registryd reads format \(Self.version)")
            } else {
                // A bulk load that was killed after dropping indexes cannot have committed (it
                // drops them inside its transaction), but recreating them is cheap insurance.
                try connection.execute(termIndexes + defaultGraphIndexes + namedGraphIndexes)
            }
            try migrateRecords(connection)
            try connection.execute(recordTables)
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
