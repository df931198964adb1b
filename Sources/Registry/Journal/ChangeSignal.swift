import Synchronization

/// Wakes tasks waiting for the registry's change index to pass a value: long-poll requests
/// and event streams (and, in cluster mode, the node's log follower).
///
/// A waiter may give a ``WatchFilter``: it then wakes only when a published event matches. The
/// filtered waiters are indexed by the registration id, the name and the event kind they watch,
/// so that a change wakes (and costs) only the watchers of what changed, not every open watch.
public final class ChangeSignal: Sendable {
    private struct Waiter {
        var continuation: CheckedContinuation<Void, Never>
        var filter: WatchFilter?
        /// Where the waiter is filed: the indexes it is found through when an event is published.
        var keys: [Key]
    }

    /// An index of waiters: by their filter's most selective criterion (and its `alwaysKinds`).
    private enum Key: Hashable {
        case all
        case id(String)
        case prefix(String)
        /// A name resolved, filed under the name and each of its ancestors.
        case resolving(String)
        case kind(String)
        /// A filter with nothing indexable (an empty prefix, several kinds): checked against
        /// every event, woken only by those that match.
        case scanned
    }

    private struct State {
        var index: Int64
        var nextWaiter: UInt64 = 0
        var waiters: [UInt64: Waiter] = [:]
        var filed: [Key: Set<UInt64>] = [:]
        var wakeups: Int64 = 0

        mutating func file(_ id: UInt64, _ waiter: Waiter) {
            waiters[id] = waiter
            for key in waiter.keys { filed[key, default: []].insert(id) }
        }

        mutating func remove(_ id: UInt64) -> Waiter? {
            guard let waiter = waiters.removeValue(forKey: id) else { return nil }
            for key in waiter.keys {
                guard var ids = filed[key] else { continue }
                ids.remove(id)
                filed[key] = ids.isEmpty ? nil : ids
            }
            return waiter
        }

        /// The waiters filed where `event` looks: a superset of the ones it matches.
        func candidates(for event: RegistryEvent, into result: inout Set<UInt64>) {
            if event.type == .reset {
                result.formUnion(waiters.keys)
                return
            }
            if let id = event.id, let ids = filed[.id(id)] { result.formUnion(ids) }
            if let name = event.name {
                if let ids = filed[.resolving(name)] { result.formUnion(ids) }
                for ancestor in WatchFilter.selfAndAncestors(of: name) {
                    if let ids = filed[.prefix(ancestor)] { result.formUnion(ids) }
                }
            }
            if let ids = filed[.kind(event.type.rawValue)] { result.formUnion(ids) }
            if let ids = filed[.kind(WatchFilter.family(of: event.type.rawValue))] { result.formUnion(ids) }
            if let ids = filed[.scanned] { result.formUnion(ids) }
        }
    }

    private let state: Mutex<State>

    public init(index: Int64) {
        state = Mutex(State(index: index))
    }

    public var index: Int64 { state.withLock { $0.index } }

    /// Waiters parked now, and waiters woken so far (`/metrics`).
    public var watchers: (waiting: Int, wakeups: Int64) {
        state.withLock { ($0.waiters.count, $0.wakeups) }
    }

    /// Records a new index and wakes every waiter: unfiltered ones, and filtered ones too, since
    /// what changed is not known (a shutdown; a replica catching up).
    public func publish(_ index: Int64) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.index = max(state.index, index)
            defer {
                state.waiters = [:]
                state.filed = [:]
            }
            state.wakeups += Int64(state.waiters.count)
            return state.waiters.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Records a new index and wakes the unfiltered waiters and the filtered ones that one of
    /// `events` matches.
    public func publish(_ index: Int64, events: [RegistryEvent]) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.index = max(state.index, index)
            var ids = state.filed[.all] ?? []
            var candidates = Set<UInt64>()
            for event in events { state.candidates(for: event, into: &candidates) }
            for id in candidates {
                guard let filter = state.waiters[id]?.filter else { continue }
                if events.contains(where: filter.matches) { ids.insert(id) }
            }
            state.wakeups += Int64(ids.count)
            return ids.compactMap { state.remove($0)?.continuation }
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns when the index is above `index`, when `timeout` passes, or when the task is
    /// cancelled, whichever comes first. With a `filter`, the index passing is not enough: an
    /// event published after `index` must match it.
    public func wait(after index: Int64, matching filter: WatchFilter? = nil, timeout: Duration) async {
        if self.index > index { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitUntilPublished(after: index, matching: filter) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitUntilPublished(after index: Int64, matching filter: WatchFilter?) async {
        let keys = Self.keys(of: filter)
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.index > index || Task.isCancelled { return true }
                    state.file(id, Waiter(continuation: continuation, filter: filter, keys: keys))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.remove(id) }
            waiter?.continuation.resume()
        }
    }

    private static func keys(of filter: WatchFilter?) -> [Key] {
        guard let filter, !filter.isEmpty else { return [.all] }
        var keys = filter.alwaysKinds.map(Key.kind)
        if let id = filter.id {
            keys.append(.id(id))
            return keys
        }
        switch filter.name {
        case .prefix(let prefix):
            let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
            keys.append(trimmed.isEmpty ? .scanned : .prefix(trimmed))
        case .resolving(let name):
            keys += WatchFilter.selfAndAncestors(of: name).map(Key.resolving)
        case nil:
            // Any one of several kinds may match: filed under one, the others would be missed.
            keys.append(filter.kinds.count == 1 ? .kind(filter.kinds.first!) : .scanned)
        }
        return keys
    }
}
