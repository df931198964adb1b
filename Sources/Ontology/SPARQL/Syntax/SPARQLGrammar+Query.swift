extension SPARQLGrammar {
    /// `QueryUnit ::= Prologue ( SelectQuery | ConstructQuery | DescribeQuery | AskQuery ) ValuesClause`
    mutating func parseQueryUnit() throws -> QuerySyntax {
        try parsePrologue()
        var query: QuerySyntax
        if isKeyword("SELECT") {
            let select = try parseSelectClause()
            let dataset = try parseDatasetClauses()
            let body = try parseWhereClause()
            query = QuerySyntax(form: .select(select), dataset: dataset, body: body,
                                modifiers: try parseSolutionModifier())
        } else if accept(keyword: "CONSTRUCT") {
            query = try parseConstructQuery()
        } else if accept(keyword: "DESCRIBE") {
            query = try parseDescribeQuery()
        } else if accept(keyword: "ASK") {
            let dataset = try parseDatasetClauses()
            let body = try parseWhereClause()
            query = QuerySyntax(form: .ask, dataset: dataset, body: body, modifiers: try parseSolutionModifier())
        } else {
            throw unexpected("`SELECT`, `CONSTRUCT`, `DESCRIBE` or `ASK`")
        }
        query.values = try parseValuesClause()
        guard case .end = peek else { throw unexpected("the end of the query") }
        return query
    }

    /// `SelectClause ::= 'SELECT' ( 'DISTINCT' | 'REDUCED' )? ( ( Var | ( '(' Expression 'AS' Var ')' ) )+ | '*' )`
    mutating func parseSelectClause() throws -> SelectClauseSyntax {
        let offset = current.start
        try expect(keyword: "SELECT")
        var modifier = SelectClauseSyntax.Modifier.none
        if accept(keyword: "DISTINCT") {
            modifier = .distinct
        } else if accept(keyword: "REDUCED") {
            modifier = .reduced
        }
        if accept(.star) { return SelectClauseSyntax(modifier: modifier, items: nil, offset: offset) }
        var items: [SelectItemSyntax] = []
        while true {
            let itemOffset = current.start
            if case .variable(let name) = peek {
                advance()
                items.append(SelectItemSyntax(variable: Variable(name), expression: nil, offset: itemOffset))
            } else if accept(.openParen) {
                let expression = try parseExpression()
                guard accept(keyword: "AS") else { throw unexpected("`AS` and a variable (a select expression is written `(expression AS ?name)`)") }
                let variable = try parseVariable()
                try expect(.closeParen)
                items.append(SelectItemSyntax(variable: variable, expression: expression, offset: itemOffset))
            } else {
                break
            }
        }
        if items.isEmpty { throw unexpected("`*`, a variable or `(expression AS ?name)` after `SELECT`") }
        return SelectClauseSyntax(modifier: modifier, items: items, offset: offset)
    }

    /// `DatasetClause*`, nil when there is none.
    mutating func parseDatasetClauses() throws -> QueryDataset? {
        var dataset: QueryDataset?
        while accept(keyword: "FROM") {
            var current = dataset ?? QueryDataset()
            if accept(keyword: "NAMED") {
                current.namedGraphs = (current.namedGraphs ?? []) + [try parseIRI()]
            } else {
                current.defaultGraphs.append(try parseIRI())
            }
            dataset = current
        }
        return dataset
    }

    /// `WhereClause ::= 'WHERE'? GroupGraphPattern`
    mutating func parseWhereClause() throws -> GroupSyntax {
        let hasWhere = accept(keyword: "WHERE")
        guard isSymbol(.openBrace) else { throw unexpected(hasWhere ? "`{`" : "`WHERE` or `{`") }
        return try parseGroupGraphPattern()
    }

    /// `ConstructQuery`, after `CONSTRUCT`.
    mutating func parseConstructQuery() throws -> QuerySyntax {
        if isSymbol(.openBrace) {
            try expect(.openBrace)
            let template = try parseTemplate(rules: .construct, until: .closeBrace)
            try expect(.closeBrace)
            let dataset = try parseDatasetClauses()
            let body = try parseWhereClause()
            return QuerySyntax(form: .construct(template), dataset: dataset, body: body,
                               modifiers: try parseSolutionModifier())
        }
        // The short form, `CONSTRUCT WHERE { triples }`: the template is the pattern.
        let dataset = try parseDatasetClauses()
        try expect(keyword: "WHERE")
        let offset = current.start
        try expect(.openBrace)
        blockLabels = [:]
        let template = try parseTemplate(rules: .construct, until: .closeBrace)
        try expect(.closeBrace)
        let patterns = template.map { triple in
            PathTripleSyntax(subject: Self.patternPosition(triple.subject), predicate: .term(triple.predicate),
                             object: Self.patternPosition(triple.object))
        }
        let body = GroupSyntax.elements(patterns.isEmpty ? [] : [
            GroupElementSyntax(kind: .triples(patterns, labels: [:]), offset: offset),
        ])
        return QuerySyntax(form: .construct(template), dataset: dataset, body: body,
                           modifiers: try parseSolutionModifier())
    }

    /// A template position read as a pattern position: blank nodes are variables there.
    private static func patternPosition(_ position: TermPattern) -> TermPattern {
        if case .term(.blankNode(let node)) = position { return .variable(Variable(node.id, kind: .blankNode)) }
        return position
    }

    /// `DescribeQuery`, after `DESCRIBE`.
    mutating func parseDescribeQuery() throws -> QuerySyntax {
        var terms: [TermPattern]?
        if !accept(.star) {
            var list: [TermPattern] = []
            while true {
                if case .variable = peek {
                    list.append(try parseVariableOrIRI())
                } else if startsIRI {
                    list.append(try parseVariableOrIRI())
                } else {
                    break
                }
            }
            if list.isEmpty { throw unexpected("`*`, a variable or an IRI after `DESCRIBE`") }
            terms = list
        }
        let dataset = try parseDatasetClauses()
        var body: GroupSyntax?
        if isKeyword("WHERE") || isSymbol(.openBrace) { body = try parseWhereClause() }
        return QuerySyntax(form: .describe(terms), dataset: dataset, body: body,
                           modifiers: try parseSolutionModifier())
    }

    /// `ValuesClause ::= ( 'VALUES' DataBlock )?`
    mutating func parseValuesClause() throws -> ValuesSyntax? {
        guard isKeyword("VALUES") else { return nil }
        let offset = current.start
        advance()
        return try parseDataBlock(offset: offset)
    }

    /// `DataBlock ::= InlineDataOneVar | InlineDataFull`
    mutating func parseDataBlock(offset: Int) throws -> ValuesSyntax {
        var variables: [Variable] = []
        var rows: [[Term?]] = []
        if case .variable(let name) = peek {
            advance()
            variables = [Variable(name)]
            try expect(.openBrace)
            while !accept(.closeBrace) {
                rows.append([try parseDataBlockValue()])
            }
            return ValuesSyntax(variables: variables, rows: rows, offset: offset)
        }
        if !accept(.nilList) {
            guard accept(.openParen) else { throw unexpected("a variable or `(` after `VALUES`") }
            while !accept(.closeParen) {
                let variableOffset = current.start
                let variable = try parseVariable()
                if variables.contains(variable) {
                    throw error("variable `\(variable)` appears twice in `VALUES`", at: variableOffset)
                }
                variables.append(variable)
            }
        }
        try expect(.openBrace)
        while !accept(.closeBrace) {
            let rowOffset = current.start
            var row: [Term?] = []
            if !accept(.nilList) {
                guard accept(.openParen) else { throw unexpected("`(` to start a row of `VALUES`, or `}`") }
                while !accept(.closeParen) { row.append(try parseDataBlockValue()) }
            }
            guard row.count == variables.count else {
                throw error("a row of `VALUES` has \(row.count) value\(row.count == 1 ? "" : "s") but there "
                    + "\(variables.count == 1 ? "is" : "are") \(variables.count) variable\(variables.count == 1 ? "" : "s")",
                    at: rowOffset)
            }
            rows.append(row)
        }
        return ValuesSyntax(variables: variables, rows: rows, offset: offset)
    }
}
