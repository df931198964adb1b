/// An API name pattern: `clinic.example/PatientMonitor/*` (`*` within one segment),
/// `clinic.example/**` (any number of segments, none included).
public struct APIPattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal([UInt8])
        /// Literal pieces separated by `*`.
        case glob([[UInt8]])
        case anySegments
    }

    public let text: String
    let segments: [Segment]

    /// nil when the pattern is empty or has an empty segment.
    public init?(_ text: String) {
        self.text = text
        var segments: [Segment] = []
        for part in text.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            let bytes = Array(part)
            if bytes.isEmpty { return nil }
            if bytes == Array("**".utf8) {
                if segments.last != .anySegments { segments.append(.anySegments) }
            } else if bytes.contains(UInt8(ascii: "*")) {
                segments.append(.glob(bytes.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false).map(Array.init)))
            } else {
                segments.append(.literal(bytes))
            }
        }
        if segments.isEmpty { return nil }
        self.segments = segments
    }

    public var description: String { text }

    /// Whether the API name (already split on `/`) matches.
    func matches(_ name: [ArraySlice<UInt8>]) -> Bool {
        Self.match(segments[...], name[...])
    }

    public func matches(_ name: String) -> Bool {
        matches(Self.split(name))
    }

    static func split(_ name: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(name.utf8)
        return bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
    }

    private static func match(_ pattern: ArraySlice<Segment>, _ name: ArraySlice<ArraySlice<UInt8>>) -> Bool {
        guard let first = pattern.first else { return name.isEmpty }
        switch first {
        case .anySegments:
            let rest = pattern.dropFirst()
            if rest.isEmpty { return true }
            var remaining = name
            while true {
                if match(rest, remaining) { return true }
                if remaining.isEmpty { return false }
                remaining = remaining.dropFirst()
            }
        case .literal(let literal):
            guard let segment = name.first, segment.elementsEqual(literal) else { return false }
            return match(pattern.dropFirst(), name.dropFirst())
        case .glob(let pieces):
            guard let segment = name.first, globMatch(pieces, segment) else { return false }
            return match(pattern.dropFirst(), name.dropFirst())
        }
    }

    /// `a*b*c` against one segment: the first piece is a prefix, the last a suffix, the middle
    /// pieces appear in order.
    private static func globMatch(_ pieces: [[UInt8]], _ segment: ArraySlice<UInt8>) -> Bool {
        guard let first = pieces.first, let last = pieces.last, pieces.count >= 2 else { return false }
        guard segment.count >= first.count + last.count, segment.starts(with: first), segment.reversed().starts(with: last.reversed()) else { return false }
        var cursor = segment.startIndex + first.count
        let end = segment.endIndex - last.count
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            var found = false
            while cursor + piece.count <= end {
                if segment[cursor..<(cursor + piece.count)].elementsEqual(piece) {
                    cursor += piece.count
                    found = true
                    break
                }
                cursor += 1
            }
            if !found { return false }
        }
        return true
    }
}
