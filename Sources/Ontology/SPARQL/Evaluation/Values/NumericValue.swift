/// A value of one of the four numeric types that SPARQL operators work on (§17.3), after
/// derived integer types (`xsd:short`, `xsd:nonNegativeInteger`…) have been read as
/// `xsd:integer`.
///
/// The cases are ordered by XPath's numeric type promotion (XPath 2.0 §B.1, §B.2):
/// integer < decimal < float < double. An operator on two values first promotes both to the
/// larger type, and its result has that type (except integer division, which gives a decimal).
/// `xsd:integer` is held as an `Int64`, as in Oxigraph; results beyond it are errors.
enum NumericValue: Sendable {
    case integer(Int64)
    case decimal(XSDDecimal)
    case float(Float)
    case double(Double)

    /// Promotion rank: integer 0, decimal 1, float 2, double 3.
    var rank: Int {
        switch self {
        case .integer: return 0
        case .decimal: return 1
        case .float: return 2
        case .double: return 3
        }
    }

    /// The datatype IRI of a result of this type.
    var datatype: IRI {
        switch self {
        case .integer: return XSD.integer
        case .decimal: return XSD.decimal
        case .float: return XSD.float
        case .double: return XSD.double
        }
    }

    /// The value as a literal in the canonical lexical form of its type.
    var literal: Literal {
        Literal(canonicalLexicalForm, datatype: datatype)
    }

    /// The canonical lexical form: `"3"`, `"1.5"` (decimal), `"1.5E0"` (float and double).
    var canonicalLexicalForm: String {
        switch self {
        case .integer(let value): return String(value)
        case .decimal(let value): return value.description
        case .float(let value): return FloatingPointFormat.canonical(value)
        case .double(let value): return FloatingPointFormat.canonical(value)
        }
    }

    var term: Term { .literal(literal) }

    /// The value as a decimal (integer and decimal only: floats convert through casts).
    var decimalValue: XSDDecimal? {
        switch self {
        case .integer(let value): return XSDDecimal(value)
        case .decimal(let value): return value
        case .float, .double: return nil
        }
    }

    /// The value as a float (rounded for wide integers and decimals).
    var floatValue: Float {
        switch self {
        case .integer(let value): return Float(value)
        case .decimal(let value): return value.floatValue
        case .float(let value): return value
        case .double(let value): return Float(value)
        }
    }

    /// The value as a double (rounded for wide integers and decimals).
    var doubleValue: Double {
        switch self {
        case .integer(let value): return Double(value)
        case .decimal(let value): return value.doubleValue
        case .float(let value): return Double(value)
        case .double(let value): return value
        }
    }

    /// Whether the value is a float or double NaN.
    var isNaN: Bool {
        switch self {
        case .integer, .decimal: return false
        case .float(let value): return value.isNaN
        case .double(let value): return value.isNaN
        }
    }

    /// Whether the value is zero or NaN: the numbers whose effective boolean value is false
    /// (§17.2.2).
    var isZeroOrNaN: Bool {
        switch self {
        case .integer(let value): return value == 0
        case .decimal(let value): return value.isZero
        case .float(let value): return value == 0 || value.isNaN
        case .double(let value): return value == 0 || value.isNaN
        }
    }

    /// This value converted to the type of rank `rank` (which must not be lower than its own).
    func promoted(toRank rank: Int) -> NumericValue {
        guard rank > self.rank else { return self }
        switch rank {
        case 1: return decimalValue.map { .decimal($0) } ?? self
        case 2: return .float(floatValue)
        default: return .double(doubleValue)
        }
    }

    /// Both values promoted to their common type (XPath numeric type promotion).
    static func promote(_ a: NumericValue, _ b: NumericValue) -> (NumericValue, NumericValue) {
        let rank = Swift.max(a.rank, b.rank)
        return (a.promoted(toRank: rank), b.promoted(toRank: rank))
    }

    // MARK: Reading literals

    /// The numeric value of a literal of a numeric datatype, or `nil` when the datatype is not
    /// numeric or the lexical form is not in its lexical space (an ill-typed literal).
    init?(_ literal: Literal) {
        guard let kind = NumericDatatype(literal.datatype) else { return nil }
        self.init(lexicalForm: literal.lexicalForm, kind: kind)
    }

    /// Parses a lexical form as a number of the given numeric datatype.
    init?(lexicalForm: String, kind: NumericDatatype) {
        switch kind {
        case .integer(let range):
            guard let value = Self.parseInteger(lexicalForm), range.contains(value) else { return nil }
            self = .integer(value)
        case .decimal:
            guard let value = XSDDecimal(lexicalForm) else { return nil }
            self = .decimal(value)
        case .float:
            guard let value = FloatingPointFormat.parseFloat(lexicalForm) else { return nil }
            self = .float(value)
        case .double:
            guard let value = FloatingPointFormat.parseDouble(lexicalForm) else { return nil }
            self = .double(value)
        }
    }

    /// Parses the `xsd:integer` lexical space, `(+|-)? [0-9]+`; `nil` beyond `Int64`.
    static func parseInteger<S: StringProtocol>(_ lexical: S) -> Int64? {
        var value: Int64 = 0
        var negative = false
        var digits = 0
        for (offset, byte) in lexical.utf8.enumerated() {
            if offset == 0 && (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")) {
                negative = byte == UInt8(ascii: "-")
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            // Accumulate negatively so that Int64.min parses too.
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.subtractingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
            digits += 1
        }
        guard digits > 0 else { return nil }
        if negative { return value }
        let (positive, overflow) = Int64(0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }
}
