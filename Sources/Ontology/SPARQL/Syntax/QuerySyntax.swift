/// The parse of a query or sub-select, before the translation to the algebra.
///
/// Terms are resolved already (prefixes, base IRI); what the translation still needs, and
/// checks, is the structure: select clause, groups, solution modifiers. Offsets are byte
/// offsets into the input, for error positions.
struct QuerySyntax: Sendable {
    enum Form: Sendable {
        case select(SelectClauseSyntax)
        /// The template; for `CONSTRUCT WHERE { … }`, the pattern itself.
        case construct([TriplePattern])
        /// The resources to describe, nil for `DESCRIBE *`.
        case describe([TermPattern]?)
        case ask
    }

    var form: Form
    var dataset: QueryDataset?
    /// The `WHERE` clause; nil only for a `DESCRIBE` without one.
    var body: GroupSyntax?
    var modifiers: SolutionModifierSyntax
    var values: ValuesSyntax?
}
