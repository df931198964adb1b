import Ontology

/// The checked-in list of tests that are known to fail, one `suite/name  # reason` per line.
/// A listed failure does not fail the run; an unlisted one does, and so does a listed test
/// that now passes (so the list cannot go stale).
struct KnownFailures {
    private(set) var reasons: [String: String] = [:]

    init(path: String) throws {
        guard FileList.exists(path) else { return }
        let text = String(decoding: try RDFParser.readFile(atPath: path), as: UTF8.self)
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: " \t")
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: "#", maxSplits: 1)
            let identifier = parts[0].trimmingCharacters(in: " \t")
            reasons[identifier] = parts.count > 1 ? parts[1].trimmingCharacters(in: " \t") : "no reason given"
        }
    }

    func contains(_ identifier: String) -> Bool { reasons[identifier] != nil }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var slice = self
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
