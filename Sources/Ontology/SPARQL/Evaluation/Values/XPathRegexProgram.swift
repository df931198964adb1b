/// A compiled XPath regular expression (from ``XPathRegex/compile(_:flags:)``), matched in
/// time linear in the length of the text.
///
/// Backtracking engines, Swift Regex among them, take exponential time on patterns such as
/// `^(a+)+$` against `aaaa…!`, and a REGEX filter cannot be interrupted; a query's timeout
/// would not save the server. This program runs on ``XPathRegexVM``, which follows all the
/// ways the pattern can match at once, so each scalar of the text costs at most the size of
/// the program. That rules out back-references (as RE2, Rust's regex crate and Oxigraph do).
///
/// Matching works on Unicode scalars, the "characters" of XPath, and gives the match and
/// groups a Perl-style engine would report: leftmost match, earlier alternatives and greedy
/// or lazy quantifiers preferred as written.
struct XPathRegexProgram: Sendable {
    let instructions: [XPathRegexInstruction]
    /// The sets that `set` instructions name.
    let sets: [XPathCharSet]
    /// Capture and loop slots per thread (see ``XPathRegexCompiler``).
    let slotCount: Int
    /// The number of capturing groups.
    let groupCount: Int
    /// Flag `i`: sets match a scalar when one of its case variants is in them.
    let caseInsensitive: Bool
    /// Whether the pattern starts with `^` (without flag `m`), so that a search can stop
    /// once no thread started at position 0 survives.
    let isAnchoredAtStart: Bool
    private var emptyMatch: Bool

    init(instructions: [XPathRegexInstruction], sets: [XPathCharSet], slotCount: Int,
         groupCount: Int, caseInsensitive: Bool) {
        self.instructions = instructions
        self.sets = sets
        self.slotCount = slotCount
        self.groupCount = groupCount
        self.caseInsensitive = caseInsensitive
        self.isAnchoredAtStart = instructions.count > 1 && instructions[1] == .assert(.textStart)
        self.emptyMatch = false
        var vm = XPathRegexVM(program: self)
        self.emptyMatch = vm.run([], from: 0, earliest: true) != nil
    }

    /// Whether the pattern matches somewhere in `text` (REGEX).
    /// - Throws: ``ExpressionError`` when `deadline` passes first.
    func isMatch(in text: [Unicode.Scalar], deadline: ContinuousClock.Instant? = nil) throws -> Bool {
        var vm = XPathRegexVM(program: self, deadline: deadline)
        let found = vm.run(text, from: 0, earliest: true) != nil
        try vm.checkTime()
        return found
    }

    /// The leftmost match that starts at or after the offset `start`; nil if there is none
    /// or `start` is outside the text. Anchors still refer to the whole text.
    func firstMatch(in text: [Unicode.Scalar], from start: Int = 0) -> XPathRegexMatch? {
        var vm = XPathRegexVM(program: self)
        return vm.run(text, from: start, earliest: false).map(match)
    }

    /// The successive non-overlapping matches, left to right (REPLACE): each search starts
    /// where the previous match ended, or one scalar further after an empty match.
    /// - Throws: ``ExpressionError`` when `deadline` passes first.
    func matches(in text: [Unicode.Scalar], deadline: ContinuousClock.Instant? = nil) throws -> [XPathRegexMatch] {
        var vm = XPathRegexVM(program: self, deadline: deadline)
        var found: [XPathRegexMatch] = []
        var start = 0
        while start <= text.count, let slots = vm.run(text, from: start, earliest: false) {
            let next = match(slots)
            found.append(next)
            start = next.range.isEmpty ? next.range.upperBound + 1 : next.range.upperBound
        }
        try vm.checkTime()
        return found
    }

    /// Whether the pattern matches the empty string (REPLACE refuses such patterns, XPath
    /// `FORX0003`).
    func matchesEmptyString() -> Bool { emptyMatch }

    /// The match that the slots of a matching thread describe.
    private func match(_ slots: [Int]) -> XPathRegexMatch {
        func range(_ group: Int) -> Range<Int>? {
            guard 2 * group + 1 < slots.count else { return nil }
            let lower = slots[2 * group]
            let upper = slots[2 * group + 1]
            return lower >= 0 && upper >= lower ? lower..<upper : nil
        }
        let groups = groupCount > 0 ? (1...groupCount).map(range) : []
        return XPathRegexMatch(range: range(0) ?? 0..<0, groups: groups)
    }
}
