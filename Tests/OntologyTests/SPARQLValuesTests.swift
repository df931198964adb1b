import Testing
@testable import Ontology

/// Helpers shared by the SPARQLValues test files.
enum V {
    static func string(_ value: String) -> Term { .literal(Literal(value)) }
    static func lang(_ value: String, _ tag: String) -> Term { .literal(Literal(value, language: tag)) }
    static func typed(_ value: String, _ datatype: IRI) -> Term { .literal(Literal(value, datatype: datatype)) }
    static func typed(_ value: String, _ local: String) -> Term { typed(value, IRI(XSD.namespace + local)) }
    static func integer(_ value: String) -> Term { typed(value, XSD.integer) }
    static func decimal(_ value: String) -> Term { typed(value, XSD.decimal) }
    static func double(_ value: String) -> Term { typed(value, XSD.double) }
    static func float(_ value: String) -> Term { typed(value, XSD.float) }
    static func boolean(_ value: Bool) -> Term { typed(value ? "true" : "false", XSD.boolean) }
    static func dateTime(_ value: String) -> Term { typed(value, XSD.dateTime) }
    static func date(_ value: String) -> Term { typed(value, XSD.date) }
    static let unknown = IRI("http://example.org/unknown")
}

/// XSDDecimal: exact parsing, canonical form, arithmetic.
struct SPARQLValuesDecimalTests {
    @Test(arguments: [
        ("1.0", "1"), ("+33.3300", "33.33"), ("-0.50", "-0.5"), ("0", "0"), ("-0", "0"), (".5", "0.5"),
        ("5.", "5"), ("007", "7"), ("123456789012345678.25", "123456789012345678.25"),
        ("0.000000000000000001", "0.000000000000000001"),
        // Digits beyond the 18th fractional one are truncated.
        ("0.1234567890123456789", "0.123456789012345678"),
    ])
    func canonicalForm(lexical: String, canonical: String) throws {
        let value = try #require(XSDDecimal(lexical))
        #expect(value.description == canonical)
    }

    @Test(arguments: ["", ".", "+", "1e3", "1.2.3", " 1", "1,5", "INF", "0x10", "170141183460469231732"])
    func invalidLexicalForms(lexical: String) {
        #expect(XSDDecimal(lexical) == nil)
    }

    @Test func arithmeticIsExact() throws {
        let a = try #require(XSDDecimal("1.1"))
        let b = try #require(XSDDecimal("2.2"))
        #expect(a.adding(b)?.description == "3.3")
        #expect(a.subtracting(b)?.description == "-1.1")
        #expect(a.multiplied(by: b)?.description == "2.42")
        #expect(XSDDecimal(1).divided(by: XSDDecimal(3))?.description == "0.333333333333333333")
        #expect(XSDDecimal(-2).divided(by: XSDDecimal(3))?.description == "-0.666666666666666666")
        #expect(XSDDecimal(1).divided(by: .zero) == nil)
        // Products far beyond 2^128 in scaled form still work.
        let big = try #require(XSDDecimal("12345678901234567890"))
        #expect(big.multiplied(by: try #require(XSDDecimal("0.5")))?.description == "6172839450617283945")
        #expect(big.multiplied(by: big) == nil)
    }

    @Test func rounding() throws {
        func round(_ text: String) throws -> String? { try #require(XSDDecimal(text)).rounded()?.description }
        #expect(try round("2.5") == "3")
        #expect(try round("-2.5") == "-2")
        #expect(try round("-2.51") == "-3")
        #expect(try round("-1.6") == "-2")
        #expect(try #require(XSDDecimal("-1.6")).ceiling()?.description == "-1")
        #expect(try #require(XSDDecimal("-1.6")).floor()?.description == "-2")
        #expect(try #require(XSDDecimal("1.1")).ceiling()?.description == "2")
    }

    @Test func fromDouble() {
        #expect(XSDDecimal(0.1)?.description == "0.1")
        #expect(XSDDecimal(1e20)?.description == "100000000000000000000")
        #expect(XSDDecimal(1e300) == nil)
        #expect(XSDDecimal(Double.nan) == nil)
        #expect(XSDDecimal(-7.875 as Float)?.description == "-7.875")
    }
}

/// Float and double lexical forms.
struct SPARQLValuesFloatingPointTests {
    @Test(arguments: [
        (1.5, "1.5E0"), (1.0, "1.0E0"), (0.0, "0.0E0"), (-0.0, "-0.0E0"), (32100.0, "3.21E4"), (0.2, "2.0E-1"),
        (1e-7, "1.0E-7"), (123456789.0, "1.23456789E8"), (Double.infinity, "INF"), (-Double.infinity, "-INF"),
        (Double.nan, "NaN"),
    ])
    func canonicalDouble(value: Double, canonical: String) {
        #expect(FloatingPointFormat.canonical(value) == canonical)
    }

    @Test func canonicalFloatUsesFloatDigits() {
        #expect(FloatingPointFormat.canonical(Float(1.1)) == "1.1E0")
        #expect(FloatingPointFormat.canonical(Float(-10200)) == "-1.02E4")
    }

    @Test(arguments: [
        ("1", 1.0), ("-10.2E3", -10200.0), ("+33.3300", 33.33), (".5", 0.5), ("5.", 5.0), ("5.e1", 50.0), ("1e0", 1.0),
        ("INF", Double.infinity), ("+INF", Double.infinity), ("-INF", -Double.infinity),
    ])
    func parsesDoubles(lexical: String, value: Double) {
        #expect(FloatingPointFormat.parseDouble(lexical) == value)
    }

    @Test(arguments: ["inf", "nan", "infinity", "0x1p3", "1e", "e3", "", ".", "1 ", "--1", "1e+", "1.0.0"])
    func rejectsNonXSDForms(lexical: String) {
        #expect(FloatingPointFormat.parseDouble(lexical) == nil)
    }

    @Test func parsesNaN() {
        #expect(FloatingPointFormat.parseDouble("NaN")?.isNaN == true)
    }

    @Test(arguments: [(1.0, "1"), (1.25, "1.25"), (-7.875, "-7.875"), (0.0, "0"), (-0.0, "-0"), (1e6, "1.0E6"),
                      (1e-6, "0.000001"), (1e-7, "1.0E-7"), (123456.5, "123456.5")])
    func xpathStringCast(value: Double, text: String) {
        #expect(FloatingPointFormat.xpathString(value) == text)
    }
}

/// Arithmetic with type promotion (§17.3, XPath op:numeric-*).
struct SPARQLValuesArithmeticTests {
    func apply(_ op: ArithmeticOperator, _ a: Term, _ b: Term) throws -> Term {
        try TermValues.arithmetic(op, a, b)
    }

    @Test func integerResultsAreCanonicalIntegers() throws {
        #expect(try apply(.add, V.integer("1"), V.integer("02")) == V.integer("3"))
        #expect(try apply(.multiply, V.integer("-4"), V.integer("3")) == V.integer("-12"))
        #expect(try apply(.subtract, V.integer("1"), V.integer("3")) == V.integer("-2"))
    }

    @Test func integerDivisionGivesDecimal() throws {
        #expect(try apply(.divide, V.integer("3"), V.integer("2")) == V.decimal("1.5"))
        #expect(try apply(.divide, V.integer("3"), V.integer("3")) == V.decimal("1"))
        #expect(try apply(.divide, V.integer("1"), V.integer("3")) == V.decimal("0.333333333333333333"))
    }

    @Test func divisionByZero() throws {
        #expect(throws: ExpressionError.self) { try apply(.divide, V.integer("1"), V.integer("0")) }
        #expect(throws: ExpressionError.self) { try apply(.divide, V.decimal("1.5"), V.decimal("0.0")) }
        #expect(try apply(.divide, V.double("1"), V.integer("0")) == V.double("INF"))
        #expect(try apply(.divide, V.integer("-1"), V.double("0")) == V.double("-INF"))
        #expect(try apply(.divide, V.double("0"), V.double("0")) == V.double("NaN"))
        #expect(try apply(.divide, V.float("1"), V.integer("0")) == V.float("INF"))
    }

    @Test(arguments: [
        ("integer", "integer", "integer"), ("integer", "decimal", "decimal"), ("decimal", "float", "float"),
        ("float", "double", "double"), ("integer", "double", "double"), ("short", "byte", "integer"),
        ("unsignedByte", "short", "integer"), ("nonNegativeInteger", "decimal", "decimal"), ("int", "float", "float"),
    ])
    func promotion(left: String, right: String, result: String) throws {
        let sum = try apply(.add, V.typed("1", left), V.typed("1", right))
        #expect(sum.literal?.datatype == IRI(XSD.namespace + result))
    }

    @Test func floatAndDoubleResults() throws {
        #expect(try apply(.add, V.double("1.5"), V.integer("1")) == V.double("2.5E0"))
        #expect(try apply(.multiply, V.float("1.5"), V.decimal("2")) == V.float("3.0E0"))
        #expect(try apply(.add, V.decimal("0.1"), V.decimal("0.2")) == V.decimal("0.3"))
    }

    @Test func nonNumbersAndIllTypedNumbersAreErrors() {
        #expect(throws: ExpressionError.self) { try apply(.add, V.string("1"), V.integer("2")) }
        #expect(throws: ExpressionError.self) { try apply(.add, V.integer("abc"), V.integer("2")) }
        #expect(throws: ExpressionError.self) { try apply(.add, V.typed("300", "byte"), V.integer("2")) }
        #expect(throws: ExpressionError.self) { try apply(.add, .iri("http://a"), V.integer("2")) }
        #expect(throws: ExpressionError.self) { try apply(.add, V.integer("9223372036854775807"), V.integer("1")) }
    }

    @Test func unaryOperators() throws {
        #expect(try TermValues.negate(V.integer("3")) == V.integer("-3"))
        #expect(try TermValues.negate(V.decimal("-1.50")) == V.decimal("1.5"))
        #expect(try TermValues.negate(V.double("3")) == V.double("-3.0E0"))
        #expect(try TermValues.unaryPlus(V.double("3")) == V.double("3"))
        #expect(throws: ExpressionError.self) { try TermValues.negate(V.string("3")) }
        #expect(throws: ExpressionError.self) { try TermValues.negate(V.integer("-9223372036854775808")) }
    }
}

/// Effective boolean value (§17.2.2).
struct SPARQLValuesBooleanTests {
    @Test(arguments: [
        (V.boolean(true), true), (V.boolean(false), false), (V.typed("1", XSD.boolean), true),
        (V.typed("maybe", XSD.boolean), false), (V.string(""), false), (V.string("foo"), true),
        (V.lang("chat", "fr"), true), (V.integer("0"), false), (V.integer("1"), true), (V.double("0.0"), false),
        (V.double("NaN"), false), (V.double("0.01"), true), (V.decimal("0.0"), false), (V.integer("abc"), false),
        (V.typed("0", "short"), false),
    ])
    func values(term: Term, expected: Bool) throws {
        #expect(try TermValues.effectiveBooleanValue(term) == expected)
    }

    @Test(arguments: [Term.iri("http://a"), .blankNode(BlankNode("b")), V.typed("x", V.unknown),
                      V.dateTime("2010-06-21T11:28:01Z")])
    func errors(term: Term) {
        #expect(throws: ExpressionError.self) { try TermValues.effectiveBooleanValue(term) }
    }
}
