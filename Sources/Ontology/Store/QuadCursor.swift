/// Streams the quads that match a ``EncodedQuadPattern``, straight from an index range.
///
/// A cursor reads the snapshot it was made from and is valid only inside that snapshot's
/// `read`/`write` closure; after it, ``next()`` throws `store.misuse`. Rows come in the order of
/// the index that serves the pattern (the free positions in index order, for the default graph
/// first when the pattern reads ``EncodedGraphSelector/all``).
///
/// ```swift
/// let cursor = try snapshot.cursor(matching: EncodedQuadPattern(predicate: level))
/// while let quad = try cursor.next() { ... }
/// ```
public final class QuadCursor {
    private let snapshot: QuadStore.Snapshot
    private let pattern: EncodedQuadPattern
    private var pending: [String]
    private var statement: SQLiteStatement?

    init(snapshot: QuadStore.Snapshot, pattern: EncodedQuadPattern) {
        self.snapshot = snapshot
        self.pattern = pattern
        self.pending = pattern.selectSQL.reversed()
    }

    deinit {
        if let statement { snapshot.connection.checkIn(statement) }
    }

    /// The next matching quad, or nil at the end.
    public func next() throws -> EncodedQuad? {
        try snapshot.checkActive()
        while true {
            if let statement {
                if try statement.step() {
                    return EncodedQuad(statement.termID(at: 0), statement.termID(at: 1), statement.termID(at: 2),
                                       graph: statement.termID(at: 3))
                }
                snapshot.connection.checkIn(statement)
                self.statement = nil
            }
            guard let sql = pending.popLast() else { return nil }
            let next = try snapshot.connection.checkOut(sql)
            pattern.bind(to: next)
            statement = next
        }
    }

    /// Stops early and gives the statement back; further calls to ``next()`` return nil.
    public func close() {
        pending.removeAll()
        if let statement { snapshot.connection.checkIn(statement) }
        statement = nil
    }
}
