/// The operators of SPARQL 1.1 on already-evaluated terms (§17.2-§17.4): effective boolean
/// value, arithmetic, and, in the `+Comparison` and `+Ordering` extensions, `=`, `<` and the
/// ORDER BY order.
///
/// Every function throws ``ExpressionError`` where SPARQL says the expression is an error; the
/// evaluator turns that into an unbound value or `false`.
///
/// ```swift
/// try TermValues.arithmetic(.divide, one, two)   // "0.5"^^xsd:decimal
/// try TermValues.effectiveBooleanValue(.literal(Literal("")))   // false
/// ```
enum TermValues {
    /// The effective boolean value (§17.2.2), used by FILTER, `&&`, `||`, `!` and IF.
    ///
    /// Booleans are their value; strings (simple or language-tagged, the "plain literals" of
    /// the rule) are true when non-empty; numbers are true unless zero or NaN. A literal of
    /// boolean or numeric datatype with an invalid lexical form is false. Anything else (IRIs,
    /// blank nodes, dates, other datatypes) is a type error.
    static func effectiveBooleanValue(_ term: Term) throws -> Bool {
        guard case .literal(let literal) = term else {
            throw ExpressionError.typeError("the effective boolean value", term)
        }
        switch LiteralValue(literal) {
        case .boolean(let value): return value
        case .string(let value): return !value.isEmpty
        case .langString(let value, _): return !value.isEmpty
        case .numeric(let value): return !value.isZeroOrNaN
        case .invalid(let literal):
            if literal.datatype == XSD.boolean || NumericDatatype(literal.datatype) != nil { return false }
            throw ExpressionError.typeError("the effective boolean value", term)
        case .dateTime, .unknown:
            throw ExpressionError.typeError("the effective boolean value", term)
        }
    }

    /// `a + b`, `a - b`, `a * b`, `a / b` (§17.3, XPath op:numeric-add…): both operands must be
    /// valid numbers. The result has the promoted type (integer < decimal < float < double,
    /// derived integer types counting as `xsd:integer`), except that integer division gives
    /// `xsd:decimal`, and is written in canonical form. Integer and decimal overflow and
    /// division by zero are errors; float and double follow IEEE 754 (INF, NaN).
    static func arithmetic(_ op: ArithmeticOperator, _ a: Term, _ b: Term) throws -> Term {
        let x = try number(a, for: "arithmetic")
        let y = try number(b, for: "arithmetic")
        return try NumericValue.apply(op, x, y).term
    }

    /// Unary minus (XPath op:numeric-unary-minus), with the operand's type.
    static func negate(_ a: Term) throws -> Term {
        try number(a, for: "unary minus").negated().term
    }

    /// Unary plus (XPath op:numeric-unary-plus): the operand itself, if it is a valid number.
    static func unaryPlus(_ a: Term) throws -> Term {
        _ = try number(a, for: "unary plus")
        return a
    }

    /// The number a term holds, or a type error naming the operation.
    static func number(_ term: Term, for operation: String) throws -> NumericValue {
        guard case .literal(let literal) = term, let value = NumericValue(literal) else {
            throw ExpressionError.typeError(operation, term)
        }
        return value
    }

    /// RDF term identity (sameTerm, §17.4.1.8): the model's `==`, which compares lexical forms,
    /// IRIs and labels code point by code point (not by Swift's canonical equivalence).
    static func sameTerm(_ a: Term, _ b: Term) -> Bool {
        a == b
    }

    /// Code point equality of two strings.
    static func sameText(_ a: String, _ b: String) -> Bool {
        CodePoints.equal(a, b)
    }

    /// Code point order of two strings (-1, 0, 1): XPath's default collation, and the order
    /// of UTF-8 bytes.
    static func compareText(_ a: String, _ b: String) -> Int {
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?):
                if x != y { return x < y ? -1 : 1 }
            }
        }
    }
}
