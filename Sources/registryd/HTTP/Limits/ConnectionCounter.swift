import Synchronization

/// Counts the daemon's open connections against `--max-connections`. Shared by every
/// connection's ``ConnectionGuard``, so it is the one piece of state the event loops share.
final class ConnectionCounter: Sendable {
    /// The most connections served at once; later ones are answered 503 and closed.
    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection; false (and not counted) when the daemon is at its limit.
    func admit() -> Bool {
        while true {
            let current = open.load(ordering: .relaxed)
            guard current < limit else { return false }
            if open.compareExchange(expected: current, desired: current + 1, ordering: .relaxed).exchanged { return true }
        }
    }

    /// Forgets a connection that ``admit()`` counted.
    func release() {
        open.subtract(1, ordering: .relaxed)
    }

    /// The connections open now.
    var current: Int { open.load(ordering: .relaxed) }
}
