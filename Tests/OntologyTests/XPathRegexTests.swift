import Testing
@testable import Ontology

/// The REGEX/REPLACE matcher runs in linear time, reports what a backtracking engine reports,
/// and stops at the query's deadline.
struct XPathRegexTests {
    private func firstMatch(_ pattern: String, _ text: String, flags: String = "") throws -> (Range<Int>, [Range<Int>?])? {
        let program = try XPathRegex.compile(pattern, flags: flags)
        return program.firstMatch(in: Array(text.unicodeScalars)).map { ($0.range, $0.groups) }
    }

    @Test(arguments: ["^(a+)+$", "(a|aa)+$", "(a*)*b", "(x+x+)+y", "(a|b|ab)*c"])
    func catastrophicPatternsAreLinear(_ pattern: String) throws {
        let text = Array((String(repeating: "a", count: 3000) + "!").unicodeScalars)
        let program = try XPathRegex.compile(pattern, flags: "")
        let started = ContinuousClock.now
        _ = try program.isMatch(in: text)
        // A backtracking engine takes longer than the universe on these; a debug build of the
        // linear one, milliseconds.
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func leftmostFirstAsABacktrackingEngine() throws {
        #expect(try firstMatch("a|ab", "ab")?.0 == 0..<1)
        #expect(try firstMatch("(a+?)(b*)", "aab")?.1 == [0..<1, 1..<1])
        #expect(try firstMatch("(a|b)*", "ab")?.1 == [1..<2])
        #expect(try firstMatch("x(y)?", "x")?.1 == [nil])
        #expect(try firstMatch("^b", "a\nb", flags: "m")?.0 == 2..<3)
        #expect(try firstMatch("^b", "a\nb") == nil)
        #expect(try firstMatch("a.c", "a\nc") == nil)
        #expect(try firstMatch("a.c", "a\nc", flags: "s")?.0 == 0..<3)
        #expect(try firstMatch("[a-z-[aeiou]]+", "aeixyz")?.0 == 3..<6)
        #expect(try firstMatch("\\p{IsGreek}+", "abc\u{3B1}\u{3B2}")?.0 == 3..<5)
        #expect(try firstMatch("ABC", "xabc", flags: "i")?.0 == 1..<4)
    }

    @Test(arguments: ["(a)\\1", "a{2,1}", "[z-a]", "(?=a)", "((a{1000}){1000})"])
    func patternsItCannotRunAreRefused(_ pattern: String) {
        #expect(throws: ExpressionError.self) { try XPathRegex.compile(pattern, flags: "") }
    }

    @Test func aPassedDeadlineStopsTheMatch() throws {
        let program = try XPathRegex.compile("(a|aa)+$", flags: "")
        let text = Array((String(repeating: "a", count: 10_000) + "!").unicodeScalars)
        #expect(throws: ExpressionError.self) { try program.isMatch(in: text, deadline: ContinuousClock.now - .seconds(1)) }
    }
}
