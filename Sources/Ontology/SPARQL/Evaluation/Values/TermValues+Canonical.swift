/// Canonical forms of literals, for comparing results by value.
extension TermValues {
    /// The term with a valid numeric, boolean, dateTime or date literal rewritten in the
    /// canonical lexical form of its datatype (`"01"^^xsd:integer` → `"1"`, `"2.0"^^xsd:decimal`
    /// → `"2"`, `"3"^^xsd:double` → `"3.0E0"`, `"1"^^xsd:boolean` → `"true"`); every other term
    /// unchanged. The datatype is kept, derived integer types included.
    ///
    /// The W3C SPARQL results write the same value in several forms (`"2.0"` and `"3"` for
    /// decimals, `"6"` for a double), so a conformance runner canonicalizes both sides first,
    /// as Oxigraph's does by loading results into its store.
    static func canonicalized(_ term: Term) -> Term {
        guard case .literal(let literal) = term else { return term }
        let lexicalForm: String
        switch LiteralValue(literal) {
        case .numeric(let value): lexicalForm = value.canonicalLexicalForm
        case .boolean(let value): lexicalForm = value ? "true" : "false"
        case .dateTime(let value): lexicalForm = value.description
        default: return term
        }
        if sameText(lexicalForm, literal.lexicalForm) { return term }
        return .literal(Literal(lexicalForm, datatype: literal.datatype))
    }
}
