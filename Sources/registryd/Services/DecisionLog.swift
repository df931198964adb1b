import AccessControl
import AccessService
import Foundation
import JSON
import Ontology

/// Writes each decision as one JSON line (`serve --decision-log`), with the fields an operator
/// may not log removed (`--decision-log-mask`), as OPA's decision logs do: a masked field is
/// left out and its path listed in `erased`.
///
/// A line: `{"type": "decision", "time", "subject", "api", "action", "method", "decision",
/// "rules", "reason", "binding", "generation", "attributes": {"subject.rank": "…"},
/// "latency_ms", "erased"}`.
struct DecisionLog: Sendable {
    let log: JSONLinesLog
    /// Paths to leave out: `subject`, `attributes.subject.ssn`, `attributes.subject.*`, `reason`.
    let masks: [String]

    /// The fields a mask may name besides `attributes.<name>`.
    static let maskableFields: Set<String> = ["subject", "api", "method", "reason", "binding", "attributes"]

    func record(_ record: DecisionRecord) {
        var erased: [String] = []
        func masked(_ path: String) -> Bool {
            let hidden = masks.contains { mask in
                mask == path || (mask.hasSuffix(".*") && path.hasPrefix(mask.dropLast()))
            }
            if hidden { erased.append(path) }
            return hidden
        }
        var writer = JSONTextWriter(capacity: 512)
        writer.beginObject()
        writer.member("type", "decision")
        writer.member("time", Self.timestamp(record.time))
        if !masked("subject") { writer.member("subject", record.subject) }
        if !masked("api") { writer.member("api", record.api) }
        writer.member("action", record.action.rawValue)
        if !masked("method") { writer.member("method", record.method) }
        writer.member("decision", record.decision.effect.rawValue)
        writer.member("rules", record.decision.rules)
        if !masked("reason") { writer.member("reason", record.decision.reason) }
        if !masked("binding") { writer.member("binding", record.binding) }
        writer.member("generation", record.decision.generation)
        if !masked("attributes") {
            writer.key("attributes")
            writer.beginObject()
            for (name, value) in record.attributes where !masked("attributes." + name) {
                writer.key(name)
                writer.string(value)
            }
            writer.endObject()
        }
        let latency = record.latency.components
        let microseconds: Double = Double(latency.seconds) * 1e6 + Double(latency.attoseconds) / 1e12
        writer.member("latency_ms", microseconds.rounded() / 1000)
        if !erased.isEmpty { writer.member("erased", erased) }
        writer.endObject()
        log.write(writer.text)
    }

    /// The API's one timestamp format (RFC 3339, milliseconds, UTC).
    static func timestamp(_ seconds: Double) -> String {
        Timestamp(seconds: seconds).description
    }
}
