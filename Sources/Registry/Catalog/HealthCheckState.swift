/// One health check's state, as the API shows it (`GET /v1/services/{id}/checks`): its status,
/// its last output, and the runs in a row that move its status (Consul's
/// `success_before_passing`, `failures_before_critical`).
public struct HealthCheckState: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, Hashable {
        case passing, warning, critical

        /// What the status makes the instance: ok, degraded, broken.
        public var health: HealthStatus {
            switch self {
            case .passing: .ok
            case .warning: .degraded
            case .critical: .broken
            }
        }

        init(_ health: HealthStatus) {
            switch health {
            case .ok: self = .passing
            case .degraded: self = .warning
            case .broken: self = .critical
            }
        }
    }

    public var id: String
    public var kind: HealthCheckSpec.Kind
    /// What it reaches: the URL or `host:port`; empty for a TTL check.
    public var target: String
    public var status: Status
    /// The last run's (or report's) output.
    public var output: String
    /// Milliseconds since 1970 of the last run or report; nil before the first.
    public var lastRun: Int64?
    /// Results in a row that differ from `status`, and which one they are.
    public var pending: Status?
    public var pendingCount: Int
    /// Since when the status has been critical (milliseconds since 1970).
    public var criticalSince: Int64?
    /// A TTL check's state holds until then (milliseconds since 1970).
    public var expires: Int64?

    /// The state of a check before it ran: the status the instance has (a registration that
    /// says `health: ok` is trusted until its checks say otherwise), a TTL check's first `ttl`
    /// counted from now.
    public init(_ check: HealthCheckSpec, health: HealthStatus, now: Int64) {
        id = check.checkID
        kind = check.checkKind
        target = check.url
        status = Status(health)
        output = check.checkKind == .ttl ? "no report yet" : "not run yet"
        pendingCount = 0
        criticalSince = status == .critical ? now : nil
        expires = check.ttlMilliseconds.map { now + $0 }
    }

    /// Records one result; the status follows it once it came `successesBeforePassing` (to
    /// pass) or `failuresBeforeCritical` (to warn or fail) times in a row. A TTL report is
    /// taken at once, as Consul does.
    public mutating func record(_ result: Status, output: String, at now: Int64, check: HealthCheckSpec, reported: Bool = false) {
        self.output = output
        lastRun = now
        if let ttl = check.ttlMilliseconds, reported { expires = now + ttl }
        if result == status {
            pending = nil
            pendingCount = 0
        } else {
            pendingCount = pending == result ? pendingCount + 1 : 1
            pending = result
            let needed = reported ? 1 : (result == .passing ? check.successesBeforePassing ?? 1 : check.failuresBeforeCritical ?? 1)
            if pendingCount >= needed {
                status = result
                pending = nil
                pendingCount = 0
            }
        }
        if status == .critical { criticalSince = criticalSince ?? now } else { criticalSince = nil }
    }

    /// Whether the check has been critical for its `deregisterAfter`.
    public func deregisters(_ check: HealthCheckSpec, at now: Int64) -> Bool {
        guard let after = check.deregisterAfterMilliseconds, let since = criticalSince else { return false }
        return now - since >= after
    }
}

extension Registry {
    /// The checks of a registration with their last results, in the manifest's order. A check
    /// seen for the first time starts here (a TTL check's `ttl` counts from then).
    public func checkStates(of id: String) -> [HealthCheckState]? {
        guard let registration = registration(id: id) else { return nil }
        let now = self.now()
        return checkStates.withLock { all in
            var states = all[id] ?? [:]
            let result = registration.manifest.instance.allChecks.map { check in
                let state = states[check.checkID] ?? HealthCheckState(check, health: registration.health, now: now)
                states[check.checkID] = state
                return state
            }
            all[id] = states
            return result
        }
    }

    /// Records a result of one check and answers what the instance's health now is: the worst
    /// of its checks' statuses, with the output of the worst as the note; and whether a check
    /// has been critical long enough to deregister the instance.
    func recordCheck(id: String, check: HealthCheckSpec, result: HealthCheckState.Status, output: String,
                            reported: Bool = false) -> (health: HealthStatus, note: String, deregister: Bool)? {
        guard let registration = registration(id: id) else { return nil }
        let checks = registration.manifest.instance.allChecks
        let now = self.now()
        return checkStates.withLock { all in
            var states = all[id] ?? [:]
            // Checks the manifest no longer has are forgotten.
            states = states.filter { entry in checks.contains { $0.checkID == entry.key } }
            var state = states[check.checkID] ?? HealthCheckState(check, health: registration.health, now: now)
            state.record(result, output: output, at: now, check: check, reported: reported)
            states[check.checkID] = state
            all[id] = states
            var worst: (HealthCheckState.Status, String)? = nil
            var deregister = false
            for spec in checks {
                let current = states[spec.checkID] ?? HealthCheckState(spec, health: registration.health, now: now)
                if worst == nil || current.status.health.rank > worst!.0.health.rank {
                    worst = (current.status, "check \(current.id): \(current.output)")
                }
                deregister = deregister || current.deregisters(spec, at: now)
            }
            return (worst?.0.health ?? registration.health, worst?.1 ?? "", deregister)
        }
    }

    /// What recording a check's result did to its instance.
    public enum CheckOutcome: Sendable, Equatable {
        case unchanged(HealthStatus)
        case changed(HealthStatus, note: String)
        case deregistered(note: String)
    }

    /// Records a check's result and applies what follows to its instance: a new health (the
    /// worst of its checks) is stored, with the worst check's output as the note; a check
    /// critical for its `deregisterAfter` deregisters the instance. Nil when the registration
    /// is gone.
    public func applyCheck(id: String, check: HealthCheckSpec, result: HealthCheckState.Status, output: String,
                           reported: Bool = false, authorize: @escaping NameAuthorization = { _ in true }) async throws -> CheckOutcome? {
        guard let outcome = recordCheck(id: id, check: check, result: result, output: output, reported: reported) else { return nil }
        if outcome.deregister {
            try await deregister(id: id, authorize: authorize)
            return .deregistered(note: outcome.note)
        }
        // Only a change of status is written (and told to watchers): outputs change on every run.
        guard let current = registration(id: id), current.health != outcome.health else { return .unchanged(outcome.health) }
        _ = try await setHealth(id: id, to: outcome.health, note: outcome.note, authorize: authorize)
        return .changed(outcome.health, note: outcome.note)
    }

    /// Forgets the check results of registrations that are gone.
    public func forgetCheckStates(keeping ids: Set<String>) {
        checkStates.withLock { all in all = all.filter { ids.contains($0.key) } }
    }
}
