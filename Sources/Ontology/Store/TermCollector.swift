/// Deletes terms that nothing uses any more.
///
/// Blank nodes are collected as part of every commit that removed quads: each import and each
/// replace of a registration makes fresh blank nodes, so without this the `term` table would
/// grow with every re-registration. Only blank nodes are collected automatically, because they
/// are never in the term → id side of the ``TermCache``; deleting an IRI or literal row also
/// requires emptying that cache (``QuadStore/Transaction/removeUnusedTerms()``).
enum TermCollector {
    /// Whether any quad or named graph uses the term: one probe of each index that has the
    /// term's position first (predicates and datatypes are never blank nodes).
    static let isUsedAsNode = """
        SELECT EXISTS(SELECT 1 FROM dquad WHERE s = ?1)
            OR EXISTS(SELECT 1 FROM dquad INDEXED BY dquad_osp WHERE o = ?1)
            OR EXISTS(SELECT 1 FROM nquad INDEXED BY nquad_spog WHERE s = ?1)
            OR EXISTS(SELECT 1 FROM nquad INDEXED BY nquad_ospg WHERE o = ?1)
            OR EXISTS(SELECT 1 FROM nquad WHERE g = ?1)
            OR EXISTS(SELECT 1 FROM named_graph WHERE id = ?1)
        """

    /// Deletes those of `candidates` that are blank nodes no quad or graph uses.
    static func removeOrphanedBlankNodes(_ candidates: Set<TermID>, on connection: SQLiteConnection) throws {
        for id in candidates {
            let kind = try connection.scalar("SELECT kind FROM term WHERE id = ?1", id.rawValue)
            guard kind == StoredTermKind.blankNode.rawValue else { continue }
            guard try connection.scalar(isUsedAsNode, id.rawValue) == 0 else { continue }
            try connection.withStatement("DELETE FROM term WHERE id = ?1") { statement in
                statement.bind(id, at: 1)
                try statement.run()
            }
        }
    }

    /// Adds the blank-node subjects and objects of a named graph to `candidates`.
    static func collectBlankNodes(inGraph graph: TermID, on connection: SQLiteConnection,
                                  into candidates: inout Set<TermID>) throws {
        let sql = """
            SELECT id FROM term WHERE kind = \(StoredTermKind.blankNode.rawValue) AND id IN (
                SELECT s FROM nquad WHERE g = ?1 UNION SELECT o FROM nquad INDEXED BY nquad_gosp WHERE g = ?1)
            """
        try connection.withStatement(sql) { statement in
            statement.bind(graph, at: 1)
            while try statement.step() { candidates.insert(statement.termID(at: 0)) }
        }
    }

    /// Deletes every term that no quad, named graph or typed literal uses.
    static func removeUnusedTerms(on connection: SQLiteConnection) throws -> Int {
        let unused = """
            NOT (EXISTS(SELECT 1 FROM dquad WHERE s = term.id)
                OR EXISTS(SELECT 1 FROM dquad INDEXED BY dquad_pos WHERE p = term.id)
                OR EXISTS(SELECT 1 FROM dquad INDEXED BY dquad_osp WHERE o = term.id)
                OR EXISTS(SELECT 1 FROM nquad INDEXED BY nquad_spog WHERE s = term.id)
                OR EXISTS(SELECT 1 FROM nquad INDEXED BY nquad_posg WHERE p = term.id)
                OR EXISTS(SELECT 1 FROM nquad INDEXED BY nquad_ospg WHERE o = term.id)
                OR EXISTS(SELECT 1 FROM nquad WHERE g = term.id)
                OR EXISTS(SELECT 1 FROM named_graph WHERE id = term.id))
            """
        // Literals and blank nodes first; then IRIs, sparing the datatypes of the literals that
        // remain (the uncorrelated IN list is computed once).
        try connection.execute("DELETE FROM term WHERE kind <> \(StoredTermKind.iri.rawValue) AND \(unused)")
        var removed = connection.changes
        try connection.execute("""
            DELETE FROM term WHERE kind = \(StoredTermKind.iri.rawValue) AND \(unused)
                AND id NOT IN (SELECT dt FROM term WHERE dt IS NOT NULL)
            """)
        removed += connection.changes
        return removed
    }
}
