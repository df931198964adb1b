/// The recursive-descent parser of SPARQL 1.1 (§19.8) over the lexer's tokens, one method per
/// grammar rule (in the extensions of this type). It resolves prefixed names and relative
/// IRIs as it goes, expands collections and property lists into triple patterns, and hands
/// the structure to ``AlgebraBuilder``.
///
/// Nesting (groups, expressions, paths, collections, and long operator chains, which become
/// deep trees) is bounded by ``maximumDepth`` so that no input can exhaust the stack.
struct SPARQLGrammar {
    static let maximumDepth = 500

    let tokens: [LocatedToken]
    let source: SourceText
    var index = 0
    var base: IRIResolver?
    var prefixes: [String: String] = [:]
    var depth = 0
    /// Anonymous blank nodes made so far (`[]`, collections), for fresh names.
    var anonymousCount = 0
    /// The blank node labels of the triples block being read, with their first offsets.
    var blockLabels: [String: Int] = [:]
    var builder = AlgebraBuilder()

    init(tokens: [LocatedToken], source: SourceText, baseIRI: String?) {
        self.tokens = tokens
        self.source = source
        self.base = baseIRI.flatMap { IRIResolver(base: $0) }
        self.builder.source = source
    }

    // MARK: Tokens

    /// The current token; the lexer always ends the list with `.end`, which is never passed.
    var current: LocatedToken {
        index < tokens.count ? tokens[index] : (tokens.last ?? LocatedToken(token: .end, start: 0, end: 0))
    }

    var peek: SPARQLToken { current.token }

    /// The token after the current one.
    var peekNext: SPARQLToken {
        index + 1 < tokens.count ? tokens[index + 1].token : .end
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    func isKeyword(_ word: String) -> Bool {
        if case .keyword(let k) = peek { return k == word }
        return false
    }

    func isSymbol(_ symbol: SPARQLToken.Symbol) -> Bool {
        if case .symbol(let s) = peek { return s == symbol }
        return false
    }

    mutating func accept(keyword word: String) -> Bool {
        guard isKeyword(word) else { return false }
        advance()
        return true
    }

    mutating func accept(_ symbol: SPARQLToken.Symbol) -> Bool {
        guard isSymbol(symbol) else { return false }
        advance()
        return true
    }

    /// Accepts the keyword `a` (`rdf:type`).
    mutating func acceptKeywordA() -> Bool {
        guard case .a = peek else { return false }
        advance()
        return true
    }

    mutating func expect(keyword word: String) throws {
        guard accept(keyword: word) else { throw unexpected("`\(word)`") }
    }

    mutating func expect(_ symbol: SPARQLToken.Symbol) throws {
        guard accept(symbol) else { throw unexpected("`\(symbol.rawValue)`") }
    }

    // MARK: Errors

    func error(_ message: String, at offset: Int) -> OntologyError {
        source.error(message, at: offset)
    }

    /// "expected X but found `token`", at the current token.
    func unexpected(_ expected: String) -> OntologyError {
        error("expected \(expected) but found \(source.quote(current))", at: current.start)
    }

    // MARK: Depth

    /// Enters one level of nesting, or fails when the input nests too deeply.
    mutating func enter() throws {
        depth += 1
        if depth > Self.maximumDepth {
            throw source.error("the query nests deeper than \(Self.maximumDepth) levels at \(source.quote(current))",
                               at: current.start, code: .sparqlDepthLimit)
        }
    }

    mutating func leave() {
        depth -= 1
    }
}
