/// `=` and `<` (§17.3 operator mapping, §17.4.1.7 RDFterm-equal).
extension TermValues {
    /// `a = b`; `!=` is its negation.
    ///
    /// - Numbers compare by value after type promotion (op:numeric-equal: `1 = 1.0` is true,
    ///   and NaN equals nothing, not even itself).
    /// - Strings, booleans and date/time values compare by value within their type; values of
    ///   different known types are not equal (`1 = "1"` is false).
    /// - Language-tagged strings are equal when value and (case-insensitive) tag are.
    /// - IRIs and blank nodes are equal only to themselves.
    /// - A literal of an unknown datatype, or an ill-typed one, equals itself; compared with
    ///   another literal it is an error (RDFterm-equal: the values might still be equal),
    ///   except a language-tagged string, which is known to differ.
    /// - A date/time with a timezone and one without, less than 14 hours apart, compare
    ///   indeterminately (XSD 1.0): an error.
    ///
    /// - Throws: ``ExpressionError`` in the error cases above.
    static func equals(_ a: Term, _ b: Term) throws -> Bool {
        guard case .literal(let x) = a, case .literal(let y) = b else { return sameTerm(a, b) }
        let left = LiteralValue(x)
        let right = LiteralValue(y)
        switch (left, right) {
        case (.numeric(let p), .numeric(let q)):
            return NumericValue.compare(p, q) == 0
        case (.string(let p), .string(let q)):
            return sameText(p, q)
        case (.langString(let p, let l), .langString(let q, let m)):
            return l == m && sameText(p, q)
        case (.boolean(let p), .boolean(let q)):
            return p == q
        case (.dateTime(let p), .dateTime(let q)):
            guard p.kind == q.kind else { return false }
            guard let order = XSDDateTime.compare(p, q) else {
                throw ExpressionError(reason: "`\(a)` and `\(b)` compare indeterminately (one has no timezone)")
            }
            return order == 0
        default:
            if left.isOpaque || right.isOpaque {
                if sameTerm(a, b) { return true }
                if case .langString = left { return false }
                if case .langString = right { return false }
                throw ExpressionError(reason: "cannot tell whether `\(a)` and `\(b)` are equal")
            }
            return false
        }
    }

    /// The order of `a` and `b` for `<`, `<=`, `>`, `>=`: -1, 0 or 1 (§17.3).
    ///
    /// Defined for two numbers (after promotion), two `xsd:string`s (by code point), two
    /// language-tagged strings with the same tag (an extension, as in Oxigraph), two booleans
    /// (false < true), and two `xsd:dateTime`s or two `xsd:date`s.
    ///
    /// - Throws: ``ExpressionError`` for any other pair, for NaN (which is unordered: the
    ///   operators are all false for it, and an error is the closest an `Int` can say), and
    ///   for date/time pairs whose order is indeterminate.
    static func compare(_ a: Term, _ b: Term) throws -> Int {
        guard case .literal(let x) = a, case .literal(let y) = b else {
            throw ExpressionError(reason: "`\(a)` and `\(b)` cannot be ordered")
        }
        switch (LiteralValue(x), LiteralValue(y)) {
        case (.numeric(let p), .numeric(let q)):
            guard let order = NumericValue.compare(p, q) else {
                throw ExpressionError(reason: "NaN is not ordered")
            }
            return order
        case (.string(let p), .string(let q)):
            return compareText(p, q)
        case (.langString(let p, let l), .langString(let q, let m)) where l == m:
            return compareText(p, q)
        case (.boolean(let p), .boolean(let q)):
            return p == q ? 0 : (p ? 1 : -1)
        case (.dateTime(let p), .dateTime(let q)) where p.kind == q.kind:
            guard let order = XSDDateTime.compare(p, q) else {
                throw ExpressionError(reason: "`\(a)` and `\(b)` compare indeterminately (one has no timezone)")
            }
            return order
        default:
            throw ExpressionError(reason: "`\(a)` and `\(b)` cannot be ordered")
        }
    }
}
