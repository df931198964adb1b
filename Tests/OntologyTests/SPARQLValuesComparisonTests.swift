import Testing
@testable import Ontology

/// `=`, `<` and the ORDER BY order (§17.3, §17.4.1.7, §15.1).
struct SPARQLValuesComparisonTests {
    @Test func numbersCompareByValueAcrossTypes() throws {
        #expect(try TermValues.equals(V.integer("1"), V.integer("01")))
        #expect(try TermValues.equals(V.integer("1"), V.decimal("1.0")))
        #expect(try TermValues.equals(V.decimal("1.5"), V.double("1.5E0")))
        #expect(try TermValues.equals(V.typed("1", "short"), V.float("1")))
        #expect(try !TermValues.equals(V.integer("1"), V.integer("2")))
        #expect(try !TermValues.equals(V.double("NaN"), V.double("NaN")))
        #expect(try TermValues.compare(V.integer("2"), V.decimal("10.5")) == -1)
        #expect(try TermValues.compare(V.double("1e1"), V.integer("10")) == 0)
        #expect(throws: ExpressionError.self) { try TermValues.compare(V.double("NaN"), V.integer("1")) }
    }

    @Test func stringsAndLanguageTags() throws {
        #expect(try TermValues.equals(V.string("xyz"), V.typed("xyz", XSD.string)))
        #expect(try TermValues.equals(V.lang("xyz", "en"), V.lang("xyz", "EN")))
        #expect(try !TermValues.equals(V.lang("xyz", "en"), V.string("xyz")))
        #expect(try !TermValues.equals(V.lang("xyz", "en"), V.lang("xyz", "fr")))
        #expect(try TermValues.compare(V.string("a"), V.string("b")) == -1)
        // Code point order, not canonical equivalence: precomposed é (U+00E9) sorts after e + U+0301.
        #expect(try !TermValues.equals(V.string("\u{E9}"), V.string("e\u{301}")))
        #expect(try TermValues.compare(V.string("e\u{301}"), V.string("\u{E9}")) == -1)
        #expect(throws: ExpressionError.self) { try TermValues.compare(V.string("a"), V.lang("b", "en")) }
        #expect(throws: ExpressionError.self) { try TermValues.compare(V.string("1"), V.integer("1")) }
    }

    @Test func differentKnownTypesAreUnequal() throws {
        #expect(try !TermValues.equals(V.integer("1"), V.string("1")))
        #expect(try !TermValues.equals(V.boolean(true), V.integer("1")))
        #expect(try !TermValues.equals(V.dateTime("2006-08-23T00:00:00Z"), V.date("2006-08-23Z")))
        #expect(try !TermValues.equals(.iri("http://a"), V.string("http://a")))
        #expect(try TermValues.equals(.iri("http://a"), .iri("http://a")))
        #expect(try !TermValues.equals(.blankNode(BlankNode("a")), .blankNode(BlankNode("b"))))
    }

    @Test func unknownAndIllTypedLiterals() throws {
        let a = V.typed("a", V.unknown)
        #expect(try TermValues.equals(a, a))
        #expect(throws: ExpressionError.self) { try TermValues.equals(a, V.typed("b", V.unknown)) }
        #expect(throws: ExpressionError.self) { try TermValues.equals(a, V.string("a")) }
        // A language-tagged string is known to differ from any typed literal.
        #expect(try !TermValues.equals(V.lang("a", "en"), a))
        #expect(try !TermValues.equals(V.lang("xyz", "en"), V.integer("xyz")))
        #expect(try TermValues.equals(V.integer("xyz"), V.integer("xyz")))
        #expect(throws: ExpressionError.self) { try TermValues.equals(V.string("xyz"), V.integer("xyz")) }
        #expect(throws: ExpressionError.self) { try TermValues.compare(a, a) }
    }

    @Test func booleans() throws {
        #expect(try TermValues.equals(V.boolean(true), V.typed("1", XSD.boolean)))
        #expect(try TermValues.compare(V.boolean(false), V.boolean(true)) == -1)
    }

    @Test func dateTimesWithTimezones() throws {
        #expect(try TermValues.equals(V.dateTime("2002-04-02T23:00:00-04:00"), V.dateTime("2002-04-03T02:00:00-01:00")))
        #expect(try TermValues.equals(V.dateTime("1999-12-31T24:00:00"), V.dateTime("2000-01-01T00:00:00")))
        #expect(try TermValues.equals(V.dateTime("2008-04-01T00:00:00.00Z"), V.dateTime("2008-04-01T00:00:00Z")))
        #expect(try !TermValues.equals(V.dateTime("2005-04-04T24:00:00"), V.dateTime("2005-04-04T00:00:00")))
        #expect(try TermValues.compare(V.dateTime("2008-10-01T00:00:00Z"), V.dateTime("2008-10-03T00:00:00")) == -1)
        #expect(try TermValues.compare(V.dateTime("2008-10-03T00:00:00"), V.dateTime("2008-10-01T00:00:00Z")) == 1)
    }

    @Test func indeterminateComparisonsAreErrors() throws {
        // XSD 1.0 §3.2.7.4: a local value could be anywhere from -14:00 to +14:00.
        #expect(throws: ExpressionError.self) { try TermValues.equals(V.date("2006-08-23Z"), V.date("2006-08-23")) }
        #expect(throws: ExpressionError.self) {
            try TermValues.equals(V.dateTime("2002-04-02T23:00:00"), V.dateTime("2002-04-02T23:00:00+06:00"))
        }
        #expect(throws: ExpressionError.self) {
            try TermValues.compare(V.dateTime("2002-04-02T12:00:00Z"), V.dateTime("2002-04-02T20:00:00"))
        }
        // More than 14 hours apart: determinate.
        #expect(try !TermValues.equals(V.date("2001-01-01Z"), V.date("2006-08-23")))
        #expect(try TermValues.compare(V.date("2006-08-23Z"), V.date("2006-08-22")) == 1)
        #expect(throws: ExpressionError.self) { try TermValues.compare(V.dateTime("2006-08-23T09:00:00+01:00"), V.date("2006-08-22")) }
    }

    @Test func invalidDatesAreIllTyped() throws {
        for lexical in ["2001-02-29", "2001-13-01", "01-01-01", "2001-1-01", "02001-01-01"] {
            #expect(throws: ExpressionError.self) { try TermValues.compare(V.date(lexical), V.date("2001-01-01")) }
        }
        #expect(try TermValues.compare(V.date("2000-02-29"), V.date("2000-03-01")) == -1)
        #expect(try TermValues.compare(V.dateTime("-0044-03-15T12:00:00Z"), V.dateTime("0001-01-01T00:00:00Z")) == -1)
    }

    @Test func orderByPutsKindsInOrder() {
        let terms: [Term?] = [
            V.string("b"), nil, .iri("http://z"), V.integer("10"), .blankNode(BlankNode("x")), V.decimal("2.5"),
            V.lang("a", "en"), .iri("http://a"), V.double("NaN"), V.typed("q", V.unknown), V.boolean(true),
            V.dateTime("2001-01-01T00:00:00Z"), V.string("a"),
        ]
        let sorted = terms.sorted { TermValues.orderCompare($0, $1) < 0 }
        let expected: [Term?] = [
            nil, .blankNode(BlankNode("x")), .iri("http://a"), .iri("http://z"), V.double("NaN"), V.decimal("2.5"),
            V.integer("10"), V.boolean(true), V.dateTime("2001-01-01T00:00:00Z"), V.string("a"), V.lang("a", "en"),
            V.string("b"), V.typed("q", V.unknown),
        ]
        #expect(sorted == expected)
    }

    @Test func orderByIsATotalOrder() {
        let terms: [Term?] = [
            nil, V.integer("1"), V.decimal("1.0"), V.double("1"), V.float("1"), V.integer("01"), V.typed("1", "short"),
            V.string("1"), V.lang("1", "en"), V.lang("1", "fr"), V.integer("abc"), V.typed("1", V.unknown),
            V.date("2006-08-23"), V.date("2006-08-23Z"), V.date("2006-08-23+01:00"), V.boolean(false),
            V.typed("0", XSD.boolean), V.double("-INF"), V.double("NaN"), .iri("http://a"), .blankNode(BlankNode("a")),
        ]
        for a in terms {
            #expect(TermValues.orderCompare(a, a) == 0)
            for b in terms {
                let ab = TermValues.orderCompare(a, b)
                #expect(ab == -TermValues.orderCompare(b, a))
                if ab == 0 { #expect(a == b) }
                for c in terms where ab < 0 && TermValues.orderCompare(b, c) < 0 {
                    #expect(TermValues.orderCompare(a, c) < 0)
                }
            }
        }
    }

    @Test func orderByAgreesWithCompare() throws {
        #expect(TermValues.orderCompare(V.integer("2"), V.decimal("10")) < 0)
        #expect(TermValues.orderCompare(V.date("2006-08-22"), V.date("2006-08-23Z")) < 0)
        #expect(TermValues.orderCompare(V.string("B"), V.string("a")) < 0)
    }

    @Test func canonicalizedLiteralsCompareByValue() {
        #expect(TermValues.canonicalized(V.integer("01")) == V.integer("1"))
        #expect(TermValues.canonicalized(V.decimal("2.0")) == V.decimal("2"))
        #expect(TermValues.canonicalized(V.double("3")) == V.double("3.0E0"))
        #expect(TermValues.canonicalized(V.float("1E0")) == V.float("1.0E0"))
        #expect(TermValues.canonicalized(V.typed("+05", "short")) == V.typed("5", "short"))
        #expect(TermValues.canonicalized(V.typed("1", XSD.boolean)) == V.boolean(true))
        #expect(TermValues.canonicalized(V.dateTime("2002-10-10T17:00:00.000+00:00")) == V.dateTime("2002-10-10T17:00:00Z"))
        #expect(TermValues.canonicalized(V.integer("abc")) == V.integer("abc"))
        #expect(TermValues.canonicalized(V.lang("a", "en")) == V.lang("a", "en"))
    }
}
