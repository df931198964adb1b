import Synchronization

/// Wakes tasks waiting for the registry's change index to pass a value: long-poll requests
/// and event streams (and, in cluster mode, the node's log follower).
public final class ChangeSignal: Sendable {
    private struct State {
        var index: Int64
        var nextWaiter: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state: Mutex<State>

    public init(index: Int64) {
        state = Mutex(State(index: index))
    }

    public var index: Int64 { state.withLock { $0.index } }

    /// Records a new index and wakes every waiter.
    public func publish(_ index: Int64) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.index = max(state.index, index)
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when the index is above `index`, when `timeout` passes, or when the task is
    /// cancelled, whichever comes first.
    public func wait(after index: Int64, timeout: Duration) async {
        if self.index > index { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitUntilPublished(after: index) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitUntilPublished(after index: Int64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.index > index || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
