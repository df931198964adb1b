import Foundation

/// A recurring window: `hours 09:00-17:00 "Europe/Berlin" on Mon-Fri`. A window whose end is
/// not after its start runs past midnight into the next day; the days name the day it starts.
public struct WeeklyWindow: Sendable, Hashable, CustomStringConvertible {
    /// Minutes after local midnight.
    public var start: Int
    public var end: Int
    /// Bit 0 is Monday, bit 6 Sunday.
    public var days: UInt8
    public var zone: ZoneOffsets

    public init(start: Int, end: Int, days: UInt8, zone: ZoneOffsets) {
        self.start = start
        self.end = end
        self.days = days
        self.zone = zone
    }

    private var length: Int { end > start ? end - start : end + 1440 - start }

    public var description: String {
        func clock(_ minutes: Int) -> String {
            let h = minutes / 60, m = minutes % 60
            return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
        }
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let dayList = (0..<7).filter { days & (1 << $0) != 0 }.map { names[$0] }.joined(separator: ",")
        return "hours \(clock(start))-\(clock(end)) \"\(zone.identifier)\" on \(dayList)"
    }

    /// Whether the instant lies in an occurrence, and until when that answer holds: the end of
    /// the occurrence when inside, the start of the next one when outside.
    public func evaluate(at instant: Double) -> (inside: Bool, stableUntil: Double) {
        let local = instant + Double(zone.offset(at: instant))
        let today = Int((local / 86_400).rounded(.down))
        var nextStart = Double.infinity
        // An occurrence that started yesterday may still run; look a week ahead for the next.
        for day in (today - 1)...(today + 7) {
            let weekday = ((day + 3) % 7 + 7) % 7
            guard days & (1 << weekday) != 0 else { continue }
            let localStart = Double(day * 86_400 + start * 60)
            let localEnd = localStart + Double(length * 60)
            let utcStart = localStart - Double(zone.offset(at: localStart - Double(zone.offset(at: instant))))
            let utcEnd = localEnd - Double(zone.offset(at: localEnd - Double(zone.offset(at: instant))))
            if instant >= utcStart && instant < utcEnd { return (true, utcEnd) }
            if utcStart > instant { nextStart = min(nextStart, utcStart) }
        }
        return (false, nextStart)
    }
}

/// A time zone's UTC offsets, precomputed from the system's tz database so that evaluating a
/// window is a binary search, not a calendar computation.
public struct ZoneOffsets: Sendable, Hashable {
    public let identifier: String
    /// Instants where the offset changes, ascending, and the offset from each on.
    private let transitions: [Double]
    private let offsets: [Int]
    private let initialOffset: Int

    public static let utc = ZoneOffsets(identifier: "UTC", transitions: [], offsets: [], initialOffset: 0)

    private init(identifier: String, transitions: [Double], offsets: [Int], initialOffset: Int) {
        self.identifier = identifier
        self.transitions = transitions
        self.offsets = offsets
        self.initialOffset = initialOffset
    }

    /// nil when the system does not know the zone.
    public init?(identifier: String) {
        if identifier == "UTC" || identifier == "Z" {
            self = .utc
            return
        }
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        var transitions: [Double] = []
        var offsets: [Int] = []
        let first = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01
        let last = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
        var cursor = first
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < last {
            transitions.append(next.timeIntervalSince1970)
            offsets.append(zone.secondsFromGMT(for: next))
            cursor = next
        }
        self.init(identifier: identifier, transitions: transitions, offsets: offsets, initialOffset: zone.secondsFromGMT(for: first))
    }

    /// Seconds east of UTC at the instant.
    public func offset(at instant: Double) -> Int {
        guard !transitions.isEmpty, instant >= transitions[0] else { return initialOffset }
        var low = 0, high = transitions.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if transitions[mid] <= instant { low = mid } else { high = mid - 1 }
        }
        return offsets[low]
    }

    public static func == (a: ZoneOffsets, b: ZoneOffsets) -> Bool { a.identifier == b.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }
}
