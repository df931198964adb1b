import Ontology

/// RFC 3339 instants as the seconds since 1970-01-01T00:00:00Z that policies compare. Parsed by
/// ``Ontology/Timestamp``; written here in whole seconds for policy text and explanations
/// (the API's JSON writes ``Ontology/Timestamp`` with milliseconds).
public enum Instant {
    /// Parses `2026-11-23T08:00:00Z`, `2026-11-23T09:00:00.5+01:00`; nil when malformed.
    public static func parse(_ text: some StringProtocol) -> Double? {
        Timestamp.seconds(rfc3339: text)
    }

    /// `2026-11-23T08:00:00Z` (whole seconds, UTC), as policy text writes instants.
    public static func format(_ seconds: Double) -> String {
        // The API's format without its `.mmm`: one calendar writer for both.
        let text = Timestamp(milliseconds: Int64(seconds.rounded(.down)) * 1000).description
        return text.dropLast(5) + "Z"
    }
}
