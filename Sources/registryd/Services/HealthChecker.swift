import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Ontology
import Registry
import Synchronization

/// Runs the HTTP health checks of registrations (`instance.check`) and sets their health:
/// 2xx → ok, 429 or 503 → degraded, anything else or no answer in time → broken.
///
/// Checks run on their own, at most ``maxInFlight`` at once, each bounded by its own timeout:
/// a check that hangs holds its slot only, never the lease expiry or the other checks.
final class HealthChecker: Sendable {
    let allowList: HostAllowList
    /// The most checks running at once.
    let maxInFlight = 32
    private let client: HTTPClient
    private let state = Mutex(State())

    private struct State {
        /// When each registration's check is due next (milliseconds since 1970).
        var due: [String: Int64] = [:]
        /// The registrations whose check is running.
        var running: Set<String> = []
    }

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

    /// Runs checks as they fall due until the daemon stops.
    /// Runs the due checks every `interval` while `active` says so (cluster mode: only on the
    /// node that holds the site's election).
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
    func claimDueChecks(on registry: Registry, now: Int64) -> [(id: String, check: HealthCheckSpec, health: HealthStatus)] {
        let checks = registry.healthChecks()
        return state.withLock { state in
            let current = Set(checks.map(\.id))
            state.due = state.due.filter { current.contains($0.key) }
            let free = max(0, maxInFlight - state.running.count)
            let ready = checks.filter { (state.due[$0.id] ?? 0) <= now && !state.running.contains($0.id) }.prefix(free)
            for entry in ready {
                state.due[entry.id] = now + entry.check.intervalMilliseconds
                state.running.insert(entry.id)
            }
            return Array(ready)
        }
    }

    private func runCheck(_ entry: (id: String, check: HealthCheckSpec, health: HealthStatus), on registry: Registry, logger: Logger) async {
        defer { _ = state.withLock { $0.running.remove(entry.id) } }
        let (status, note) = await probe(entry.check)
        guard !Task.isCancelled, registry.registration(id: entry.id)?.health != status else { return }
        do {
            _ = try await registry.setHealth(id: entry.id, to: status, note: note)
            logger.info("health check", metadata: ["instance": "\(entry.id)", "health": "\(status.rawValue)", "note": "\(note)"])
        } catch {
            logger.debug("health check result not stored", metadata: ["instance": "\(entry.id)", "error": "\(error)"])
        }
    }

    func probe(_ check: HealthCheckSpec) async -> (HealthStatus, String) {
        guard allowList.allowedHost(of: check.url) != nil else {
            return (.broken, "check: the registry may not contact this host (serve --pull-allow)")
        }
        do {
            let response = try await client.execute(HTTPClientRequest(url: check.url), timeout: .milliseconds(check.timeoutMilliseconds))
            _ = try? await response.body.collect(upTo: 64 << 10)
            let code = Int(response.status.code)
            switch code {
            case 200..<300: return (.ok, "check: HTTP \(code)")
            case 429, 503: return (.degraded, "check: HTTP \(code)")
            default: return (.broken, "check: HTTP \(code)")
            }
        } catch {
            return (.broken, "check: no answer (\(error))")
        }
    }
}
