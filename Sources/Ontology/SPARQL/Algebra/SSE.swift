/// Formatting shared by the S-expression descriptions of the algebra.
enum SSE {
    /// A term as SSE writes it: IRIs and blank nodes in N-Triples form, numbers and booleans
    /// bare when their lexical form reads back as the same literal, other literals in
    /// N-Triples form.
    static func term(_ term: Term) -> String {
        guard case .literal(let literal) = term else { return term.description }
        let text = literal.lexicalForm
        switch literal.datatype {
        case XSD.integer where isInteger(text): return text
        case XSD.decimal where isDecimal(text): return text
        case XSD.double where isDouble(text): return text
        case XSD.boolean where text == "true" || text == "false": return text
        default: return literal.description
        }
    }

    private static func digits(_ bytes: Substring.UTF8View) -> Int {
        bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
    }

    private static func unsigned(_ text: String) -> Substring.UTF8View {
        let view = Substring(text).utf8
        if let first = view.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            return view.dropFirst()
        }
        return view
    }

    static func isInteger(_ text: String) -> Bool {
        let rest = unsigned(text)
        return !rest.isEmpty && digits(rest) == rest.count
    }

    static func isDecimal(_ text: String) -> Bool {
        var rest = unsigned(text)
        rest = rest.dropFirst(digits(rest))
        guard rest.first == UInt8(ascii: ".") else { return false }
        rest = rest.dropFirst()
        return !rest.isEmpty && digits(rest) == rest.count
    }

    static func isDouble(_ text: String) -> Bool {
        var rest = unsigned(text)
        let whole = digits(rest)
        rest = rest.dropFirst(whole)
        var fraction = 0
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            fraction = digits(rest)
            rest = rest.dropFirst(fraction)
        }
        guard whole + fraction > 0, let e = rest.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") else {
            return false
        }
        rest = rest.dropFirst()
        if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { rest = rest.dropFirst() }
        return !rest.isEmpty && digits(rest) == rest.count
    }
}
