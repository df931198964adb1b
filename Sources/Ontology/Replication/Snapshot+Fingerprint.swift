extension QuadStore.Snapshot {
    /// The store's whole state as canonical text (every term, quad, named graph, record and
    /// journal row, each table in primary-key order), to compare replicas: two cluster nodes
    /// that applied the same log give the same bytes, term ids included. Memory graphs are not
    /// in it; they are built from the records, which are.
    /// The text starts with the log position it reflects (`#position N`) on a replica.
    public func fingerprintText() throws -> [UInt8] {
        try checkActive()
        var text: [UInt8] = []
        // The position in the same snapshot: read apart, it could be one commit ahead of the data.
        if try connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'replica_position'") > 0 {
            text.append(contentsOf: "#position \(try connection.scalar("SELECT position FROM replica_position WHERE id = 0"))\n".utf8)
        }
        let tables = [
            ("term", "SELECT id, kind, ifnull(lex, ''), ifnull(dt, 0), ifnull(lang, '') FROM term ORDER BY id", 5),
            ("dquad", "SELECT s, p, o FROM dquad ORDER BY s, p, o", 3),
            ("nquad", "SELECT g, s, p, o FROM nquad ORDER BY g, s, p, o", 4),
            ("named_graph", "SELECT id FROM named_graph ORDER BY id", 1),
            ("record", "SELECT collection, key, value FROM record ORDER BY collection, key", 3),
            ("journal", "SELECT seq, value FROM journal ORDER BY seq", 2),
        ]
        for (name, sql, columns) in tables {
            text.append(contentsOf: "#\(name)\n".utf8)
            try connection.withStatement(sql) { statement in
                while try statement.step() {
                    for column in 0..<Int32(columns) {
                        if column > 0 { text.append(0x09) }
                        text.append(contentsOf: statement.string(at: column).utf8)
                    }
                    text.append(0x0A)
                }
            }
        }
        return text
    }
}
