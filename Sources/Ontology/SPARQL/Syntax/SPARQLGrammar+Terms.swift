extension SPARQLGrammar {
    // MARK: Prologue

    /// `Prologue ::= ( BaseDecl | PrefixDecl )*`
    mutating func parsePrologue() throws {
        while true {
            if accept(keyword: "BASE") {
                let token = current
                guard case .iri(let raw) = peek else { throw unexpected("an IRI after `BASE`") }
                advance()
                let resolved = try resolve(raw, at: token.start)
                base = IRIResolver(base: resolved)
            } else if accept(keyword: "PREFIX") {
                guard case .prefixedName(let prefix, let local) = peek, local.isEmpty else {
                    throw unexpected("a prefix such as `ex:` after `PREFIX`")
                }
                advance()
                let token = current
                guard case .iri(let raw) = peek else { throw unexpected("an IRI after `PREFIX \(prefix):`") }
                advance()
                prefixes[prefix] = try resolve(raw, at: token.start)
            } else {
                return
            }
        }
    }

    /// The absolute IRI of an IRI reference written in the query.
    func resolve(_ raw: String, at offset: Int) throws -> String {
        if let base { return base.resolve(raw) }
        guard IRIResolver.hasScheme(raw) else {
            throw error("relative IRI `<\(raw)>` needs a base IRI (declare one with `BASE`)", at: offset)
        }
        return raw
    }

    // MARK: Terms

    var startsIRI: Bool {
        switch peek {
        case .iri, .prefixedName: return true
        default: return false
        }
    }

    /// `iri ::= IRIREF | PrefixedName`
    mutating func parseIRI() throws -> IRI {
        let token = current
        switch token.token {
        case .iri(let raw):
            advance()
            return IRI(try resolve(raw, at: token.start))
        case .prefixedName(let prefix, let local):
            guard let namespace = prefixes[prefix] else {
                throw error("undefined prefix `\(prefix):`", at: token.start)
            }
            advance()
            return IRI(namespace + local)
        default:
            throw unexpected("an IRI")
        }
    }

    /// `Var ::= VAR1 | VAR2`
    mutating func parseVariable() throws -> Variable {
        guard case .variable(let name) = peek else { throw unexpected("a variable") }
        advance()
        return Variable(name)
    }

    /// `VarOrIri`, as a term pattern.
    mutating func parseVariableOrIRI() throws -> TermPattern {
        if case .variable(let name) = peek {
            advance()
            return .variable(Variable(name))
        }
        guard startsIRI else { throw unexpected("a variable or an IRI") }
        return .term(.iri(try parseIRI()))
    }

    /// `RDFLiteral | NumericLiteral | BooleanLiteral` at the current token, or nil.
    mutating func parseLiteral() throws -> Literal? {
        switch peek {
        case .string(let lexical):
            advance()
            if case .languageTag(let tag) = peek {
                advance()
                return Literal(lexical, language: tag)
            }
            if accept(.datatype) {
                return Literal(lexical, datatype: try parseIRI())
            }
            return Literal(lexical)
        case .integer(let text):
            advance()
            return Literal(text, datatype: XSD.integer)
        case .decimal(let text):
            advance()
            return Literal(text, datatype: XSD.decimal)
        case .double(let text):
            advance()
            return Literal(text, datatype: XSD.double)
        case .keyword("TRUE"):
            advance()
            return Literal("true", datatype: XSD.boolean)
        case .keyword("FALSE"):
            advance()
            return Literal("false", datatype: XSD.boolean)
        default:
            return nil
        }
    }

    /// `DataBlockValue ::= iri | RDFLiteral | NumericLiteral | BooleanLiteral | 'UNDEF'`
    mutating func parseDataBlockValue() throws -> Term? {
        if accept(keyword: "UNDEF") { return nil }
        if startsIRI { return .iri(try parseIRI()) }
        if let literal = try parseLiteral() { return .literal(literal) }
        throw unexpected("an IRI, a literal or `UNDEF`")
    }

    /// A fresh anonymous blank node variable, for `[]` and collections in patterns.
    mutating func freshBlankVariable() -> Variable {
        anonymousCount += 1
        return Variable("." + String(anonymousCount), kind: .blankNode)
    }

    /// A fresh blank node, for `[]` and collections in templates and data.
    mutating func freshBlankNode() -> BlankNode {
        anonymousCount += 1
        return BlankNode("." + String(anonymousCount))
    }
}
