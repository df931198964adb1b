import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Registry

/// Runs the HTTP health checks of registrations (`instance.check`) and sets their health:
/// 2xx → ok, 429 or 503 → degraded, anything else or no answer in time → broken.
final class HealthChecker: @unchecked Sendable {
    // @unchecked: `due` is touched only by the maintenance loop, one tick at a time.
    let allowList: HostAllowList
    private var due: [String: Int64] = [:]
    private let client: HTTPClient

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

    /// Runs the checks that are due at `now` (milliseconds since 1970), at most 32 at once.
    func runDueChecks(on registry: Registry, now: Int64, logger: Logger) async {
        let checks = registry.healthChecks()
        let current = Set(checks.map(\.id))
        due = due.filter { current.contains($0.key) }
        let ready = checks.filter { (due[$0.id] ?? 0) <= now }.prefix(32)
        guard !ready.isEmpty else { return }
        for entry in ready { due[entry.id] = now + entry.check.intervalMilliseconds }
        await withTaskGroup(of: (String, HealthStatus, String).self) { group in
            for entry in ready {
                group.addTask { [self] in
                    let (status, note) = await self.probe(entry.check)
                    return (entry.id, status, note)
                }
            }
            for await (id, status, note) in group {
                guard registry.registration(id: id)?.health != status else { continue }
                do {
                    _ = try await registry.setHealth(id: id, to: status, note: note)
                    logger.info("health check", metadata: ["instance": "\(id)", "health": "\(status.rawValue)", "note": "\(note)"])
                } catch {
                    logger.debug("health check result not stored", metadata: ["instance": "\(id)", "error": "\(error)"])
                }
            }
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
