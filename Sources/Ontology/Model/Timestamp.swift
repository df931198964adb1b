#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An instant as whole milliseconds since 1970-01-01T00:00:00Z: the one time type of the
/// registry and the access service (their clocks return it), and the one timestamp format of
/// the API, RFC 3339 in UTC with milliseconds (`2026-11-23T08:41:02.449Z`).
///
/// Encoded (`Codable`) as the bare number of milliseconds, as the registry's records have
/// always held their times. Parsed and written without Foundation's formatters: a date
/// formatter per call cost 7% of a registration, and decisions parse instants on the hot path.
///
/// ```swift
/// let expires = Timestamp(seconds: 1_795_420_800)
/// expires.description                                  // "2026-11-23T08:00:00.000Z"
/// Timestamp(rfc3339: "2026-11-23T09:00:00+01:00")    // the same instant
/// ```
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// `seconds` rounded to the millisecond.
    public init(seconds: Double) {
        milliseconds = Int64((seconds * 1000).rounded())
    }

    /// The system's wall clock now.
    public static var now: Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    /// Seconds since 1970, as JWT `NumericDate`s and policies count time.
    public var seconds: Double { Double(milliseconds) / 1000 }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }

    public init(from decoder: any Decoder) throws {
        milliseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(milliseconds)
    }

    // MARK: RFC 3339

    /// `2026-11-23T08:41:02.449Z`: UTC, milliseconds always written.
    public var description: String {
        let total = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let millis = Int(milliseconds - total * 1000)
        let days = Int(total >= 0 ? total / 86_400 : (total - 86_399) / 86_400)
        let secondsOfDay = Int(total) - days * 86_400
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        var text = ""
        text.reserveCapacity(24)
        func append(_ value: Int, _ width: Int) {
            let digits = String(value)
            for _ in digits.count..<width { text.append("0") }
            text += digits
        }
        append(year, 4); text.append("-"); append(month, 2); text.append("-"); append(day, 2); text.append("T")
        append(secondsOfDay / 3600, 2); text.append(":"); append(secondsOfDay / 60 % 60, 2); text.append(":")
        append(secondsOfDay % 60, 2); text.append("."); append(millis, 3); text.append("Z")
        return text
    }

    /// Parses an RFC 3339 instant (`2026-11-23T08:00:00Z`, `2026-11-23T09:00:00.5+01:00`); nil
    /// when malformed. A fraction finer than milliseconds is rounded.
    public init?(rfc3339 text: some StringProtocol) {
        guard let seconds = Self.seconds(rfc3339: text) else { return nil }
        self.init(seconds: seconds)
    }

    /// The seconds since 1970 an RFC 3339 instant denotes, fraction kept; nil when malformed.
    public static func seconds(rfc3339 text: some StringProtocol) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for index in start..<(start + count) {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = digits(0, 4), bytes[4] == UInt8(ascii: "-"), let month = digits(5, 2), bytes[7] == UInt8(ascii: "-"),
              let day = digits(8, 2), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              let hour = digits(11, 2), bytes[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
              bytes[16] == UInt8(ascii: ":"), let second = digits(17, 2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month), hour < 24, minute < 60,
              second < 61 else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let hours = digits(index + 1, 2), index + 3 < bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                  let minutes = digits(index + 4, 2), hours < 24, minutes < 60 else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        // A leap second (:60) counts as the second before it: POSIX time has none.
        return Double(days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset) + fraction
    }
}
