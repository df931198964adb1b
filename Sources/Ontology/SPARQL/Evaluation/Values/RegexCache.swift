/// Compiled patterns of one query, keyed by flags and pattern.
///
/// A FILTER(REGEX(?x, "…")) runs once per solution; compiling its pattern each time would
/// dominate the query. The cache is bounded, since patterns may come from the data.
struct RegexCache: @unchecked Sendable {
    // @unchecked: `Regex<AnyRegexOutput>` is not Sendable only because its output type is
    // not; the regex itself holds an immutable tree and compiles its program lazily behind an
    // atomic reference (swift-experimental-string-processing, `Regex.Program`), so sharing
    // one between threads is safe. Matches (which carry the output) never leave a call.
    private var entries: [String: Regex<AnyRegexOutput>] = [:]
    private static let capacity = 256

    init() {}

    /// The compiled regex for a pattern and flags, compiling it on first use.
    mutating func regex(_ pattern: String, flags: String) throws -> Regex<AnyRegexOutput> {
        let key = flags + "\u{0}" + pattern
        if let cached = entries[key] { return cached }
        let regex = try XPathRegex.compile(pattern, flags: flags)
        if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = regex
        return regex
    }
}
