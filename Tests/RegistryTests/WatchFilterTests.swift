import Foundation
import Synchronization
import Testing
@testable import Registry

/// Filtered watches: which events a filter lets through, and that a published change wakes only
/// the waiters whose filter it matches, however many others wait.
struct WatchFilterTests {
    static func event(_ type: RegistryEvent.Kind, id: String? = nil, name: String? = nil, index: Int64 = 1) -> RegistryEvent {
        RegistryEvent(index: index, type: type, id: id, name: name, time: 0)
    }

    @Test func prefixesCoverWholeSegmentsOnly() {
        let filter = WatchFilter(name: .prefix("site.example/Lab"))
        #expect(filter.matches(Self.event(.serviceRegistered, name: "site.example/Lab")))
        #expect(filter.matches(Self.event(.serviceRegistered, name: "site.example/Lab/Thermo")))
        #expect(!filter.matches(Self.event(.serviceRegistered, name: "site.example/Laboratory")))
        #expect(!filter.matches(Self.event(.hostOnline, id: "h1")))
        let below = WatchFilter(name: .prefix("site.example/Lab/"))
        #expect(!below.matches(Self.event(.serviceRegistered, name: "site.example/Lab")))
        #expect(below.matches(Self.event(.serviceRegistered, name: "site.example/Lab/Thermo")))
    }

    @Test func aResolvedNameWatchesItsServiceAndPolicyRoutes() {
        let filter = WatchFilter(name: .resolving("site.example/Thermo/main/read"), alwaysKinds: ["policy.changed"])
        #expect(filter.matches(Self.event(.healthChanged, name: "site.example/Thermo")))
        #expect(filter.matches(Self.event(.nameRebound, name: "site.example/Thermo/main")))
        #expect(!filter.matches(Self.event(.serviceRegistered, name: "site.example/Thermo/main/read2")))
        #expect(!filter.matches(Self.event(.serviceRegistered, name: "site.example/Thermostat")))
        #expect(filter.matches(Self.event("policy.changed", id: "main")))
        #expect(!filter.matches(Self.event("binding.revoked", id: "b1")))
    }

    @Test func kindsFamiliesIdsAndResets() {
        let filter = WatchFilter(kinds: ["service.*", "name.rebound"], id: "r1")
        #expect(filter.matches(Self.event(.healthChanged, id: "r1", name: "a.b/C")))
        #expect(!filter.matches(Self.event(.healthChanged, id: "r2", name: "a.b/C")))
        #expect(!filter.matches(Self.event(.hostOnline, id: "r1")))
        #expect(filter.matches(Self.event(.reset)), "a watcher that missed events must re-list")
        #expect(WatchFilter().isEmpty && WatchFilter().matches(Self.event(.hostRemoved)))
    }

    @Test func aChangeWakesOnlyTheWatchersOfWhatChanged() async throws {
        let signal = ChangeSignal(index: 0)
        let watched = "site.example/Changing"
        let others = 1000
        let woken = ManagedCount()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<others {
                let filter = number.isMultiple(of: 2) ? WatchFilter(name: .prefix("site.example/Idle\(number)"))
                                                     : WatchFilter(name: .resolving("site.example/Idle\(number)/main/op"))
                group.addTask {
                    await signal.wait(after: 0, matching: filter, timeout: .seconds(30))
                    woken.add()
                }
            }
            group.addTask {
                var seen: Int64 = 0
                for _ in 0..<100 {
                    await signal.wait(after: seen, matching: WatchFilter(name: .prefix(watched)), timeout: .seconds(30))
                    seen = signal.index
                }
            }
            while signal.watchers.waiting < others + 1 { try await Task.sleep(for: .milliseconds(5)) }
            for index in Int64(1)...100 {
                // Each change waits for the watcher to park again, so that none is coalesced.
                while signal.watchers.waiting < others + 1 { try await Task.sleep(for: .milliseconds(1)) }
                signal.publish(index, events: [Self.event(.healthChanged, id: "r", name: watched, index: index)])
            }
            while signal.watchers.waiting > others { try await Task.sleep(for: .milliseconds(5)) }
            #expect(signal.watchers.wakeups == 100, "only the watcher of the changing name wakes, once per change")
            #expect(woken.value == 0)
            #expect(signal.watchers.waiting == others)
            // An event for one of them wakes that one only; a shutdown wakes the rest.
            signal.publish(101, events: [Self.event(.serviceUpdated, name: "site.example/Idle3")])
            while woken.value < 1 { try await Task.sleep(for: .milliseconds(5)) }
            #expect(signal.watchers.waiting == others - 1)
            signal.publish(.max)
            try await group.waitForAll()
        }
        #expect(woken.value == others)
    }
}

/// A count shared by the tasks of a test.
final class ManagedCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
