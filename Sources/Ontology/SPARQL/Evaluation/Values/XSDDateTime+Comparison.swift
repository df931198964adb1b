/// Ordering of date/time values with the XSD 1.0 timezone rule (XML Schema Part 2 §3.2.7.4),
/// which SPARQL 1.1 inherits through XPath 2.0.
///
/// Two values that both have a timezone (or both lack one) compare on the timeline. When only
/// one has a timezone, the local one could be in any timezone from -14:00 to +14:00: the
/// answer is known only if the two are more than 14 hours apart, and is otherwise
/// indeterminate, which SPARQL operators report as an error. So
/// `"2006-08-23Z"^^xsd:date = "2006-08-23"^^xsd:date` is an error, while
/// `"2006-08-23Z"^^xsd:date > "2006-08-22"^^xsd:date` is true.
extension XSDDateTime {
    /// Seconds since 1970-01-01T00:00:00Z, reading a local value as if it were UTC. A date
    /// stands for its first instant (00:00:00 in its timezone).
    var timelineSeconds: XSDDecimal {
        let days = Self.days(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60) - Int64((timezoneOffset ?? 0) * 60)
        // Nine-digit years keep this below 3.2 × 10^16 seconds, far inside the decimal range.
        return XSDDecimal(seconds).adding(second) ?? XSDDecimal(seconds)
    }

    /// The order of two values of the same kind: -1, 0 or 1, or `nil` when indeterminate.
    static func compare(_ a: XSDDateTime, _ b: XSDDateTime) -> Int? {
        let x = a.timelineSeconds
        let y = b.timelineSeconds
        switch (a.timezoneOffset != nil, b.timezoneOffset != nil) {
        case (true, true), (false, false):
            return x < y ? -1 : (x == y ? 0 : 1)
        case (true, false):
            // b lies somewhere in [y - 14h, y + 14h] on the timeline.
            if x < (y.subtracting(fourteenHours) ?? y) { return -1 }
            if x > (y.adding(fourteenHours) ?? y) { return 1 }
            return nil
        case (false, true):
            if (x.adding(fourteenHours) ?? x) < y { return -1 }
            if (x.subtracting(fourteenHours) ?? x) > y { return 1 }
            return nil
        }
    }

    private static let fourteenHours = XSDDecimal(Int64(14 * 3600))

    /// A total order for sorting (ORDER BY): the timeline with local values read as UTC, then
    /// values without timezone first, then the canonical form. It agrees with ``compare(_:_:)``
    /// wherever that is determinate.
    static func totalOrder(_ a: XSDDateTime, _ b: XSDDateTime) -> Int {
        let x = a.timelineSeconds
        let y = b.timelineSeconds
        if x != y { return x < y ? -1 : 1 }
        switch (a.timezoneOffset, b.timezoneOffset) {
        case (nil, .some): return -1
        case (.some, nil): return 1
        case (.some(let p), .some(let q)) where p != q: return p < q ? -1 : 1
        default: return 0
        }
    }
}
