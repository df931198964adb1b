/// Keeps the `predicate_stats` table that join ordering reads.
///
/// Per-predicate quad counts are exact: every write adds its net change per predicate before it
/// commits. Distinct subject and object counts cost a scan of the predicate's quads, so they are
/// recounted only when the quad count has drifted: below 1,024 quads (cheap to count), or when
/// it has doubled or halved since the last recount (`counted`). Between recounts they lag; the
/// ratios (quads per subject, per object) are what drive join estimates, and they change slowly.
/// A bulk load computes them from its sorted quads instead (``merge(_:added:subjects:objects:on:)``).
///
/// SQLite's own `ANALYZE` statistics are separate: without STAT4 they hold per-index averages
/// only, and ANALYZE on a nearly empty store misleads the planner later (see the notes), so the
/// store runs it only after bulk loads.
enum StoreStatistics {
    /// Below this many quads a predicate is recounted at every change.
    static let smallPredicate = 1_024

    /// Applies net per-predicate changes and recounts the predicates that drifted.
    static func apply(_ delta: [TermID: Int], on connection: SQLiteConnection) throws {
        for (predicate, change) in delta where change != 0 {
            let upsert = """
                INSERT INTO predicate_stats(p, triples, subjects, objects, counted) VALUES (?1, ?2, 0, 0, 0)
                ON CONFLICT(p) DO UPDATE SET triples = triples + excluded.triples
                RETURNING triples, counted
                """
            let (triples, counted) = try connection.withStatement(upsert) { statement -> (Int64, Int64) in
                statement.bind(predicate, at: 1)
                statement.bind(Int64(change), at: 2)
                guard try statement.step() else { return (0, 0) }
                let row = (statement.int64(at: 0), statement.int64(at: 1))
                try statement.run()
                return row
            }
            if triples <= 0 {
                try connection.withStatement("DELETE FROM predicate_stats WHERE p = ?1") { statement in
                    statement.bind(predicate, at: 1)
                    try statement.run()
                }
            } else if triples < smallPredicate || triples > 2 * counted || 2 * triples < counted {
                try recount(predicate, on: connection)
            }
        }
    }

    /// Counts one predicate's quads, distinct subjects and distinct objects from the indexes.
    static func recount(_ predicate: TermID, on connection: SQLiteConnection) throws {
        let count = """
            SELECT count(*), count(DISTINCT s), count(DISTINCT o) FROM (
                SELECT s, o FROM dquad INDEXED BY dquad_pos WHERE p = ?1
                UNION ALL
                SELECT s, o FROM nquad INDEXED BY nquad_posg WHERE p = ?1)
            """
        let (triples, subjects, objects) = try connection.withStatement(count) { statement -> (Int64, Int64, Int64) in
            statement.bind(predicate, at: 1)
            guard try statement.step() else { return (0, 0, 0) }
            return (statement.int64(at: 0), statement.int64(at: 1), statement.int64(at: 2))
        }
        try store(predicate, triples: triples, subjects: subjects, objects: objects, on: connection)
    }

    /// Writes one predicate's row (or removes it when no quad uses the predicate).
    static func store(_ predicate: TermID, triples: Int64, subjects: Int64, objects: Int64,
                      on connection: SQLiteConnection) throws {
        if triples == 0 {
            try connection.withStatement("DELETE FROM predicate_stats WHERE p = ?1") { statement in
                statement.bind(predicate, at: 1)
                try statement.run()
            }
            return
        }
        let replace = "INSERT OR REPLACE INTO predicate_stats(p, triples, subjects, objects, counted) VALUES (?1, ?2, ?3, ?4, ?2)"
        try connection.withStatement(replace) { statement in
            statement.bind(predicate, at: 1)
            statement.bind(triples, at: 2)
            statement.bind(subjects, at: 3)
            statement.bind(objects, at: 4)
            try statement.run()
        }
    }

    /// Adds a bulk load's quads of one predicate. `subjects` and `objects` are the distinct
    /// counts within the load: exact when the store had no quads with this predicate, otherwise
    /// added to the stored counts as an upper bound (capped at the quad count).
    static func merge(_ predicate: TermID, added: Int, subjects: Int, objects: Int, on connection: SQLiteConnection) throws {
        let existing = try connection.withStatement("SELECT triples, subjects, objects FROM predicate_stats WHERE p = ?1") {
            statement -> (Int64, Int64, Int64)? in
            statement.bind(predicate, at: 1)
            guard try statement.step() else { return nil }
            return (statement.int64(at: 0), statement.int64(at: 1), statement.int64(at: 2))
        }
        let old = existing ?? (0, 0, 0)
        let triples = old.0 + Int64(added)
        try store(predicate, triples: triples, subjects: min(triples, old.1 + Int64(subjects)),
                  objects: min(triples, old.2 + Int64(objects)), on: connection)
    }

    /// Recounts every predicate from scratch.
    static func recountAll(on connection: SQLiteConnection) throws {
        try connection.execute("DELETE FROM predicate_stats")
        var predicates: [TermID] = []
        let sql = """
            SELECT p FROM dquad INDEXED BY dquad_pos GROUP BY p
            UNION SELECT p FROM nquad INDEXED BY nquad_posg GROUP BY p
            """
        try connection.withStatement(sql) { statement in
            while try statement.step() { predicates.append(statement.termID(at: 0)) }
        }
        for predicate in predicates { try recount(predicate, on: connection) }
    }

    /// Quads per predicate in a set of quads about to be deleted, as negative deltas.
    static func removals(_ sql: String, graph: TermID?, on connection: SQLiteConnection,
                         into delta: inout [TermID: Int]) throws -> Int {
        var total = 0
        try connection.withStatement(sql) { statement in
            if let graph { statement.bind(graph, at: 1) }
            while try statement.step() {
                let count = Int(statement.int64(at: 1))
                delta[statement.termID(at: 0), default: 0] -= count
                total += count
            }
        }
        return total
    }
}
