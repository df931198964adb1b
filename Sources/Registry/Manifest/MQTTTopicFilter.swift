/// MQTT topic names and filters (MQTT 3.1.1 §4.7, MQTT 5 §4.7): `/`-separated levels, `+` for
/// one level, `#` (last) for any number of levels, the parent level included. A topic that
/// starts with `$` is matched by no filter that starts with a wildcard.
///
/// Manifests name the topic an event channel is served on; a channel may serve a filter
/// (`building/+/co2`). A broker gateway maps a concrete topic to the channels whose topic
/// ``matches(_:)`` it, and a subscription filter to the channels it ``overlaps(_:)``.
public struct MQTTTopicFilter: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    private let levels: [Substring]

    /// Nil when `text` is no valid filter (empty, a NUL, `#` not alone in the last level, `+`
    /// not alone in its level).
    public init?(_ text: String) {
        guard !text.isEmpty, !text.utf8.contains(0) else { return nil }
        let levels = text.split(separator: "/", omittingEmptySubsequences: false)
        for (position, level) in levels.enumerated() {
            if level.contains("#"), level != "#" || position != levels.count - 1 { return nil }
            if level.contains("+"), level != "+" { return nil }
        }
        self.text = text
        self.levels = levels
    }

    public var description: String { text }

    /// The first level, which a topic index buckets by.
    public var firstLevel: String { String(levels[0]) }
    public var firstLevelIsWildcard: Bool { levels[0] == "+" || levels[0] == "#" }

    /// Whether the filter has a wildcard (a topic name never has).
    public var hasWildcards: Bool { levels.contains { $0 == "+" || $0 == "#" } }

    /// Whether the concrete topic `topic` (no wildcards) is one this filter matches.
    public func matches(_ topic: String) -> Bool {
        let topicLevels = topic.split(separator: "/", omittingEmptySubsequences: false)
        if topic.hasPrefix("$"), let first = levels.first, first == "+" || first == "#" { return false }
        for (position, level) in levels.enumerated() {
            if level == "#" { return true }
            guard position < topicLevels.count else { return false }
            if level != "+", level != topicLevels[position] { return false }
        }
        return levels.count == topicLevels.count
    }

    /// Whether some concrete topic matches both filters.
    public func overlaps(_ other: MQTTTopicFilter) -> Bool {
        let (a, b) = (levels, other.levels)
        let aDollar = a.first?.hasPrefix("$") ?? false, bDollar = b.first?.hasPrefix("$") ?? false
        // A `$` topic is matched only by filters that spell its first level.
        if aDollar != bDollar, (aDollar ? b : a).first.map({ $0 == "+" || $0 == "#" }) ?? false { return false }
        var position = 0
        while true {
            let x = position < a.count ? a[position] : nil
            let y = position < b.count ? b[position] : nil
            switch (x, y) {
            case (nil, nil): return true
            case ("#"?, _), (_, "#"?): return true
            case (nil, _), (_, nil): return false
            case (let x?, let y?):
                if x != "+", y != "+", x != y { return false }
            }
            position += 1
        }
    }
}
