/// The SQL that answers each pattern shape, built once.
///
/// Parameters are always `?1` subject, `?2` predicate, `?3` object, `?4` graph. Each statement
/// names the one index whose prefix is the bound positions (`INDEXED BY`, or the table's own key,
/// which cannot be named) and orders by the remaining columns in that index's order, so the
/// order is documented and free. The notes saw a plain `SELECT` served from a covering secondary
/// index in an unexpected order; naming the index rules that out whatever the statistics say.
extension EncodedQuadPattern {
    /// One B-tree that serves a set of shapes: its name for INDEXED BY (nil for the table key)
    /// and its column order.
    private struct Access {
        let table: String
        let index: String?
        let columns: [String]
    }

    /// The statements for this pattern, in the order their rows are returned.
    var selectSQL: [String] {
        switch graph {
        case .defaultGraph: return [Self.sql.defaultGraph[boundMask]]
        case .named: return [Self.sql.named[boundMask]]
        case .anyNamed: return [Self.sql.anyNamed[boundMask]]
        case .all: return [Self.sql.defaultGraph[boundMask], Self.sql.anyNamed[boundMask]]
        }
    }

    /// The statements that count this pattern's quads; their results add up.
    var countSQL: [String] {
        switch graph {
        case .defaultGraph: return [Self.sql.countDefaultGraph[boundMask]]
        case .named: return [Self.sql.countNamed[boundMask]]
        case .anyNamed: return [Self.sql.countAnyNamed[boundMask]]
        case .all: return [Self.sql.countDefaultGraph[boundMask], Self.sql.countAnyNamed[boundMask]]
        }
    }

    /// The order rows come back in for this pattern (positions not bound, in index order),
    /// as column names among `s`, `p`, `o`, `g`. With ``EncodedGraphSelector/all``, the default
    /// graph's rows come first in this order, then the named graphs' rows in this order with `g`
    /// last.
    var resultOrder: [String] {
        let access = Self.access(for: graph, mask: boundMask)
        let bound = Self.boundColumns(mask: boundMask, graphBound: { if case .named = graph { return true } else { return false } }())
        return access.columns.filter { !bound.contains($0) }
    }

    /// Binds the pattern's terms to a statement from ``selectSQL`` or ``countSQL``.
    func bind(to statement: SQLiteStatement) {
        if let subject { statement.bind(subject, at: 1) }
        if let predicate { statement.bind(predicate, at: 2) }
        if let object { statement.bind(object, at: 3) }
        if case .named(let graph) = graph { statement.bind(graph, at: 4) }
    }

    private struct Table {
        let defaultGraph: [String]
        let named: [String]
        let anyNamed: [String]
        let countDefaultGraph: [String]
        let countNamed: [String]
        let countAnyNamed: [String]
    }

    private static let sql: Table = {
        func build(_ graph: EncodedGraphSelector, count: Bool) -> [String] {
            (0..<8).map { mask in statement(access(for: graph, mask: mask), mask: mask, graph: graph, count: count) }
        }
        return Table(
            defaultGraph: build(.defaultGraph, count: false), named: build(.named(.defaultGraph), count: false),
            anyNamed: build(.anyNamed, count: false), countDefaultGraph: build(.defaultGraph, count: true),
            countNamed: build(.named(.defaultGraph), count: true), countAnyNamed: build(.anyNamed, count: true))
    }()

    private static func boundColumns(mask: Int, graphBound: Bool) -> Set<String> {
        var bound: Set<String> = []
        if mask & 4 != 0 { bound.insert("s") }
        if mask & 2 != 0 { bound.insert("p") }
        if mask & 1 != 0 { bound.insert("o") }
        if graphBound { bound.insert("g") }
        return bound
    }

    private static func access(for graph: EncodedGraphSelector, mask: Int) -> Access {
        // Which of the three rotations serves the bound positions: spo for s, sp, spo and none;
        // pos for p, po; osp for o, so.
        let rotation: Int
        switch mask {
        case 2, 3: rotation = 1
        case 1, 5: rotation = 2
        default: rotation = 0
        }
        let orders = [["s", "p", "o"], ["p", "o", "s"], ["o", "s", "p"]]
        switch graph {
        case .defaultGraph, .all:
            return Access(table: "dquad", index: [nil, "dquad_pos", "dquad_osp"][rotation], columns: orders[rotation])
        case .named:
            return Access(table: "nquad", index: [nil, "nquad_gpos", "nquad_gosp"][rotation], columns: ["g"] + orders[rotation])
        case .anyNamed:
            // With nothing bound, (s,p,o,g) rather than the table's (g,s,p,o), so that `.all`
            // returns both families in the same order.
            return Access(table: "nquad", index: ["nquad_spog", "nquad_posg", "nquad_ospg"][rotation], columns: orders[rotation] + ["g"])
        }
    }

    private static func statement(_ access: Access, mask: Int, graph: EncodedGraphSelector, count: Bool) -> String {
        let graphBound: Bool
        if case .named = graph { graphBound = true } else { graphBound = false }
        let bound = boundColumns(mask: mask, graphBound: graphBound)
        let parameter = ["s": "?1", "p": "?2", "o": "?3", "g": "?4"]
        let conditions = access.columns.filter { bound.contains($0) }.map { "\($0) = \(parameter[$0] ?? "")" }
        var sql = count ? "SELECT count(*) FROM \(access.table)"
            : "SELECT s, p, o, \(access.table == "dquad" ? "0" : "g") FROM \(access.table)"
        if let index = access.index { sql += " INDEXED BY \(index)" }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        let rest = access.columns.filter { !bound.contains($0) }
        if !count && !rest.isEmpty { sql += " ORDER BY " + rest.joined(separator: ", ") }
        return sql
    }
}
