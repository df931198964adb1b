/// Functions on dates and times (§17.4.5).
extension BuiltInFunctions {
    /// The `xsd:dayTimeDuration` datatype of TIMEZONE's result.
    static let dayTimeDuration = IRI(XSD.namespace + "dayTimeDuration")

    /// YEAR, MONTH, DAY, HOURS, MINUTES (integers), SECONDS (a decimal), TIMEZONE (an
    /// `xsd:dayTimeDuration`, an error without timezone), TZ (the timezone text, `""` without
    /// one) of an `xsd:dateTime`; and NOW(), the query's time.
    ///
    /// YEAR, MONTH, DAY, TIMEZONE and TZ also accept an `xsd:date`, as XPath's
    /// `year-from-date` and friends do.
    static func dateTimeFunction(_ function: BuiltInFunction, _ args: Arguments, context: FunctionContext) throws -> Term {
        if function == .now { return .literal(context.now.literal) }
        let term = try args.at(0)
        guard case .literal(let literal) = term, case .dateTime(let value) = LiteralValue(literal) else {
            throw ExpressionError.typeError(function.rawValue, term)
        }
        switch function {
        case .year: return integer(value.year)
        case .month: return integer(value.month)
        case .day: return integer(value.day)
        case .timezone:
            guard let offset = value.timezoneOffset else {
                throw ExpressionError(reason: "TIMEZONE: `\(term)` has no timezone")
            }
            return .literal(Literal(durationText(minutes: offset), datatype: dayTimeDuration))
        case .tz:
            return .literal(Literal(XSDDateTime.timezoneText(ofLexicalForm: literal.lexicalForm)))
        default:
            break
        }
        guard value.kind == .dateTime else { throw ExpressionError.typeError(function.rawValue, term) }
        switch function {
        case .hours: return integer(value.hour)
        case .minutes: return integer(value.minute)
        case .seconds: return NumericValue.decimal(value.second).term
        default: throw ExpressionError(reason: "\(function.rawValue) is not a date function")
        }
    }

    private static func integer(_ value: Int) -> Term {
        NumericValue.integer(Int64(value)).term
    }

    /// The canonical `xsd:dayTimeDuration` of a timezone offset: `PT0S`, `-PT8H`, `PT5H30M`.
    static func durationText(minutes: Int) -> String {
        if minutes == 0 { return "PT0S" }
        let magnitude = Swift.abs(minutes)
        var out = minutes < 0 ? "-PT" : "PT"
        if magnitude >= 60 { out += "\(magnitude / 60)H" }
        if magnitude % 60 != 0 { out += "\(magnitude % 60)M" }
        return out
    }
}
