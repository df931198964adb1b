extension SPARQLGrammar {
    /// `Expression ::= ConditionalOrExpression`
    mutating func parseExpression() throws -> Expression {
        try enter()
        // Operator chains are left-deep trees: each operator counts as one more level.
        let entered = depth
        defer {
            depth = entered
            leave()
        }
        var expression = try parseConditionalAnd()
        while accept(.or) {
            try enter()
            expression = .or(expression, try parseConditionalAnd())
        }
        return expression
    }

    /// `ConditionalAndExpression ::= ValueLogical ( '&&' ValueLogical )*`
    private mutating func parseConditionalAnd() throws -> Expression {
        var expression = try parseRelational()
        while accept(.and) {
            try enter()
            expression = .and(expression, try parseRelational())
        }
        return expression
    }

    /// `RelationalExpression`
    private mutating func parseRelational() throws -> Expression {
        let left = try parseAdditive()
        switch peek {
        case .symbol(.equal):
            advance()
            return .equal(left, try parseAdditive())
        case .symbol(.notEqual):
            advance()
            return .notEqual(left, try parseAdditive())
        case .symbol(.less):
            advance()
            return .less(left, try parseAdditive())
        case .symbol(.greater):
            advance()
            return .greater(left, try parseAdditive())
        case .symbol(.lessOrEqual):
            advance()
            return .lessOrEqual(left, try parseAdditive())
        case .symbol(.greaterOrEqual):
            advance()
            return .greaterOrEqual(left, try parseAdditive())
        case .keyword("IN"):
            advance()
            return .in(left, try parseExpressionList())
        case .keyword("NOT") where peekNext == .keyword("IN"):
            advance()
            advance()
            return .notIn(left, try parseExpressionList())
        default:
            return left
        }
    }

    /// `AdditiveExpression`, where a signed number directly after an operand is an addition
    /// or subtraction (`?x -1` is `?x - 1`), as the grammar's lexical rules require.
    private mutating func parseAdditive() throws -> Expression {
        var expression = try parseMultiplicative()
        while true {
            if accept(.plus) {
                try enter()
                expression = .add(expression, try parseMultiplicative())
            } else if accept(.minus) {
                try enter()
                expression = .subtract(expression, try parseMultiplicative())
            } else if let (negative, literal) = signedNumber() {
                advance()
                try enter()
                var right = Expression.term(.literal(literal))
                while true {
                    if accept(.star) {
                        try enter()
                        right = .multiply(right, try parseUnary())
                    } else if accept(.slash) {
                        try enter()
                        right = .divide(right, try parseUnary())
                    } else {
                        break
                    }
                }
                expression = negative ? .subtract(expression, right) : .add(expression, right)
            } else {
                return expression
            }
        }
    }

    /// The current token as a sign and an unsigned number, when it is a signed number.
    private func signedNumber() -> (negative: Bool, Literal)? {
        let text: String
        let datatype: IRI
        switch peek {
        case .integer(let t): text = t; datatype = XSD.integer
        case .decimal(let t): text = t; datatype = XSD.decimal
        case .double(let t): text = t; datatype = XSD.double
        default: return nil
        }
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        return (sign == "-", Literal(String(text.dropFirst()), datatype: datatype))
    }

    /// `MultiplicativeExpression ::= UnaryExpression ( '*' UnaryExpression | '/' UnaryExpression )*`
    private mutating func parseMultiplicative() throws -> Expression {
        var expression = try parseUnary()
        while true {
            if accept(.star) {
                try enter()
                expression = .multiply(expression, try parseUnary())
            } else if accept(.slash) {
                try enter()
                expression = .divide(expression, try parseUnary())
            } else {
                return expression
            }
        }
    }

    /// `UnaryExpression ::= '!' PrimaryExpression | '+' PrimaryExpression | '-' PrimaryExpression | PrimaryExpression`
    private mutating func parseUnary() throws -> Expression {
        if accept(.bang) { return .not(try parsePrimary()) }
        if accept(.plus) { return .unaryPlus(try parsePrimary()) }
        if accept(.minus) { return .unaryMinus(try parsePrimary()) }
        return try parsePrimary()
    }

    /// `PrimaryExpression ::= BrackettedExpression | BuiltInCall | iriOrFunction | RDFLiteral
    /// | NumericLiteral | BooleanLiteral | Var`
    private mutating func parsePrimary() throws -> Expression {
        let token = current
        switch token.token {
        case .symbol(.openParen):
            return try parseBrackettedExpression()
        case .variable(let name):
            advance()
            return .variable(Variable(name))
        case .iri, .prefixedName:
            let iri = try parseIRI()
            if isSymbol(.openParen) || isSymbol(.nilList) { return try parseFunctionArguments(iri) }
            return .term(.iri(iri))
        case .blankNodeLabel, .symbol(.anon):
            throw error("blank nodes cannot be used in expressions, found \(source.quote(token))", at: token.start)
        case .keyword(let word) where word != "TRUE" && word != "FALSE":
            return try parseBuiltInCall()
        default:
            if let literal = try parseLiteral() { return .term(.literal(literal)) }
            throw unexpected("an expression")
        }
    }

    /// `BrackettedExpression ::= '(' Expression ')'`
    mutating func parseBrackettedExpression() throws -> Expression {
        try expect(.openParen)
        let expression = try parseExpression()
        try expect(.closeParen)
        return expression
    }

    /// `ExpressionList ::= NIL | '(' Expression ( ',' Expression )* ')'`
    mutating func parseExpressionList() throws -> [Expression] {
        if accept(.nilList) { return [] }
        try expect(.openParen)
        if accept(.closeParen) { return [] }
        var list = [try parseExpression()]
        while accept(.comma) { list.append(try parseExpression()) }
        try expect(.closeParen)
        return list
    }

    /// `ArgList ::= NIL | '(' 'DISTINCT'? Expression ( ',' Expression )* ')'` after the IRI of
    /// a function. `DISTINCT` makes the call an extension aggregate.
    mutating func parseFunctionArguments(_ iri: IRI) throws -> Expression {
        let offset = current.start
        if accept(.nilList) { return .function(iri, []) }
        try expect(.openParen)
        let distinct = accept(keyword: "DISTINCT")
        var arguments = [try parseExpression()]
        while accept(.comma) { arguments.append(try parseExpression()) }
        try expect(.closeParen)
        guard distinct else { return .function(iri, arguments) }
        guard arguments.count == 1, let argument = arguments.first else {
            throw error("an aggregate takes one argument, `\(iri.value)` has \(arguments.count)", at: offset)
        }
        return .aggregate(Aggregate(.custom(iri), distinct: true, argument))
    }
}
