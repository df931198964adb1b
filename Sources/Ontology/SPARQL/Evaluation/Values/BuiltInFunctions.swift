/// The built-in functions of SPARQL 1.1 (§17.4) and the XSD casts (§17.5), on
/// already-evaluated arguments.
///
/// `BOUND`, `IF`, `COALESCE`, `EXISTS` and the logical operators need unevaluated arguments
/// and belong to the evaluator. Every other ``BuiltInFunction`` case is implemented here, the
/// term functions in this file and the others in the `+Strings`, `+Regex`, `+Numerics`,
/// `+DateTime`, `+Hashes` and `+Casts` extensions.
///
/// ```swift
/// var context = FunctionContext()
/// try BuiltInFunctions.call(.strlen, [.literal(Literal("食べ物"))], context: &context)
/// // "3"^^xsd:integer
/// ```
enum BuiltInFunctions {
    /// Calls a built-in function.
    /// - Throws: ``ExpressionError`` for a wrong number of arguments or any argument the
    ///   function is not defined for (the expression then has no value).
    static func call(_ function: BuiltInFunction, _ arguments: [Term], context: inout FunctionContext) throws -> Term {
        guard function.arity.contains(arguments.count) else {
            let range = function.arity
            let expected = range.upperBound == Int.max ? "at least \(range.lowerBound)"
                : (range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)")
            throw ExpressionError.arity(function.rawValue, expected: expected, got: arguments.count)
        }
        let args = Arguments(function: function.rawValue, terms: arguments)
        switch function {
        case .str: return try str(args.at(0))
        case .lang: return try lang(args.at(0))
        case .langMatches: return try langMatches(args)
        case .datatype: return try datatype(args.at(0))
        case .iri, .uri: return try iri(args.at(0), context: context)
        case .bnode: return try bnode(args, context: &context)
        case .strDatatype: return try strDatatype(args)
        case .strLang: return try strLang(args)
        case .sameTerm: return boolean(TermValues.sameTerm(try args.at(0), try args.at(1)))
        case .isIRI, .isURI: return boolean(try args.at(0).iri != nil)
        case .isBlank: return boolean(try args.at(0).isBlankNode)
        case .isLiteral: return boolean(try args.at(0).literal != nil)
        case .isNumeric: return boolean(try args.at(0).literal.flatMap { NumericValue($0) } != nil)
        case .rand, .abs, .ceil, .floor, .round:
            return try numericFunction(function, args, context: &context)
        case .concat, .substr, .strlen, .ucase, .lcase, .encodeForURI, .contains, .strStarts, .strEnds,
            .strBefore, .strAfter:
            return try stringFunction(function, args)
        case .regex: return try regex(args, context: &context)
        case .replace: return try replace(args, context: &context)
        case .year, .month, .day, .hours, .minutes, .seconds, .timezone, .tz, .now:
            return try dateTimeFunction(function, args, context: context)
        case .md5, .sha1, .sha256, .sha384, .sha512, .uuid, .strUUID:
            return try hashFunction(function, args, context: &context)
        }
    }

    // MARK: Term functions (§17.4.2)

    /// STR (§17.4.2.5): the lexical form of a literal or the string of an IRI, as a simple
    /// literal; an error for blank nodes.
    static func str(_ term: Term) throws -> Term {
        switch term {
        case .iri(let iri): return .literal(Literal(iri.value))
        case .literal(let literal): return .literal(Literal(literal.lexicalForm))
        case .blankNode: throw ExpressionError.typeError("STR", term)
        }
    }

    /// LANG (§17.4.2.6): the language tag of a literal, or `""` when it has none.
    static func lang(_ term: Term) throws -> Term {
        guard case .literal(let literal) = term else { throw ExpressionError.typeError("LANG", term) }
        return .literal(Literal(literal.language ?? ""))
    }

    /// DATATYPE (§17.4.2.7): the datatype IRI of a literal; `rdf:langString` for a tagged one.
    static func datatype(_ term: Term) throws -> Term {
        guard case .literal(let literal) = term else { throw ExpressionError.typeError("DATATYPE", term) }
        return .iri(literal.datatype)
    }

    /// LANGMATCHES (§17.4.3.13): RFC 4647 basic filtering. `"*"` matches every non-empty tag;
    /// otherwise the range matches a tag equal to it or starting with it and a `-`, ignoring
    /// case (`"en"` matches `"en-GB"`, `"de-de"` does not match `"de-Latn-de"`).
    static func langMatches(_ args: Arguments) throws -> Term {
        let tag = try args.simpleString(0).lowercased()
        let range = try args.simpleString(1).lowercased()
        if range == "*" { return boolean(!tag.isEmpty) }
        if range.isEmpty { return boolean(tag.isEmpty) }
        return boolean(tag == range || tag.hasPrefix(range + "-"))
    }

    /// IRI/URI (§17.4.2.8): an IRI unchanged, or a simple literal resolved against the base
    /// IRI. An error for other terms, for a relative reference without base, and for strings
    /// with characters no IRI may hold.
    static func iri(_ term: Term, context: FunctionContext) throws -> Term {
        switch term {
        case .iri: return term
        case .literal(let literal) where literal.isPlainString:
            let text = literal.lexicalForm
            guard !IRIValidation.hasForbiddenCharacter(text) else {
                throw ExpressionError(reason: "`\(text)` is not a valid IRI")
            }
            if let base = context.base { return .iri(IRI(base.resolve(text))) }
            guard IRIResolver.hasScheme(text) else {
                throw ExpressionError(reason: "relative IRI `\(text)` with no base IRI")
            }
            return .iri(IRI(text))
        default:
            throw ExpressionError.typeError("IRI", term)
        }
    }

    /// BNODE (§17.4.2.9): a fresh blank node, or with a simple literal argument the same blank
    /// node for the same string within one solution (see ``FunctionContext/beginSolution()``).
    static func bnode(_ args: Arguments, context: inout FunctionContext) throws -> Term {
        guard args.count == 1 else { return .blankNode(context.blankNodes.next()) }
        let label = try args.simpleString(0)
        if let node = context.blankNodesOfSolution[label] { return .blankNode(node) }
        let node = context.blankNodes.next()
        context.blankNodesOfSolution[label] = node
        return .blankNode(node)
    }

    /// STRDT (§17.4.2.10): a literal with the lexical form of a simple literal and the given
    /// datatype IRI. An error when the first argument has a language tag or a datatype other
    /// than `xsd:string`, or the datatype is `rdf:langString` (which needs a tag).
    static func strDatatype(_ args: Arguments) throws -> Term {
        let lexicalForm = try args.simpleString(0)
        guard case .iri(let datatype) = try args.at(1), datatype != RDF.langString else {
            throw ExpressionError.typeError("STRDT", try args.at(1))
        }
        return .literal(Literal(lexicalForm, datatype: datatype))
    }

    /// STRLANG (§17.4.2.11): a literal with the lexical form of a simple literal and a language
    /// tag, which must be well formed (BCP 47 shape). An error when the first argument already
    /// has a tag or a datatype other than `xsd:string`.
    static func strLang(_ args: Arguments) throws -> Term {
        let lexicalForm = try args.simpleString(0)
        let tag = try args.simpleString(1)
        guard LanguageTag.isWellFormed(tag) else {
            throw ExpressionError(reason: "`\(tag)` is not a language tag")
        }
        return .literal(Literal(lexicalForm, language: tag))
    }

    /// `"true"^^xsd:boolean` or `"false"^^xsd:boolean`.
    static func boolean(_ value: Bool) -> Term {
        .literal(Literal(value ? "true" : "false", datatype: XSD.boolean))
    }

    /// A string result: simple, or language-tagged when `language` is given.
    static func string(_ value: String, language: String?) -> Term {
        if let language { return .literal(Literal(value, language: language)) }
        return .literal(Literal(value))
    }
}

extension BuiltInFunctions {
    /// The arguments of one call, with checked access: every argument comes from user data, so no
    /// index or kind is assumed.
    struct Arguments {
        let function: String
        let terms: [Term]

        var count: Int { terms.count }

        /// The argument at `index`.
        func at(_ index: Int) throws -> Term {
            guard terms.indices.contains(index) else {
                throw ExpressionError(reason: "\(function) is missing argument \(index + 1)")
            }
            return terms[index]
        }

        /// A simple literal (`xsd:string`, no language tag): SPARQL's "simple literal" arguments.
        func simpleString(_ index: Int) throws -> String {
            let term = try at(index)
            guard case .literal(let literal) = term, literal.isPlainString else {
                throw ExpressionError.typeError(function, term)
            }
            return literal.lexicalForm
        }

        /// A string literal (§17.1: a simple literal or a language-tagged one), with its tag.
        func stringLiteral(_ index: Int) throws -> (value: String, language: String?) {
            let term = try at(index)
            guard case .literal(let literal) = term,
                literal.isPlainString || (literal.language != nil && literal.datatype == RDF.langString)
            else {
                throw ExpressionError.typeError(function, term)
            }
            return (literal.lexicalForm, literal.language)
        }

        /// A valid number.
        func number(_ index: Int) throws -> NumericValue {
            try TermValues.number(at(index), for: function)
        }
    }
}
