/// A site-scoped hierarchical name: `<site domain>/<segment>[/<segment>...]`, such as
/// `snac.asu.edu/WeightManagementPlan/plan1` (seed 001 §III-A).
///
/// Names are plain ASCII so that two names that look alike are alike: segments use letters,
/// digits and `. _ ~ -`, and `.` and `..` are not segments (no path tricks). At most 256 bytes.
public struct ServiceName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let value: String

    /// Validates `text` as a name.
    /// - Throws: ``RegistryError`` `registry.invalid_name` naming what is wrong.
    public init(_ text: String) throws {
        guard !text.isEmpty, text.utf8.count <= 256 else {
            throw RegistryError(.invalidName, "a name must have 1 to 256 characters")
        }
        // Split on the bytes: `/` is ASCII, so byte boundaries are character boundaries, and
        // the Character-level `split` was a tenth of decoding a manifest.
        var segments: [Substring] = []
        var start = text.utf8.startIndex
        var index = start
        while index != text.utf8.endIndex {
            if text.utf8[index] == UInt8(ascii: "/") {
                segments.append(text[start..<index])
                start = text.utf8.index(after: index)
            }
            index = text.utf8.index(after: index)
        }
        segments.append(text[start...])
        guard segments.count >= 2 else {
            throw RegistryError(.invalidName, "`\(text)` is not a site-scoped name: write <site domain>/<Name>, e.g. snac.asu.edu/Weather")
        }
        guard Self.isDomain(segments[0]) else {
            throw RegistryError(.invalidName, "`\(segments[0])` in `\(text)` is not a site domain (letters, digits, '-' and '.')")
        }
        for segment in segments.dropFirst() where !Self.isSegment(segment) {
            throw RegistryError(.invalidName, "`\(text)` has an invalid segment `\(segment)`: use letters, digits and . _ ~ - (and not . or ..)")
        }
        self.value = text
    }

    /// A name already validated (a member of a validated name).
    init(unchecked text: String) {
        self.value = text
    }

    /// The site part, before the first `/`.
    public var site: String { String(value.prefix { $0 != "/" }) }

    public var description: String { value }

    /// The name of a member (method or channel) of this one.
    /// - Throws: `registry.invalid_name` when `member` is not one segment.
    public func appending(_ member: String) throws -> ServiceName {
        guard Self.isSegment(Substring(member)) else {
            throw RegistryError(.invalidName, "`\(member)` is not a valid member name: use letters, digits and . _ ~ -")
        }
        return try ServiceName(value + "/" + member)
    }

    /// Whether this name is `prefix` or lies under it. A prefix ending in `/` matches names that
    /// start with it; one without matches the name itself and names below it, never
    /// `snac.asu.edu.evil/...` for `snac.asu.edu`.
    public func isCovered(byPrefix prefix: String) -> Bool {
        Self.name(value, isCoveredBy: prefix)
    }

    /// ``isCovered(byPrefix:)`` for a name as text (an event's).
    static func name(_ name: String, isCoveredBy prefix: String) -> Bool {
        if prefix.isEmpty { return true }
        if prefix.hasSuffix("/") { return name.hasPrefix(prefix) }
        return name == prefix || name.hasPrefix(prefix + "/")
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    public static func < (lhs: ServiceName, rhs: ServiceName) -> Bool { lhs.value < rhs.value }

    static func isSegment(_ segment: Substring) -> Bool {
        let utf8 = segment.utf8
        guard !utf8.isEmpty, !utf8.elementsEqual(".".utf8), !utf8.elementsEqual("..".utf8) else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }

    static func isDomain(_ segment: Substring) -> Bool {
        let dot = UInt8(ascii: ".")
        let utf8 = segment.utf8
        guard let first = utf8.first, let last = utf8.last, first != dot, last != dot else { return false }
        var previous: UInt8 = 0
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                break
            case dot where previous != dot:
                break
            default:
                return false
            }
            previous = byte
        }
        return true
    }
}
