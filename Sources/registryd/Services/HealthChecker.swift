import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Ontology
import Registry
import Synchronization

/// Runs the health checks of registrations (`instance.checks`, and the older `instance.check`)
/// and sets their health: the worst of their checks' statuses (``HealthCheckState``), with the
/// worst check's output as the note (``Registry/applyCheck(id:check:result:output:reported:authorize:)``).
/// TTL checks are not run: the instance reports them (`PUT /v1/services/{id}/checks/{check}`),
/// and one not reported within its `ttl` turns critical here. An instance whose check stayed critical for its `deregisterAfter` is
/// deregistered.
///
/// Checks run on their own, at most ``maxInFlight`` at once, each bounded by its own timeout:
/// a check that hangs holds its slot only, never the lease expiry or the other checks. Checks
/// reach only the hosts `serve --pull-allow` names.
final class HealthChecker: Sendable {
    let allowList: HostAllowList
    /// The most checks running at once.
    let maxInFlight = 32
    private let client: HTTPClient
    private let state = Mutex(State())

    private struct State {
        /// When each check (registration id and check id) is due next (milliseconds since 1970).
        var due: [Key: Int64] = [:]
        /// The checks running.
        var running: Set<Key> = []
    }

    struct Key: Hashable, Sendable {
        var id: String
        var check: String
    }

    typealias Entry = (id: String, check: HealthCheckSpec, health: HealthStatus)

    init(allowList: HostAllowList) {
        self.allowList = allowList
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(60))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// Runs the due checks every `interval` while `active` says so (cluster mode: only on the
    /// node that holds the site's election), until the daemon stops.
    func run(on registry: Registry, interval: Duration, logger: Logger, active: @escaping @Sendable () -> Bool = { true }) async {
        await withDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let now = Timestamp.now.milliseconds
                for entry in active() ? claimDueChecks(on: registry, now: now) : [] {
                    group.addTask { await self.runCheck(entry, on: registry, logger: logger) }
                }
                try? await Task.sleep(for: interval)
            }
            group.cancelAll()
        }
    }

    /// The checks due at `now` that are not running, as many as free slots allow, marked running.
    func claimDueChecks(on registry: Registry, now: Int64) -> [Entry] {
        let checks = registry.healthChecks()
        registry.forgetCheckStates(keeping: Set(checks.map(\.id)))
        return state.withLock { state in
            let current = Set(checks.map { Key(id: $0.id, check: $0.check.checkID) })
            state.due = state.due.filter { current.contains($0.key) }
            let free = max(0, maxInFlight - state.running.count)
            let ready = checks.filter { entry in
                let key = Key(id: entry.id, check: entry.check.checkID)
                // A TTL check's first look is one interval after it was first seen.
                if entry.check.checkKind == .ttl, state.due[key] == nil { state.due[key] = now + entry.check.intervalMilliseconds }
                return (state.due[key] ?? 0) <= now && !state.running.contains(key)
            }.prefix(free)
            for entry in ready {
                let key = Key(id: entry.id, check: entry.check.checkID)
                state.due[key] = now + entry.check.intervalMilliseconds
                state.running.insert(key)
            }
            return Array(ready)
        }
    }

    private func runCheck(_ entry: Entry, on registry: Registry, logger: Logger) async {
        let key = Key(id: entry.id, check: entry.check.checkID)
        defer { _ = state.withLock { $0.running.remove(key) } }
        let (status, output): (HealthCheckState.Status, String)
        if entry.check.checkKind == .ttl {
            // Nothing to run: a TTL check only turns critical when its report is too old.
            guard let states = registry.checkStates(of: entry.id),
                  let current = states.first(where: { $0.id == entry.check.checkID }),
                  let expires = current.expires, expires <= Timestamp.now.milliseconds, current.status != .critical else { return }
            (status, output) = (.critical, "TTL expired: no report within \(entry.check.ttlMilliseconds ?? 0) ms")
        } else {
            (status, output) = await probe(entry.check)
        }
        guard !Task.isCancelled else { return }
        do {
            switch try await registry.applyCheck(id: entry.id, check: entry.check, result: status, output: output) {
            case .changed(let health, let note)?:
                logger.info("health check", metadata: ["instance": "\(entry.id)", "health": "\(health.rawValue)", "note": "\(note)"])
            case .deregistered(let note)?:
                logger.info("deregistered: a check stayed critical", metadata: ["instance": "\(entry.id)", "note": "\(note)"])
            case .unchanged?, nil:
                break
            }
        } catch {
            logger.debug("health check result not stored", metadata: ["instance": "\(entry.id)", "error": "\(error)"])
        }
    }

    func probe(_ check: HealthCheckSpec) async -> (HealthCheckState.Status, String) {
        guard let target = allowList.allowedTarget(of: check) else {
            return (.critical, "the registry may not contact this host (serve --pull-allow)")
        }
        return await HealthProbe(client: client).run(check, target: target)
    }
}
