/// The order of ORDER BY (§15.1), also used for MIN and MAX.
extension TermValues {
    /// A total order on optional terms: -1, 0 or 1.
    ///
    /// §15.1 fixes unbound < blank nodes < IRIs < literals and orders literals with `<` where
    /// it is defined. To make sorting deterministic everywhere else, literals are grouped by
    /// kind (numbers, booleans, dateTimes, dates, strings, then literals the engine does not
    /// interpret), and each group is totally ordered in a way that agrees with ``compare(_:_:)``
    /// whenever that succeeds:
    /// - numbers by value, NaN first, equal values by type (integer, decimal, float, double),
    ///   then datatype IRI and lexical form;
    /// - simple and language-tagged strings together by code point, a simple string before a
    ///   tagged one with the same text, tags by code point;
    /// - dates and dateTimes on the timeline, local values read as UTC;
    /// - other literals by datatype IRI, then lexical form.
    ///
    /// Blank nodes compare by label and IRIs by code point.
    static func orderCompare(_ a: Term?, _ b: Term?) -> Int {
        guard let a else { return b == nil ? 0 : -1 }
        guard let b else { return 1 }
        switch (a, b) {
        case (.blankNode(let x), .blankNode(let y)): return compareText(x.id, y.id)
        case (.iri(let x), .iri(let y)): return compareText(x.value, y.value)
        case (.literal(let x), .literal(let y)): return orderLiterals(x, y)
        default: return kindRank(a) < kindRank(b) ? -1 : 1
        }
    }

    private static func kindRank(_ term: Term) -> Int {
        switch term {
        case .blankNode: return 0
        case .iri: return 1
        case .literal: return 2
        }
    }

    private static func orderLiterals(_ x: Literal, _ y: Literal) -> Int {
        let left = LiteralValue(x)
        let right = LiteralValue(y)
        let leftGroup = group(left)
        let rightGroup = group(right)
        if leftGroup != rightGroup { return leftGroup < rightGroup ? -1 : 1 }
        switch (left, right) {
        case (.numeric(let p), .numeric(let q)):
            let order = orderNumbers(p, q)
            if order != 0 { return order }
        case (.boolean(let p), .boolean(let q)):
            if p != q { return p ? 1 : -1 }
        case (.dateTime(let p), .dateTime(let q)):
            let order = XSDDateTime.totalOrder(p, q)
            if order != 0 { return order }
        case (.string(let p), .string(let q)):
            return compareText(p, q)
        case (.string(let p), .langString(let q, _)):
            let order = compareText(p, q)
            return order != 0 ? order : -1
        case (.langString(let p, _), .string(let q)):
            let order = compareText(p, q)
            return order != 0 ? order : 1
        case (.langString(let p, let l), .langString(let q, let m)):
            let order = compareText(p, q)
            return order != 0 ? order : compareText(l, m)
        default:
            break
        }
        // Equal values, or opaque literals: datatype, then lexical form.
        let order = compareText(x.datatype.value, y.datatype.value)
        return order != 0 ? order : compareText(x.lexicalForm, y.lexicalForm)
    }

    /// Groups of literals, in their sort order.
    private static func group(_ value: LiteralValue) -> Int {
        switch value {
        case .numeric: return 0
        case .boolean: return 1
        case .dateTime(let value): return value.kind == .dateTime ? 2 : 3
        case .string, .langString: return 4
        case .invalid, .unknown: return 5
        }
    }

    private static func orderNumbers(_ p: NumericValue, _ q: NumericValue) -> Int {
        let pNaN = p.isNaN
        let qNaN = q.isNaN
        if pNaN || qNaN {
            if pNaN && qNaN { return 0 }
            return pNaN ? -1 : 1
        }
        if let order = NumericValue.compare(p, q), order != 0 { return order }
        if p.rank != q.rank { return p.rank < q.rank ? -1 : 1 }
        return 0
    }
}
