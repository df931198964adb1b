extension SPARQLGrammar {
    /// `SolutionModifier ::= GroupClause? HavingClause? OrderClause? LimitOffsetClauses?`
    mutating func parseSolutionModifier() throws -> SolutionModifierSyntax {
        var modifiers = SolutionModifierSyntax()
        if accept(keyword: "GROUP") {
            try expect(keyword: "BY")
            repeat {
                modifiers.groupBy.append(try parseGroupCondition())
            } while startsGroupCondition
        }
        if accept(keyword: "HAVING") {
            repeat {
                let offset = current.start
                modifiers.having.append((try parseConstraint(), offset))
            } while startsConstraint
        }
        if accept(keyword: "ORDER") {
            try expect(keyword: "BY")
            repeat {
                let offset = current.start
                modifiers.orderBy.append((try parseOrderCondition(), offset))
            } while startsConstraint || isKeyword("ASC") || isKeyword("DESC") || isVariable
        }
        var sawLimit = false
        var sawOffset = false
        while true {
            if !sawLimit && accept(keyword: "LIMIT") {
                sawLimit = true
                modifiers.limit = try parseCount(after: "LIMIT")
            } else if !sawOffset && accept(keyword: "OFFSET") {
                sawOffset = true
                modifiers.offset = try parseCount(after: "OFFSET")
            } else {
                break
            }
        }
        return modifiers
    }

    var isVariable: Bool {
        if case .variable = peek { return true }
        return false
    }

    /// An unsigned `INTEGER`, saturated at `Int.max`.
    private mutating func parseCount(after keyword: String) throws -> Int {
        guard case .integer(let text) = peek, let first = text.first, first != "+" && first != "-" else {
            throw unexpected("a number after `\(keyword)`")
        }
        advance()
        return Int(text) ?? Int.max
    }

    private var startsGroupCondition: Bool {
        switch peek {
        case .variable: return true
        default: return startsConstraint
        }
    }

    /// `GroupCondition ::= BuiltInCall | FunctionCall | '(' Expression ( 'AS' Var )? ')' | Var`
    private mutating func parseGroupCondition() throws -> SolutionModifierSyntax.GroupCondition {
        let offset = current.start
        if case .variable(let name) = peek {
            advance()
            return .init(expression: .variable(Variable(name)), variable: nil, offset: offset)
        }
        if accept(.openParen) {
            let expression = try parseExpression()
            var variable: Variable?
            if accept(keyword: "AS") { variable = try parseVariable() }
            try expect(.closeParen)
            return .init(expression: expression, variable: variable, offset: offset)
        }
        if case .keyword = peek {
            return .init(expression: try parseBuiltInCall(), variable: nil, offset: offset)
        }
        if startsIRI {
            return .init(expression: try parseFunctionCall(), variable: nil, offset: offset)
        }
        throw unexpected("a variable, `(`, or a function call after `GROUP BY`")
    }

    /// `OrderCondition ::= ( ( 'ASC' | 'DESC' ) BrackettedExpression ) | ( Constraint | Var )`
    private mutating func parseOrderCondition() throws -> OrderCondition {
        if accept(keyword: "ASC") {
            return OrderCondition(try parseBrackettedExpression())
        }
        if accept(keyword: "DESC") {
            return OrderCondition(try parseBrackettedExpression(), descending: true)
        }
        if case .variable(let name) = peek {
            advance()
            return OrderCondition(.variable(Variable(name)))
        }
        return OrderCondition(try parseConstraint())
    }

    var startsConstraint: Bool {
        switch peek {
        case .symbol(.openParen), .iri, .prefixedName: return true
        case .keyword(let word):
            return BuiltInFunction(rawValue: word) != nil || Self.otherBuiltIns.contains(word)
        default: return false
        }
    }

    /// Built-in call keywords that are not ``BuiltInFunction`` cases.
    static let otherBuiltIns: Set<String> = [
        "BOUND", "IF", "COALESCE", "EXISTS", "NOT", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT",
    ]

    /// `Constraint ::= BrackettedExpression | BuiltInCall | FunctionCall`
    mutating func parseConstraint() throws -> Expression {
        if isSymbol(.openParen) { return try parseBrackettedExpression() }
        if case .keyword = peek, startsConstraint { return try parseBuiltInCall() }
        if startsIRI { return try parseFunctionCall() }
        throw unexpected("`(` or a function call")
    }

    /// `FunctionCall ::= iri ArgList`
    mutating func parseFunctionCall() throws -> Expression {
        let iri = try parseIRI()
        guard isSymbol(.openParen) || isSymbol(.nilList) else {
            throw unexpected("`(` and the arguments of `\(iri.value)`")
        }
        return try parseFunctionArguments(iri)
    }
}
