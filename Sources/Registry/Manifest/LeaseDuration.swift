/// Durations as manifests and query strings write them: `500ms`, `30s`, `5m`, `1h`, or a
/// number of seconds.
public enum LeaseDuration {
    /// Milliseconds, or nil when `text` is not a duration.
    public static func milliseconds(_ text: String) -> Int64? {
        let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            // "5m" must not be read as "5" + "m" of "ms": the loop tries "ms" first.
            guard let value = Double(number), value.isFinite, value >= 0, !number.contains("e"), !number.contains("E") else { return nil }
            let result = value * factor
            guard result <= 365 * 86_400_000 else { return nil }
            return Int64(result.rounded())
        }
        if let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= 365 * 86_400 {
            return Int64((seconds * 1000).rounded())
        }
        return nil
    }

    /// `30s`-style text for a number of milliseconds.
    public static func text(_ milliseconds: Int64) -> String {
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}
