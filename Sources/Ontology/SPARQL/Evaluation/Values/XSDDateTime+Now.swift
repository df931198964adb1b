#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension XSDDateTime {
    /// The current time in UTC to the millisecond, for NOW() (§17.4.5.1). The query takes
    /// it once, so that every NOW() of one query returns the same value.
    static func now() -> XSDDateTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return fromUnixTime(seconds: Int64(spec.tv_sec), milliseconds: Int(spec.tv_nsec / 1_000_000))
    }

    /// The UTC date and time `seconds` (plus `milliseconds`) after 1970-01-01T00:00:00Z.
    static func fromUnixTime(seconds: Int64, milliseconds: Int = 0) -> XSDDateTime {
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        // quotientAndRemainder truncates toward zero: move negative remainders into the day before.
        let dayCount = secondOfDay < 0 ? Int(days) - 1 : Int(days)
        let second = Int(secondOfDay < 0 ? secondOfDay + 86_400 : secondOfDay)
        let civil = civil(fromDays: dayCount)
        let fraction = XSDDecimal(scaled: Int128(second % 60) * XSDDecimal.scale + Int128(milliseconds) * 1_000_000_000_000_000)
        return XSDDateTime(kind: .dateTime, year: civil.year, month: civil.month, day: civil.day,
                           hour: second / 3600, minute: (second % 3600) / 60, second: fraction, timezoneOffset: 0)
    }
}
