/// Resolves relative IRI references against a base IRI, following RFC 3986 §5.2.
///
/// The base is split into its components once, so resolving many references against the same
/// base (as RDF/XML and Turtle parsers do) costs only the work on the reference itself.
///
/// ```swift
/// let resolver = IRIResolver(base: "http://example.org/a/b/c")
/// resolver.resolve("../d#e")   // "http://example.org/a/d#e"
/// ```
public struct IRIResolver: Sendable {
    /// The base IRI, as given.
    public var base: String { storage.base }
    // A class, so that copying a resolver (parsers keep one per open element) is one retain.
    private let storage: Storage

    private final class Storage: Sendable {
        let base: String
        let parts: IRIComponents
        /// `scheme://authority/path/up/to/last/slash/`, for the common relative path reference.
        let directory: String?
        /// The base without its fragment, for `#fragment` references.
        let withoutFragment: String

        init(base: String, parts: IRIComponents) {
            self.base = base
            self.parts = parts
            var stripped = parts
            stripped.fragment = nil
            withoutFragment = stripped.recomposed()
            if parts.authority != nil, let slash = parts.path.lastIndex(of: "/"),
                !parts.path.contains("/.") {
                var prefix = parts
                prefix.path = String(parts.path[...slash])
                prefix.query = nil
                prefix.fragment = nil
                directory = prefix.recomposed()
            } else {
                directory = nil
            }
        }
    }

    /// Makes a resolver for an absolute base IRI. Returns nil when `base` has no scheme.
    public init?(base: String) {
        let parts = IRIComponents(base)
        guard parts.scheme != nil else { return nil }
        storage = Storage(base: base, parts: parts)
    }

    /// Whether a string starts with a scheme (`letter *(letter / digit / "+" / "-" / ".") ":"`).
    public static func hasScheme(_ reference: String) -> Bool {
        IRIComponents.schemeEnd(reference.utf8) != nil
    }

    /// The absolute IRI that `reference` denotes against this base.
    public func resolve(_ reference: String) -> String {
        if let fast = fastResolve(reference) { return fast }
        let parts = storage.parts
        let r = IRIComponents(reference)
        var target = IRIComponents()
        if r.scheme != nil {
            target = r
            target.path = IRIComponents.removeDotSegments(r.path)
        } else {
            if r.authority != nil {
                target.authority = r.authority
                target.path = IRIComponents.removeDotSegments(r.path)
                target.query = r.query
            } else {
                if r.path.isEmpty {
                    target.path = parts.path
                    target.query = r.query ?? parts.query
                } else {
                    if r.path.hasPrefix("/") {
                        target.path = IRIComponents.removeDotSegments(r.path)
                    } else {
                        target.path = IRIComponents.removeDotSegments(merge(r.path))
                    }
                    target.query = r.query
                }
                target.authority = parts.authority
            }
            target.scheme = parts.scheme
        }
        target.fragment = r.fragment
        return target.recomposed()
    }

    /// The common cases, answered without splitting the reference: an absolute IRI with no dot
    /// segment, a fragment, and a relative path made of plain segments.
    private func fastResolve(_ reference: String) -> String? {
        let bytes = reference.utf8
        guard let first = bytes.first else { return nil }
        if first == UInt8(ascii: "#") { return storage.withoutFragment + reference }
        // An absolute IRI is taken as written: RDF syntaxes resolve only relative references,
        // so `ex://a/./b` stays as it is (RFC 3986 would remove the dot segment).
        if IRIComponents.schemeEnd(bytes) != nil { return reference }
        if first == UInt8(ascii: "/") || first == UInt8(ascii: "?") { return nil }
        var inFirstSegment = true
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "?"): return nil
            case UInt8(ascii: ":") where inFirstSegment: return nil
            case UInt8(ascii: "/"): inFirstSegment = false
            case UInt8(ascii: "#"): break
            default: continue
            }
            if byte == UInt8(ascii: "#") { break }
        }
        guard let directory = storage.directory, !IRIComponents.hasDotSegment(bytes) else { return nil }
        return directory + reference
    }

    /// RFC 3986 §5.2.3.
    private func merge(_ path: String) -> String {
        let parts = storage.parts
        if parts.authority != nil && parts.path.isEmpty { return "/" + path }
        guard let slash = parts.path.lastIndex(of: "/") else { return path }
        return String(parts.path[...slash]) + path
    }
}

/// The five components of an IRI reference (RFC 3986 §3), split without validation.
struct IRIComponents: Sendable {
    var scheme: String?
    var authority: String?
    var path: String = ""
    var query: String?
    var fragment: String?

    init() {}

    init(_ string: String) {
        var rest = Substring(string)
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        if let end = IRIComponents.schemeEnd(rest.utf8) {
            let colon = rest.utf8.index(rest.startIndex, offsetBy: end)
            scheme = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            authority = String(rest[..<end])
            rest = rest[end...]
        }
        path = String(rest)
    }

    /// The offset of the colon that ends a scheme, if the string starts with one.
    static func schemeEnd<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        var offset = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                break
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if offset == 0 { return nil }
            case UInt8(ascii: ":"):
                return offset == 0 ? nil : offset
            default:
                return nil
            }
            offset += 1
        }
        return nil
    }

    /// Whether a path may hold a `.` or `..` segment (checked up to the query or fragment).
    static func hasDotSegment(_ bytes: String.UTF8View) -> Bool {
        var previous: UInt8 = UInt8(ascii: "/")
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { return false }
            if byte == UInt8(ascii: ".") && previous == UInt8(ascii: "/") {
                // A segment starting with a dot: a dot segment unless more follows it.
                var next = iterator.next()
                if next == UInt8(ascii: ".") { next = iterator.next() }
                if next == nil || next == UInt8(ascii: "/") || next == UInt8(ascii: "?") || next == UInt8(ascii: "#") {
                    return true
                }
                previous = next ?? 0
                continue
            }
            previous = byte
        }
        return false
    }

    /// RFC 3986 §5.2.4, with a fast path for paths that have no dot segment.
    static func removeDotSegments(_ path: String) -> String {
        if !path.contains(".") { return path }
        var input = Substring(path)
        var output: [Substring] = []
        // Each element of `output` is a segment including its leading "/" (if any).
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = input.dropFirst(2)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") {
                input = input.dropFirst(3)
                if !output.isEmpty { output.removeLast() }
            } else if input == "/.." {
                input = "/"
                if !output.isEmpty { output.removeLast() }
            } else if input == "." || input == ".." {
                input = ""
            } else {
                var end = input.startIndex
                if input.first == "/" { end = input.index(after: end) }
                end = input[end...].firstIndex(of: "/") ?? input.endIndex
                output.append(input[..<end])
                input = input[end...]
            }
        }
        return output.joined()
    }

    func recomposed() -> String {
        var result = ""
        if let scheme { result += scheme + ":" }
        if let authority { result += "//" + authority }
        result += path
        if let query { result += "?" + query }
        if let fragment { result += "#" + fragment }
        return result
    }
}
