/// XSD casts (§17.5) and other functions named by IRI (§17.6).
extension BuiltInFunctions {
    /// Calls a function named by an IRI. The engine knows the constructor functions (casts)
    /// `xsd:string`, `xsd:boolean`, `xsd:integer` and the types derived from it, `xsd:decimal`,
    /// `xsd:float`, `xsd:double`, `xsd:dateTime` and `xsd:date`; any other IRI is an error
    /// (an unknown extension function, §17.6).
    ///
    /// A cast takes one argument and follows the table of §17.5 (XPath F&O §19): strings are
    /// parsed in the target's lexical space (after trimming surrounding whitespace, as XPath
    /// does), numbers convert with truncation toward zero for integers, booleans become 1 or 0
    /// and numbers become `false` only when zero or NaN. The result is in canonical form.
    /// - Throws: ``ExpressionError`` for a disallowed cast, an invalid lexical form, or a value
    ///   out of the target's range (NaN or INF to an integer or decimal).
    static func callFunction(_ iri: IRI, _ arguments: [Term], context: inout FunctionContext) throws -> Term {
        guard let target = CastTarget(iri) else {
            throw ExpressionError(reason: "unknown function `\(iri.value)`")
        }
        guard arguments.count == 1, let argument = arguments.first else {
            throw ExpressionError.arity(iri.value, expected: "1", got: arguments.count)
        }
        return try cast(argument, to: target, iri: iri)
    }

    /// The datatypes a cast can produce.
    enum CastTarget: Equatable {
        case string, boolean, decimal, float, double, dateTime, date
        /// `xsd:integer` or a derived type, with the range its facets allow.
        case integer(ClosedRange<Int64>)

        init?(_ iri: IRI) {
            switch iri {
            case XSD.string: self = .string
            case XSD.boolean: self = .boolean
            case XSD.decimal: self = .decimal
            case XSD.float: self = .float
            case XSD.double: self = .double
            case XSD.dateTime: self = .dateTime
            case XSD.date: self = .date
            default:
                guard case .integer(let range) = NumericDatatype(iri) else { return nil }
                self = .integer(range)
            }
        }
    }

    static func cast(_ term: Term, to target: CastTarget, iri: IRI) throws -> Term {
        let literal: Literal
        switch term {
        case .iri(let value):
            // Only xsd:string accepts an IRI (§17.5 table, row "IRI").
            guard target == .string else { throw castError(term, iri) }
            return .literal(Literal(value.value))
        case .blankNode:
            throw castError(term, iri)
        case .literal(let value):
            literal = value
        }
        switch LiteralValue(literal) {
        case .string(let text):
            return try castString(text, to: target, iri: iri, term: term)
        case .boolean(let value):
            return try castBoolean(value, to: target, iri: iri, term: term)
        case .numeric(let value):
            return try castNumber(value, to: target, iri: iri, term: term)
        case .dateTime(let value):
            switch target {
            case .string: return .literal(Literal(value.description))
            case .dateTime:
                var result = value
                result.kind = .dateTime
                return .literal(result.literal)
            case .date:
                let result = XSDDateTime(kind: .date, year: value.year, month: value.month, day: value.day,
                                         timezoneOffset: value.timezoneOffset)
                return .literal(result.literal)
            default: throw castError(term, iri)
            }
        case .langString, .invalid, .unknown:
            // XPath has no value to convert, but the lexical form is still a string.
            guard target == .string else { throw castError(term, iri) }
            return .literal(Literal(literal.lexicalForm))
        }
    }

    private static func castError(_ term: Term, _ iri: IRI) -> ExpressionError {
        ExpressionError(reason: "cannot cast `\(term)` to `\(iri.value)`")
    }

    /// A string parsed in the target's lexical space.
    private static func castString(_ text: String, to target: CastTarget, iri: IRI, term: Term) throws -> Term {
        if target == .string { return .literal(Literal(text)) }
        let trimmed = trimmingXMLWhitespace(text)
        switch target {
        case .boolean:
            switch trimmed {
            case "true", "1": return boolean(true)
            case "false", "0": return boolean(false)
            default: throw castError(term, iri)
            }
        case .integer(let range):
            guard let value = NumericValue.parseInteger(trimmed), range.contains(value) else { throw castError(term, iri) }
            return integerTerm(value, iri: iri)
        case .decimal:
            guard let value = XSDDecimal(trimmed) else { throw castError(term, iri) }
            return NumericValue.decimal(value).term
        case .float:
            guard let value = FloatingPointFormat.parseFloat(trimmed) else { throw castError(term, iri) }
            return NumericValue.float(value).term
        case .double:
            guard let value = FloatingPointFormat.parseDouble(trimmed) else { throw castError(term, iri) }
            return NumericValue.double(value).term
        case .dateTime:
            guard let value = XSDDateTime(dateTime: trimmed) else { throw castError(term, iri) }
            return .literal(value.literal)
        case .date:
            guard let value = XSDDateTime(date: trimmed) else { throw castError(term, iri) }
            return .literal(value.literal)
        case .string:
            return .literal(Literal(text))
        }
    }

    private static func castBoolean(_ value: Bool, to target: CastTarget, iri: IRI, term: Term) throws -> Term {
        switch target {
        case .string: return .literal(Literal(value ? "true" : "false"))
        case .boolean: return boolean(value)
        case .integer: return integerTerm(value ? 1 : 0, iri: iri)
        case .decimal: return NumericValue.decimal(XSDDecimal(value ? 1 : 0)).term
        case .float: return NumericValue.float(value ? 1 : 0).term
        case .double: return NumericValue.double(value ? 1 : 0).term
        case .dateTime, .date: throw castError(term, iri)
        }
    }

    private static func castNumber(_ value: NumericValue, to target: CastTarget, iri: IRI, term: Term) throws -> Term {
        switch target {
        case .string:
            switch value {
            case .integer, .decimal: return .literal(Literal(value.canonicalLexicalForm))
            case .float(let number): return .literal(Literal(FloatingPointFormat.xpathString(number)))
            case .double(let number): return .literal(Literal(FloatingPointFormat.xpathString(number)))
            }
        case .boolean:
            return boolean(!value.isZeroOrNaN)
        case .integer(let range):
            let integer: Int64?
            switch value {
            case .integer(let number): integer = number
            case .decimal(let number): integer = number.truncatedInt64
            case .float(let number): integer = number.isFinite ? Int64(exactly: number.rounded(.towardZero)) : nil
            case .double(let number): integer = number.isFinite ? Int64(exactly: number.rounded(.towardZero)) : nil
            }
            guard let integer, range.contains(integer) else { throw castError(term, iri) }
            return integerTerm(integer, iri: iri)
        case .decimal:
            let decimal: XSDDecimal?
            switch value {
            case .integer(let number): decimal = XSDDecimal(number)
            case .decimal(let number): decimal = number
            case .float(let number): decimal = XSDDecimal(number)
            case .double(let number): decimal = XSDDecimal(number)
            }
            guard let decimal else { throw castError(term, iri) }
            return NumericValue.decimal(decimal).term
        case .float:
            return NumericValue.float(value.floatValue).term
        case .double:
            return NumericValue.double(value.doubleValue).term
        case .dateTime, .date:
            throw castError(term, iri)
        }
    }

    /// An integer result with the cast's datatype (`xsd:integer` or the derived type named).
    private static func integerTerm(_ value: Int64, iri: IRI) -> Term {
        .literal(Literal(String(value), datatype: iri))
    }

    /// The string without leading and trailing XML whitespace (space, tab, CR, LF), the
    /// `collapse` facet that XPath applies before parsing a cast from a string.
    static func trimmingXMLWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
        }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
