/// Compiled patterns of one query, keyed by flags and pattern.
///
/// A FILTER(REGEX(?x, "…")) runs once per solution; compiling its pattern each time would
/// dominate the query. The cache is bounded, since patterns may come from the data.
struct RegexCache: Sendable {
    private var entries: [String: XPathRegexProgram] = [:]
    private static let capacity = 256

    init() {}

    /// The compiled program for a pattern and flags, compiling it on first use.
    mutating func regex(_ pattern: String, flags: String) throws -> XPathRegexProgram {
        let key = flags + "\u{0}" + pattern
        if let cached = entries[key] { return cached }
        let program = try XPathRegex.compile(pattern, flags: flags)
        if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = program
        return program
    }
}
