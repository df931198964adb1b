/// An `xsd:dateTime` or `xsd:date` value: the seven-property model of XSD 1.1 §D.2.1 (year,
/// month, day, hour, minute, second, optional timezone offset).
///
/// The fields keep the local time as written (YEAR, HOURS… return them), except that
/// `24:00:00` is stored as `00:00:00` of the next day, which XSD defines it to be. Years may be
/// negative and are limited to nine digits; seconds are exact decimals.
struct XSDDateTime: Hashable, Sendable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case dateTime
        case date
    }

    var kind: Kind
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: XSDDecimal
    /// The timezone offset in minutes east of UTC, or `nil` for a local (timezone-less) value.
    var timezoneOffset: Int?

    /// The datatype of a literal of this value.
    var datatype: IRI { kind == .dateTime ? XSD.dateTime : XSD.date }

    /// The value as a literal in canonical form.
    var literal: Literal { Literal(description, datatype: datatype) }

    init(kind: Kind, year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0,
         second: XSDDecimal = .zero, timezoneOffset: Int? = nil) {
        self.kind = kind
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.timezoneOffset = timezoneOffset
    }

    /// Parses the lexical space of `xsd:dateTime`,
    /// `-?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?` (XSD 1.1 §3.3.7), with the date checked
    /// against the month's length and `24:00:00` allowed only with zero minutes and seconds.
    init?(dateTime lexical: String) {
        var scanner = Scanner(lexical)
        guard let date = scanner.date(), scanner.skip(UInt8(ascii: "T")),
            let hour = scanner.fixedDigits(2), scanner.skip(UInt8(ascii: ":")),
            let minute = scanner.fixedDigits(2), scanner.skip(UInt8(ascii: ":")),
            let second = scanner.seconds(),
            let timezone = scanner.timezone(), scanner.atEnd
        else { return nil }
        guard minute < 60, second < XSDDecimal(60) else { return nil }
        guard hour < 24 || (hour == 24 && minute == 0 && second.isZero) else { return nil }
        self.init(kind: .dateTime, year: date.year, month: date.month, day: date.day, hour: hour,
                  minute: minute, second: second, timezoneOffset: timezone)
        if hour == 24 {
            self.hour = 0
            addDays(1)
        }
    }

    /// Parses the lexical space of `xsd:date`, `-?YYYY-MM-DD(Z|(+|-)hh:mm)?` (XSD 1.1 §3.3.9).
    init?(date lexical: String) {
        var scanner = Scanner(lexical)
        guard let date = scanner.date(), let timezone = scanner.timezone(), scanner.atEnd else { return nil }
        self.init(kind: .date, year: date.year, month: date.month, day: date.day, timezoneOffset: timezone)
    }

    /// The timezone part of a valid lexical form exactly as written (`"Z"`, `"+00:00"`,
    /// `"-08:00"`), or `""` when there is none: what TZ returns (§17.4.5.9).
    static func timezoneText(ofLexicalForm lexical: String) -> String {
        if lexical.hasSuffix("Z") { return "Z" }
        let utf8 = Array(lexical.utf8)
        // A timezone offset is the last six characters `±hh:mm`; a date's own `-DD` never has
        // a colon three characters from the end.
        guard utf8.count >= 6 else { return "" }
        let start = utf8.count - 6
        let sign = utf8[start]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), utf8[start + 3] == UInt8(ascii: ":") else {
            return ""
        }
        return String(decoding: utf8[start...], as: UTF8.self)
    }

    /// The canonical form (XSD 1.1 §3.3.7.2): a year of at least four digits, seconds without
    /// trailing fractional zeros, and the timezone as `Z` or `±hh:mm`.
    var description: String {
        var out = year < 0 ? "-" : ""
        out += Self.padded(Swift.abs(year), 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2)
        if kind == .dateTime {
            out += "T" + Self.padded(hour, 2) + ":" + Self.padded(minute, 2) + ":"
            let seconds = second.description
            out += second < XSDDecimal(10) ? "0" + seconds : seconds
        }
        if let offset = timezoneOffset { out += Self.timezoneString(offset) }
        return out
    }

    /// `Z` for a zero offset, else `±hh:mm`.
    static func timezoneString(_ offset: Int) -> String {
        if offset == 0 { return "Z" }
        let magnitude = Swift.abs(offset)
        return (offset < 0 ? "-" : "+") + padded(magnitude / 60, 2) + ":" + padded(magnitude % 60, 2)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Moves the date by a number of days, keeping the time of day.
    mutating func addDays(_ count: Int) {
        let civil = Self.civil(fromDays: Self.days(year: year, month: month, day: day) + count)
        year = civil.year
        month = civil.month
        day = civil.day
    }

    // MARK: Proleptic Gregorian calendar (XSD 1.1 §D.3; year 0 is 1 BCE)

    static func isLeapYear(_ year: Int) -> Bool { CivilCalendar.isLeapYear(year) }

    static func daysInMonth(year: Int, month: Int) -> Int { CivilCalendar.daysInMonth(year: year, month: month) }

    static func days(year: Int, month: Int, day: Int) -> Int {
        CivilCalendar.days(year: year, month: month, day: day)
    }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        CivilCalendar.civil(fromDays: days)
    }

    /// Reads the fixed-layout parts of date and time lexical forms.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ text: String) { bytes = Array(text.utf8) }

        var atEnd: Bool { position == bytes.count }

        mutating func skip(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        /// Exactly `count` ASCII digits.
        mutating func fixedDigits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[position + offset]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += count
            return value
        }

        /// `-?YYYY-MM-DD`: four or more year digits (no leading zero beyond four), a valid day.
        mutating func date() -> (year: Int, month: Int, day: Int)? {
            let negative = skip(UInt8(ascii: "-"))
            let start = position
            var year = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                year = year * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
                if position - start > 9 { return nil }
            }
            let yearDigits = position - start
            guard yearDigits >= 4, yearDigits == 4 || bytes[start] != UInt8(ascii: "0") else { return nil }
            guard skip(UInt8(ascii: "-")), let month = fixedDigits(2), skip(UInt8(ascii: "-")),
                let day = fixedDigits(2) else { return nil }
            let signedYear = negative ? -year : year
            guard (1...12).contains(month), day >= 1,
                day <= XSDDateTime.daysInMonth(year: signedYear, month: month) else { return nil }
            return (signedYear, month, day)
        }

        /// `ss` or `ss.s+`.
        mutating func seconds() -> XSDDecimal? {
            let start = position
            guard fixedDigits(2) != nil else { return nil }
            if skip(UInt8(ascii: ".")) {
                let fractionStart = position
                while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                    position += 1
                }
                guard position > fractionStart else { return nil }
            }
            return XSDDecimal(String(decoding: bytes[start..<position], as: UTF8.self))
        }

        /// An optional `Z` or `(+|-)hh:mm` with |offset| <= 14:00; `.some(nil)` when absent,
        /// `nil` when malformed.
        mutating func timezone() -> Int?? {
            if atEnd { return .some(nil) }
            if skip(UInt8(ascii: "Z")) { return .some(0) }
            let negative: Bool
            if skip(UInt8(ascii: "+")) {
                negative = false
            } else if skip(UInt8(ascii: "-")) {
                negative = true
            } else {
                return nil
            }
            guard let hours = fixedDigits(2), skip(UInt8(ascii: ":")), let minutes = fixedDigits(2),
                minutes < 60, hours * 60 + minutes <= 14 * 60 else { return nil }
            let offset = hours * 60 + minutes
            return .some(negative ? -offset : offset)
        }
    }
}
