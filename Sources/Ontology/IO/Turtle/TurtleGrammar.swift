/// The Turtle grammar (RDF 1.1 Turtle §6.5) as a state machine over tokens.
///
/// Nesting (`[...]` and `(...)`) is kept on an explicit stack rather than the call stack, so deep
/// input cannot overflow the stack of whatever thread parses it; the stack is still bounded,
/// so that hostile input gets a clear error instead of unbounded memory.
struct TurtleGrammar {
    private enum State {
        /// At the start of a statement: a directive, a subject or the end.
        case statement
        /// A predicate must follow.
        case verb
        /// After `;`: a predicate, another `;`, or the end of the property list.
        case verbOrEnd
        /// After a subject written as `[ ... ]`: a predicate or `.`.
        case verbOrDot
        case object
        /// After an object: `,`, `;` or the end of the property list.
        case afterObject
        /// Inside `( ... )`: an item or `)`.
        case collectionItem
    }

    /// An open `[` or `(`, with what to go back to when it closes.
    private struct Frame {
        var isCollection: Bool
        var resume: State
        var subject: Term
        var predicate: IRI
        /// The property list's node, or the collection's first node once it has one.
        var node: Term?
        /// The collection's last node so far.
        var tail: BlankNode?
    }

    private var lexer: TurtleLexer
    private var resolver: IRIResolver?
    private var namespaces: [String: String] = [:]
    private(set) var declaredPrefixes: [(prefix: String, iri: String)] = []
    /// The current base IRI.
    var baseIRI: String? { resolver?.base }
    private var blankNodes = BlankNodeGenerator()
    private var iriCache = IRICache()
    private var nameCache = IRICache()
    private let maximumDepth: Int

    private var state = State.statement
    private var subject = Term.iri(RDF.nil)
    private var predicate = RDF.nil
    private var frames: [Frame] = []
    private var lookahead: (token: TurtleToken, start: Int)?
    /// Where the token being handled starts.
    private var start = 0

    init(bytes: UnsafeBufferPointer<UInt8>, resolver: IRIResolver?, maximumDepth: Int) {
        self.lexer = TurtleLexer(bytes: bytes, code: .turtleSyntax)
        self.resolver = resolver
        self.maximumDepth = maximumDepth
    }

    // MARK: Tokens

    private mutating func nextToken() throws -> TurtleToken {
        if let pending = lookahead {
            lookahead = nil
            start = pending.start
            return pending.token
        }
        let token = try lexer.next()
        start = lexer.tokenStart
        return token
    }

    private mutating func peekToken() throws -> TurtleToken {
        if let pending = lookahead { return pending.token }
        let token = try lexer.next()
        lookahead = (token, lexer.tokenStart)
        return token
    }

    private func error(_ message: String) -> OntologyError {
        lexer.error(message, at: start)
    }

    /// The current token, quoted for a message.
    private var found: String { lexer.excerpt(at: start) }

    // MARK: Statements

    mutating func run(emit: (Triple) throws -> Void) throws {
        while true {
            let token = try nextToken()
            switch state {
            case .statement:
                switch token {
                case .end:
                    return
                case .atWord(let word):
                    if lexer.matches(word, "prefix") {
                        try prefixDirective(sparql: false)
                    } else if lexer.matches(word, "base") {
                        try baseDirective(sparql: false)
                    } else {
                        throw error("unknown directive \(found), expected `@prefix` or `@base`")
                    }
                case .prefixKeyword:
                    try prefixDirective(sparql: true)
                case .baseKeyword:
                    try baseDirective(sparql: true)
                default:
                    try beginTerm(token, emit: emit)
                }
            case .verb, .verbOrEnd, .verbOrDot:
                try handleVerb(token, emit: emit)
            case .object:
                try beginTerm(token, emit: emit)
            case .collectionItem:
                if token == .closeParen {
                    try closeCollection(emit: emit)
                } else {
                    try beginTerm(token, emit: emit)
                }
            case .afterObject:
                switch token {
                case .comma:
                    state = .object
                case .semicolon:
                    state = .verbOrEnd
                case .dot where frames.isEmpty:
                    state = .statement
                case .closeBracket where frames.last?.isCollection == false:
                    try closePropertyList(emit: emit)
                default:
                    throw error(frames.isEmpty
                        ? "expected `.`, `;` or `,` after the object, found \(found)"
                        : "expected `]`, `;` or `,` after the object, found \(found)")
                }
            }
        }
    }

    private mutating func handleVerb(_ token: TurtleToken, emit: (Triple) throws -> Void) throws {
        switch token {
        case .a:
            predicate = RDF.type
            state = .object
        case .iriRef, .prefixedName:
            predicate = try iri(token)
            state = .object
        case .semicolon where state == .verbOrEnd:
            break
        case .dot where frames.isEmpty && (state == .verbOrEnd || state == .verbOrDot):
            state = .statement
        case .closeBracket where state == .verbOrEnd && frames.last?.isCollection == false:
            try closePropertyList(emit: emit)
        case .blankNodeLabel, .openBracket, .openParen:
            throw error("a blank node cannot be a predicate")
        case .string, .integer, .decimal, .double, .true, .false:
            throw error("a literal cannot be a predicate")
        case .end:
            throw error("unexpected end of input, expected a predicate")
        default:
            throw error("expected a predicate, found \(found)")
        }
    }

    // MARK: Terms

    /// Starts a subject, object or collection item, according to the state.
    private mutating func beginTerm(_ token: TurtleToken, emit: (Triple) throws -> Void) throws {
        switch token {
        case .iriRef, .prefixedName:
            try complete(.iri(try iri(token)), emit: emit)
        case .blankNodeLabel(let label):
            try complete(.blankNode(blankNodes.labelled(lexer.text(label))), emit: emit)
        case .openBracket:
            let node = Term.blankNode(blankNodes.next())
            if try peekToken() == .closeBracket {
                _ = try nextToken()
                try complete(node, emit: emit)
            } else {
                try push(Frame(isCollection: false, resume: state, subject: subject, predicate: predicate, node: node))
                subject = node
                state = .verb
            }
        case .openParen:
            try push(Frame(isCollection: true, resume: state, subject: subject, predicate: predicate))
            state = .collectionItem
        case .string, .integer, .decimal, .double, .true, .false:
            guard state != .statement else { throw error("a literal cannot be a subject") }
            try complete(.literal(try literal(token)), emit: emit)
        case .a:
            throw error("`a` can only be used as a predicate")
        case .end:
            throw error(state == .statement ? "unexpected end of input" : "unexpected end of input, expected an object")
        default:
            throw error(state == .statement
                ? "expected a subject or directive, found \(found)"
                : "expected an object, found \(found)")
        }
    }

    /// Hands a finished term to whatever was waiting for it.
    private mutating func complete(_ term: Term, afterPropertyList: Bool = false, emit: (Triple) throws -> Void) throws {
        switch state {
        case .statement:
            subject = term
            state = afterPropertyList ? .verbOrDot : .verb
        case .collectionItem:
            let node = blankNodes.next()
            let last = frames.count - 1
            guard last >= 0 else { return }
            if let tail = frames[last].tail {
                try emit(Triple(.blankNode(tail), RDF.rest, .blankNode(node)))
            } else {
                frames[last].node = .blankNode(node)
            }
            try emit(Triple(.blankNode(node), RDF.first, term))
            frames[last].tail = node
        default:
            try emit(Triple(subject, predicate, term))
            state = .afterObject
        }
    }

    private mutating func push(_ frame: Frame) throws {
        guard frames.count < maximumDepth else {
            throw error("`[` and `(` are nested more than \(maximumDepth) levels deep")
        }
        frames.append(frame)
    }

    private mutating func closePropertyList(emit: (Triple) throws -> Void) throws {
        guard let frame = frames.popLast(), let node = frame.node else { return }
        subject = frame.subject
        predicate = frame.predicate
        state = frame.resume
        try complete(node, afterPropertyList: true, emit: emit)
    }

    private mutating func closeCollection(emit: (Triple) throws -> Void) throws {
        guard let frame = frames.popLast() else { return }
        if let tail = frame.tail {
            try emit(Triple(.blankNode(tail), RDF.rest, .iri(RDF.nil)))
        }
        subject = frame.subject
        predicate = frame.predicate
        state = frame.resume
        try complete(frame.node ?? .iri(RDF.nil), emit: emit)
    }

    private mutating func literal(_ token: TurtleToken) throws -> Literal {
        switch token {
        case .string(let value):
            switch try peekToken() {
            case .atWord(let tag):
                _ = try nextToken()
                return Literal(value, language: lexer.text(tag))
            case .datatypeMarker:
                _ = try nextToken()
                let datatype = try nextToken()
                switch datatype {
                case .iriRef, .prefixedName:
                    return Literal(value, datatype: try iri(datatype))
                default:
                    throw error("expected a datatype IRI after `^^`, found \(found)")
                }
            default:
                return Literal(value)
            }
        case .integer(let range): return Literal(lexer.text(range), datatype: XSD.integer)
        case .decimal(let range): return Literal(lexer.text(range), datatype: XSD.decimal)
        case .double(let range): return Literal(lexer.text(range), datatype: XSD.double)
        case .true: return Literal("true", datatype: XSD.boolean)
        default: return Literal("false", datatype: XSD.boolean)
        }
    }

    // MARK: IRIs

    /// The IRI an `IRIREF` or prefixed-name token denotes.
    private mutating func iri(_ token: TurtleToken) throws -> IRI {
        let bytes = lexer.bytes
        switch token {
        case .iriRef(let range, let escaped):
            let slot = iriCache.slot(bytes, range)
            if let cached = iriCache.lookup(bytes, range, slot: slot) { return cached }
            let iri = IRI(try resolve(lexer.iriText(range, escaped: escaped)))
            iriCache.store(iri, for: bytes, range, slot: slot)
            return iri
        case .prefixedName(let range, let colon, let escaped):
            let slot = nameCache.slot(bytes, range)
            if let cached = nameCache.lookup(bytes, range, slot: slot) { return cached }
            let prefix = lexer.text(range.lowerBound..<colon)
            guard let namespace = namespaces[prefix] else {
                throw error("undefined prefix `\(prefix):`")
            }
            let iri = IRI(namespace + lexer.localText((colon + 1)..<range.upperBound, escaped: escaped))
            nameCache.store(iri, for: bytes, range, slot: slot)
            return iri
        default:
            throw error("expected an IRI, found \(found)")
        }
    }

    private func resolve(_ reference: String) throws -> String {
        if IRIResolver.hasScheme(reference) { return reference }
        guard let resolver else {
            throw OntologyError(
                .invalidIRI, "relative IRI `\(reference)` with no base IRI to resolve it against",
                at: TurtleCharacters.position(of: start, in: lexer.bytes))
        }
        return resolver.resolve(reference)
    }

    // MARK: Directives

    private mutating func prefixDirective(sparql: Bool) throws {
        let keyword = sparql ? "PREFIX" : "@prefix"
        guard case .prefixedName(let range, let colon, _) = try nextToken(), range.upperBound == colon + 1 else {
            throw error("expected a prefix such as `ex:` after `\(keyword)`, found \(found)")
        }
        let prefix = lexer.text(range.lowerBound..<colon)
        guard case .iriRef(let iriRange, let escaped) = try nextToken() else {
            throw error("expected an IRI in `<...>` after `\(keyword) \(prefix):`, found \(found)")
        }
        let namespace = try resolve(lexer.iriText(iriRange, escaped: escaped))
        if !sparql {
            guard try nextToken() == .dot else { throw error("expected `.` after `@prefix` directive, found \(found)") }
        }
        if namespaces.updateValue(namespace, forKey: prefix) != nil,
           let index = declaredPrefixes.firstIndex(where: { $0.prefix == prefix }) {
            declaredPrefixes[index].iri = namespace
        } else {
            declaredPrefixes.append((prefix, namespace))
        }
        nameCache.removeAll()
    }

    private mutating func baseDirective(sparql: Bool) throws {
        guard case .iriRef(let range, let escaped) = try nextToken() else {
            throw error("expected an IRI in `<...>` after `\(sparql ? "BASE" : "@base")`, found \(found)")
        }
        let base = try resolve(lexer.iriText(range, escaped: escaped))
        if !sparql {
            guard try nextToken() == .dot else { throw error("expected `.` after `@base` directive, found \(found)") }
        }
        resolver = IRIResolver(base: base)
        iriCache.removeAll()
    }
}
