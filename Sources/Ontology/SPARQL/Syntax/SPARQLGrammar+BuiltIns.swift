extension SPARQLGrammar {
    /// `BuiltInCall`, including `Aggregate`, `ExistsFunc` and `NotExistsFunc`.
    mutating func parseBuiltInCall() throws -> Expression {
        let token = current
        guard case .keyword(let word) = token.token else { throw unexpected("a function call") }
        if let function = BuiltInFunction(rawValue: word) {
            advance()
            let arguments = try parseExpressionList()
            guard function.arity.contains(arguments.count) else {
                throw error("`\(word)` takes \(Self.describe(function.arity)), not \(arguments.count)", at: token.start)
            }
            return .call(function, arguments)
        }
        switch word {
        case "BOUND":
            advance()
            try expect(.openParen)
            let variable = try parseVariable()
            try expect(.closeParen)
            return .bound(variable)
        case "IF":
            advance()
            let arguments = try parseExpressionList()
            guard arguments.count == 3, let condition = arguments.first, let otherwise = arguments.last else {
                throw error("`IF` takes 3 arguments, not \(arguments.count)", at: token.start)
            }
            return .if(condition, arguments[1], otherwise)
        case "COALESCE":
            advance()
            return .coalesce(try parseExpressionList())
        case "EXISTS":
            advance()
            return .exists(try parseExistsPattern())
        case "NOT":
            advance()
            guard accept(keyword: "EXISTS") else { throw unexpected("`EXISTS` or `IN` after `NOT`") }
            return .notExists(try parseExistsPattern())
        case "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT":
            advance()
            return .aggregate(try parseAggregate(word))
        default:
            throw error("unknown function or keyword \(source.quote(token))", at: token.start)
        }
    }

    private static func describe(_ arity: ClosedRange<Int>) -> String {
        let plural = arity.upperBound == 1 ? "argument" : "arguments"
        if arity.lowerBound == arity.upperBound { return "\(arity.lowerBound) \(plural)" }
        return "\(arity.lowerBound) to \(arity.upperBound) \(plural)"
    }

    /// The group of `EXISTS`, translated at once: the algebra of an expression holds patterns.
    private mutating func parseExistsPattern() throws -> GraphPattern {
        guard isSymbol(.openBrace) else { throw unexpected("`{` after `EXISTS`") }
        let group = try parseGroupGraphPattern()
        return try builder.translateStandalone(group).pattern
    }

    /// `Aggregate`, after its keyword.
    private mutating func parseAggregate(_ name: String) throws -> Aggregate {
        try expect(.openParen)
        let distinct = accept(keyword: "DISTINCT")
        if name == "COUNT" && accept(.star) {
            try expect(.closeParen)
            return Aggregate(.count, distinct: distinct, nil)
        }
        let expression = try parseExpression()
        var function: Aggregate.Function
        switch name {
        case "COUNT": function = .count
        case "SUM": function = .sum
        case "MIN": function = .min
        case "MAX": function = .max
        case "AVG": function = .avg
        case "SAMPLE": function = .sample
        default: function = .groupConcat(separator: " ")
        }
        if name == "GROUP_CONCAT" && accept(.semicolon) {
            try expect(keyword: "SEPARATOR")
            try expect(.equal)
            guard case .string(let separator) = peek else { throw unexpected("a string after `SEPARATOR =`") }
            advance()
            function = .groupConcat(separator: separator)
        }
        try expect(.closeParen)
        return Aggregate(function, distinct: distinct, expression)
    }
}
