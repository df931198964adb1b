/// A join of several quad patterns run as one SQL statement, so that a basic graph pattern is
/// matched on term ids inside SQLite and only its answers are decoded.
///
/// Matching pattern by pattern from Swift probes an index and decodes every matching quad per
/// step; one statement lets SQLite walk the indexes with ids alone (notes/rdf-engine.md measured
/// 16.8 ms for a three-pattern join that took 326 ms the other way).
public enum JoinTerm: Hashable, Sendable {
    /// A term id (the term must be in the store; a term that is not cannot match).
    case constant(TermID)
    /// A variable, numbered from 0.
    case variable(Int)
}

/// One pattern of a join.
public struct JoinPattern: Hashable, Sendable {
    public var subject: JoinTerm
    public var predicate: JoinTerm
    public var object: JoinTerm

    public init(_ subject: JoinTerm, _ predicate: JoinTerm, _ object: JoinTerm) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
    }
}

/// Which quads a join matches.
public enum JoinScope: Hashable, Sendable {
    /// Every graph: the store's default graph and all named graphs (a query's default graph).
    case union
    /// One named graph.
    case named(TermID)
}

extension QuadStore.Snapshot {
    /// The values of `variables` for every way the patterns match together, in the order
    /// given (SQLite is told to keep it: the caller plans the join), or nil when the store
    /// cannot run this join as one statement (then match pattern by pattern).
    ///
    /// The union scope runs as one statement only while one of the two quad tables is empty
    /// (the registry keeps everything in named graphs; a bulk import without `--graph` fills
    /// the default graph); joining across both would need a view SQLite materialises per alias.
    public func join(_ patterns: [JoinPattern], variables: [Int], in scope: JoinScope) throws -> [[TermID]]? {
        try checkActive()
        guard !patterns.isEmpty else { return nil }
        let table: String
        var graphConstraint: TermID?
        switch scope {
        case .union:
            let hasDefault = try connection.scalar("SELECT EXISTS (SELECT 1 FROM dquad)") != 0
            let hasNamed = try connection.scalar("SELECT EXISTS (SELECT 1 FROM nquad)") != 0
            switch (hasDefault, hasNamed) {
            case (true, true): return nil
            case (false, true): table = "nquad"
            default: table = "dquad"
            }
        case .named(let graph):
            table = "nquad"
            graphConstraint = graph
        }
        var firstColumn: [Int: String] = [:]
        var conditions: [String] = []
        var bindings: [TermID] = []
        for (index, pattern) in patterns.enumerated() {
            for (position, column) in [(pattern.subject, "s"), (pattern.predicate, "p"), (pattern.object, "o")] {
                let name = "t\(index).\(column)"
                switch position {
                case .constant(let id):
                    conditions.append("\(name) = ?")
                    bindings.append(id)
                case .variable(let variable):
                    if let first = firstColumn[variable] {
                        conditions.append("\(name) = \(first)")
                    } else {
                        firstColumn[variable] = name
                    }
                }
            }
            if let graphConstraint {
                conditions.append("t\(index).g = ?")
                bindings.append(graphConstraint)
            }
        }
        var columns: [String] = []
        for variable in variables {
            guard let column = firstColumn[variable] else { return nil }
            columns.append(column)
        }
        // CROSS JOIN keeps the caller's order: SQLite's planner has no statistics for ids.
        let from = patterns.indices.map { "\(table) AS t\($0)" }.joined(separator: " CROSS JOIN ")
        // Over the named graphs' union, a triple several graphs state is one triple of the
        // union (a set); every variable is a column, so DISTINCT keeps each solution once.
        let distinct = scope == .union && table == "nquad" ? "DISTINCT " : ""
        let sql = "SELECT " + distinct + (columns.isEmpty ? "1" : columns.joined(separator: ", ")) + " FROM " + from
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
        return try connection.withStatement(sql) { statement in
            for (index, id) in bindings.enumerated() { statement.bind(id, at: Int32(index + 1)) }
            var rows: [[TermID]] = []
            while try statement.step() {
                rows.append((0..<columns.count).map { statement.termID(at: Int32($0)) })
            }
            return rows
        }
    }
}
