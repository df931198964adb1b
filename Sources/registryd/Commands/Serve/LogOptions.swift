import AccessService
import ArgumentParser

/// `serve`'s decision and audit logs: JSON lines to a file (rotated by size) or standard output.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("decision-log"), help: ArgumentHelp(
        "Write every access decision (subject, API, action, result, deciding rules, binding id, policy generation, attributes, latency) as a JSON line to FILE, or `-` for standard output.",
        valueName: "FILE|-"))
    var decisionLog: String?

    @Option(name: .customLong("decision-log-mask"), help: ArgumentHelp(
        "Leave a field out of the decision log (listed in the line's `erased`): subject, api, method, reason, binding, attributes, attributes.<name> (e.g. attributes.subject.ssn) or attributes.<entity>.* ; repeatable.",
        valueName: "PATH"))
    var decisionLogMasks: [String] = []

    @Option(name: .customLong("audit-log"), help: ArgumentHelp(
        "Write every change made through the API (token id, client address, method, path, status, change index) as a JSON line to FILE, or `-` for standard output.",
        valueName: "FILE|-"))
    var auditLog: String?

    @Option(name: .customLong("log-rotate-mib"), help: "Start a new decision or audit log file when it would pass this size (the old one becomes FILE.1).")
    var rotateMiB: Double = 64

    @Option(name: .customLong("log-keep"), help: "Rotated log files kept (FILE.1 ... FILE.N).")
    var keep: Int = 5

    func validate() throws {
        guard rotateMiB > 0, keep > 0 else { throw ValidationError("--log-rotate-mib and --log-keep must be positive") }
        for mask in decisionLogMasks {
            let field = mask.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
            guard DecisionLog.maskableFields.contains(field), field == "attributes" || !mask.contains(".") else {
                throw ValidationError("--decision-log-mask: `\(mask)` is not one of subject, api, method, reason, binding, attributes, attributes.<name>, attributes.<entity>.*")
            }
        }
        if decisionLog == nil, !decisionLogMasks.isEmpty { throw ValidationError("--decision-log-mask needs --decision-log") }
        if let decisionLog, decisionLog == auditLog, decisionLog != "-" {
            throw ValidationError("--decision-log and --audit-log need two files (or both `-`)")
        }
    }

    /// Opens the audit log, and starts the decision log on `access`.
    func open(access: AccessService) throws(CommandFailure) -> JSONLinesLog? {
        let maxBytes = Int(rotateMiB * 1_048_576)
        if let decisionLog {
            let log = DecisionLog(log: try JSONLinesLog(path: decisionLog, maxBytes: maxBytes, keep: keep), masks: decisionLogMasks)
            access.observeDecisions { log.record($0) }
        }
        return try auditLog.map { path throws(CommandFailure) in try JSONLinesLog(path: path, maxBytes: maxBytes, keep: keep) }
    }
}
