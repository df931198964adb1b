import Testing
@testable import Ontology

/// String functions, REGEX and REPLACE (§17.4.3).
struct SPARQLValuesStringTests {
    var context = FunctionContext(random: RandomSource(seed: 1))

    mutating func call(_ function: BuiltInFunction, _ arguments: Term...) throws -> Term {
        try BuiltInFunctions.call(function, arguments, context: &context)
    }

    /// U+1F468 U+200D U+1F469 U+200D U+1F467 U+200D U+1F466: one grapheme, seven code points.
    let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}"

    @Test mutating func strlenCountsCodePoints() throws {
        #expect(try call(.strlen, V.string("食べ物")) == V.integer("3"))
        #expect(try call(.strlen, V.string(family)) == V.integer("7"))
        #expect(try call(.strlen, V.string("\u{1F46A}")) == V.integer("1"))
        #expect(try call(.strlen, V.lang("chat", "fr")) == V.integer("4"))
        #expect(throws: ExpressionError.self) { try call(.strlen, V.integer("3")) }
        #expect(throws: ExpressionError.self) { try call(.strlen, .iri("http://a")) }
    }

    @Test mutating func substrFollowsXPath() throws {
        #expect(try call(.substr, V.string("食べ物"), V.integer("2")) == V.string("べ物"))
        #expect(try call(.substr, V.lang("bar", "en"), V.integer("1"), V.integer("1")) == V.lang("b", "en"))
        #expect(try call(.substr, V.string("12345"), V.integer("0"), V.integer("3")) == V.string("12"))
        #expect(try call(.substr, V.string("12345"), V.decimal("1.5"), V.decimal("2.6")) == V.string("234"))
        #expect(try call(.substr, V.string("12345"), V.integer("-3"), V.integer("5")) == V.string("1"))
        #expect(try call(.substr, V.string("12345"), V.double("NaN")) == V.string(""))
        // Code points, not graphemes: the second code point of the family is the joiner.
        #expect(try call(.substr, V.string(family), V.integer("2"), V.integer("1")) == V.string("\u{200D}"))
        #expect(throws: ExpressionError.self) { try call(.substr, V.string("abc"), V.string("1")) }
    }

    @Test mutating func caseMapping() throws {
        #expect(try call(.ucase, V.lang("foo", "en")) == V.lang("FOO", "en"))
        #expect(try call(.lcase, V.string("BAZ")) == V.string("baz"))
        #expect(try call(.ucase, V.string("straße")) == V.string("STRASSE"))
    }

    @Test mutating func encodeForURI() throws {
        #expect(try call(.encodeForURI, V.string("Los Angeles")) == V.string("Los%20Angeles"))
        #expect(try call(.encodeForURI, V.string("100%")) == V.string("100%25"))
        #expect(try call(.encodeForURI, V.lang("食べ物", "ja")) == V.string("%E9%A3%9F%E3%81%B9%E7%89%A9"))
        #expect(try call(.encodeForURI, V.string("a-b_c.d~e/f")) == V.string("a-b_c.d~e%2Ff"))
    }

    @Test mutating func argumentCompatibility() throws {
        #expect(try call(.contains, V.string("abc"), V.string("b")) == V.boolean(true))
        #expect(try call(.contains, V.lang("abc", "en"), V.string("b")) == V.boolean(true))
        #expect(try call(.contains, V.lang("abc", "en"), V.lang("b", "en")) == V.boolean(true))
        #expect(throws: ExpressionError.self) { try call(.contains, V.lang("abc", "en"), V.lang("b", "fr")) }
        #expect(throws: ExpressionError.self) { try call(.contains, V.string("abc"), V.lang("b", "en")) }
        #expect(throws: ExpressionError.self) { try call(.strStarts, V.integer("12"), V.string("1")) }
        #expect(try call(.strStarts, V.string("100%"), V.string("1")) == V.boolean(true))
        #expect(try call(.strEnds, V.string("abc"), V.string("bc")) == V.boolean(true))
        #expect(try call(.strEnds, V.string("abc"), V.string("")) == V.boolean(true))
        // e + combining acute does not start with é, nor é with e: code points, not characters.
        #expect(try call(.strStarts, V.string("e\u{301}"), V.string("e")) == V.boolean(true))
        #expect(try call(.strStarts, V.string("\u{E9}"), V.string("e")) == V.boolean(false))
    }

    @Test mutating func strBeforeAndAfterResultTags() throws {
        #expect(try call(.strBefore, V.lang("abc", "en"), V.string("b")) == V.lang("a", "en"))
        #expect(try call(.strBefore, V.lang("abc", "en"), V.string("")) == V.lang("", "en"))
        #expect(try call(.strBefore, V.lang("abc", "en"), V.string("xyz")) == V.string(""))
        #expect(try call(.strBefore, V.string("abc"), V.string("bc")) == V.string("a"))
        #expect(try call(.strAfter, V.lang("abc", "en"), V.string("b")) == V.lang("c", "en"))
        #expect(try call(.strAfter, V.lang("abc", "en"), V.lang("", "en")) == V.lang("abc", "en"))
        #expect(try call(.strAfter, V.string("abc"), V.string("xyz")) == V.string(""))
        #expect(try call(.strAfter, V.string("食べ物"), V.string("べ")) == V.string("物"))
        #expect(throws: ExpressionError.self) { try call(.strBefore, V.string("abc"), V.lang("b", "cy")) }
    }

    @Test mutating func concatKeepsOnlyACommonTag() throws {
        #expect(try call(.concat, V.string("abc"), V.typed("DEF", XSD.string)) == V.string("abcDEF"))
        #expect(try call(.concat, V.lang("a", "en"), V.lang("b", "en")) == V.lang("ab", "en"))
        #expect(try call(.concat, V.lang("a", "en"), V.lang("b", "fr")) == V.string("ab"))
        #expect(try call(.concat, V.lang("a", "en"), V.string("b")) == V.string("ab"))
        #expect(try call(.concat) == V.string(""))
        #expect(try call(.concat, V.lang("a", "en")) == V.lang("a", "en"))
        #expect(throws: ExpressionError.self) { try call(.concat, V.string("a"), V.integer("1")) }
    }

    @Test mutating func regexFlags() throws {
        #expect(try call(.regex, V.string("Alice"), V.string("^ali"), V.string("i")) == V.boolean(true))
        #expect(try call(.regex, V.string("Alice"), V.string("^ali")) == V.boolean(false))
        #expect(try call(.regex, V.lang("a\nb", "en"), V.string("a.b")) == V.boolean(false))
        #expect(try call(.regex, V.string("a\nb"), V.string("a.b"), V.string("s")) == V.boolean(true))
        #expect(try call(.regex, V.string("a\nb"), V.string("^b$")) == V.boolean(false))
        #expect(try call(.regex, V.string("a\nb"), V.string("^b$"), V.string("m")) == V.boolean(true))
        #expect(try call(.regex, V.string("abc"), V.string("a b c"), V.string("x")) == V.boolean(true))
        #expect(try call(.regex, V.string("a b"), V.string("a[ ]b"), V.string("x")) == V.boolean(true))
        #expect(try call(.regex, V.string("a.c"), V.string("."), V.string("q")) == V.boolean(true))
        #expect(try call(.regex, V.string("abc"), V.string("."), V.string("q")) == V.boolean(false))
        #expect(try call(.regex, V.string(family), V.string("^.{7}$")) == V.boolean(true))
        // XPath character class subtraction.
        #expect(try call(.regex, V.string("b"), V.string("^[a-z-[aeiou]]$")) == V.boolean(true))
        #expect(try call(.regex, V.string("e"), V.string("^[a-z-[aeiou]]$")) == V.boolean(false))
        #expect(try call(.regex, V.string("a-"), V.string("^[a\\-]+$")) == V.boolean(true))
        #expect(throws: ExpressionError.self) { try call(.regex, V.string("a"), V.string("a"), V.string("k")) }
        #expect(throws: ExpressionError.self) { try call(.regex, V.string("a"), V.string("(")) }
        #expect(throws: ExpressionError.self) { try call(.regex, V.string("a"), V.lang("a", "en")) }
        #expect(throws: ExpressionError.self) { try call(.regex, V.integer("1"), V.string("1")) }
    }

    @Test mutating func replace() throws {
        #expect(try call(.replace, V.string("banana"), V.string("ana"), V.string("*")) == V.string("b*na"))
        #expect(try call(.replace, V.lang("english", "en"), V.string("[^a-z0-9]"), V.string("-")) == V.lang("english", "en"))
        #expect(try call(.replace, V.lang("français", "fr"), V.string("[^a-z0-9]"), V.string("-")) == V.lang("fran-ais", "fr"))
        #expect(try call(.replace, V.string("abcd"), V.string("(ab)|(a)"), V.string("[1=$1][2=$2]"))
            == V.string("[1=ab][2=]cd"))
        #expect(try call(.replace, V.string("aAbBaC"), V.string("a"), V.string("~/"), V.string("i"))
            == V.string("~/~/bB~/C"))
        #expect(try call(.replace, V.string("a.b.c"), V.string("."), V.string("\\$"), V.string("q"))
            == V.string("a$b$c"))
        #expect(try call(.replace, V.string("abc"), V.string("(b)"), V.string("$10")) == V.string("ab0c"))
        #expect(try call(.replace, V.string("abc"), V.string("b"), V.string("\\\\")) == V.string("a\\c"))
        #expect(throws: ExpressionError.self) { try call(.replace, V.string("abc"), V.string("b"), V.string("$")) }
        #expect(throws: ExpressionError.self) { try call(.replace, V.string("abc"), V.string("b"), V.string("\\n")) }
        #expect(throws: ExpressionError.self) { try call(.replace, V.string("abc"), V.string("x*"), V.string("-")) }
    }

    @Test func regexCacheReusesCompiledPatterns() throws {
        var cache = RegexCache()
        _ = try cache.regex("a+", flags: "i")
        _ = try cache.regex("a+", flags: "i")
        #expect(throws: ExpressionError.self) { try cache.regex("[", flags: "") }
    }

    @Test mutating func langMatches() throws {
        #expect(try call(.langMatches, V.string("en-GB"), V.string("en")) == V.boolean(true))
        #expect(try call(.langMatches, V.string("en"), V.string("EN")) == V.boolean(true))
        #expect(try call(.langMatches, V.string("english"), V.string("en")) == V.boolean(false))
        #expect(try call(.langMatches, V.string("de-Latn-de"), V.string("de-de")) == V.boolean(false))
        #expect(try call(.langMatches, V.string("fr"), V.string("*")) == V.boolean(true))
        #expect(try call(.langMatches, V.string(""), V.string("*")) == V.boolean(false))
        #expect(throws: ExpressionError.self) { try call(.langMatches, V.lang("en", "en"), V.string("en")) }
    }
}
