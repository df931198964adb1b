/// `GROUP BY`, `HAVING`, `ORDER BY`, `LIMIT` and `OFFSET`.
struct SolutionModifierSyntax: Sendable {
    struct GroupCondition: Sendable {
        var expression: Expression
        /// The variable of `(expression AS ?v)`.
        var variable: Variable?
        var offset: Int
    }

    var groupBy: [GroupCondition] = []
    var having: [(expression: Expression, offset: Int)] = []
    var orderBy: [(condition: OrderCondition, offset: Int)] = []
    var limit: Int?
    var offset: Int = 0
}
