/// `SELECT [DISTINCT|REDUCED] (items | *)`.
struct SelectClauseSyntax: Sendable {
    enum Modifier: Sendable {
        case none
        case distinct
        case reduced
    }

    var modifier: Modifier
    /// The projection, nil for `*`.
    var items: [SelectItemSyntax]?
    var offset: Int
}

/// `?v` or `(expression AS ?v)` in a select clause.
struct SelectItemSyntax: Sendable {
    var variable: Variable
    var expression: Expression?
    var offset: Int
}
