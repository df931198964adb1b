import Synchronization

/// The in-memory cache of hot terms, shared by the writer and every reader of one store.
///
/// Both directions are cached: term → id for encoding query constants and inserted quads, id →
/// term for decoding results. Only the writer adds term → id entries, and only for committed
/// rows (it publishes a transaction's terms after COMMIT, see ``QuadStore/Transaction``), so the
/// writer never encodes a quad with the id of a rolled-back or deleted row. Ids are never reused
/// while the store is open, so any connection may add id → term entries, and no entry is wrong
/// for any snapshot: a snapshot older than a term simply has no quads that use it.
///
/// The cache is bounded: when a map reaches its capacity it is emptied and refilled by use,
/// which keeps hot terms (predicates, classes, datatypes) in it at almost no bookkeeping cost.
final class TermCache: Sendable {
    private struct State {
        var idByTerm: [Term: TermID] = [:]
        var termByID: [TermID: Term] = [:]
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
    }

    func id(for term: Term) -> TermID? {
        state.withLock { $0.idByTerm[term] }
    }

    func term(for id: TermID) -> Term? {
        state.withLock { $0.termByID[id] }
    }

    /// Records that `term` has id `id` in committed data.
    func insert(_ term: Term, id: TermID) {
        state.withLock { state in
            if state.idByTerm.count >= capacity { state.idByTerm.removeAll(keepingCapacity: true) }
            if state.termByID.count >= capacity { state.termByID.removeAll(keepingCapacity: true) }
            state.idByTerm[term] = id
            state.termByID[id] = term
        }
    }

    /// Records a decoded term only (decoding must not evict the encoding side).
    func insertDecoded(_ term: Term, id: TermID) {
        state.withLock { state in
            if state.termByID.count >= capacity { state.termByID.removeAll(keepingCapacity: true) }
            state.termByID[id] = term
        }
    }

    /// Records many committed terms at once (after a write transaction).
    func insert<S: Sequence>(contentsOf entries: S) where S.Element == (Term, TermID) {
        state.withLock { state in
            for (term, id) in entries {
                if state.idByTerm.count >= capacity { state.idByTerm.removeAll(keepingCapacity: true) }
                if state.termByID.count >= capacity { state.termByID.removeAll(keepingCapacity: true) }
                state.idByTerm[term] = id
                state.termByID[id] = term
            }
        }
    }

    /// Forgets everything, after terms were deleted from the table.
    func removeAll() {
        state.withLock { $0 = State() }
    }
}
