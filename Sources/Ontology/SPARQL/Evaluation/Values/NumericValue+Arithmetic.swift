/// Arithmetic, comparison and rounding on numbers (XPath F&O §4.2-§4.4, SPARQL §17.4.4).
extension NumericValue {
    /// `a op b` after promotion to the common type (XPath op:numeric-add, -subtract, -multiply,
    /// -divide).
    ///
    /// Integer and decimal results are exact; they throw on overflow (XPath `FOAR0002`) and on
    /// division by zero (`FOAR0001`). `xsd:integer` divided by `xsd:integer` is an
    /// `xsd:decimal` (op:numeric-divide). Float and double follow IEEE 754: division by zero
    /// gives an infinity or NaN.
    static func apply(_ op: ArithmeticOperator, _ a: NumericValue, _ b: NumericValue) throws -> NumericValue {
        switch promote(a, b) {
        case (.integer(let x), .integer(let y)):
            switch op {
            case .add:
                let (result, overflow) = x.addingReportingOverflow(y)
                if overflow { throw ExpressionError.overflow("integer addition") }
                return .integer(result)
            case .subtract:
                let (result, overflow) = x.subtractingReportingOverflow(y)
                if overflow { throw ExpressionError.overflow("integer subtraction") }
                return .integer(result)
            case .multiply:
                let (result, overflow) = x.multipliedReportingOverflow(by: y)
                if overflow { throw ExpressionError.overflow("integer multiplication") }
                return .integer(result)
            case .divide:
                return try decimalArithmetic(.divide, XSDDecimal(x), XSDDecimal(y))
            }
        case (.decimal(let x), .decimal(let y)):
            return try decimalArithmetic(op, x, y)
        case (.float(let x), .float(let y)):
            switch op {
            case .add: return .float(x + y)
            case .subtract: return .float(x - y)
            case .multiply: return .float(x * y)
            case .divide: return .float(x / y)
            }
        default:
            let x = a.doubleValue
            let y = b.doubleValue
            switch op {
            case .add: return .double(x + y)
            case .subtract: return .double(x - y)
            case .multiply: return .double(x * y)
            case .divide: return .double(x / y)
            }
        }
    }

    private static func decimalArithmetic(_ op: ArithmeticOperator, _ x: XSDDecimal, _ y: XSDDecimal) throws -> NumericValue {
        let result: XSDDecimal?
        switch op {
        case .add: result = x.adding(y)
        case .subtract: result = x.subtracting(y)
        case .multiply: result = x.multiplied(by: y)
        case .divide:
            if y.isZero { throw ExpressionError(reason: "division by zero") }
            result = x.divided(by: y)
        }
        guard let result else { throw ExpressionError.overflow("decimal arithmetic") }
        return .decimal(result)
    }

    /// `-a` (XPath op:numeric-unary-minus).
    func negated() throws -> NumericValue {
        switch self {
        case .integer(let value):
            let (result, overflow) = Int64(0).subtractingReportingOverflow(value)
            if overflow { throw ExpressionError.overflow("integer negation") }
            return .integer(result)
        case .decimal(let value):
            guard let result = value.negated() else { throw ExpressionError.overflow("decimal negation") }
            return .decimal(result)
        case .float(let value): return .float(-value)
        case .double(let value): return .double(-value)
        }
    }

    /// The values compared after promotion: -1, 0 or 1, or `nil` when one is NaN (NaN is
    /// neither less than, equal to nor greater than anything: op:numeric-less-than is false).
    static func compare(_ a: NumericValue, _ b: NumericValue) -> Int? {
        switch promote(a, b) {
        case (.integer(let x), .integer(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.decimal(let x), .decimal(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.float(let x), .float(let y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        default:
            let x = a.doubleValue
            let y = b.doubleValue
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    // MARK: Functions on numerics (§17.4.4); each keeps the argument's type.

    /// ABS (fn:abs).
    func absoluteValue() throws -> NumericValue {
        switch self {
        case .integer(let value):
            guard value != Int64.min else { throw ExpressionError.overflow("ABS") }
            return .integer(Swift.abs(value))
        case .decimal(let value):
            guard value.isNegative else { return self }
            guard let result = value.negated() else { throw ExpressionError.overflow("ABS") }
            return .decimal(result)
        case .float(let value): return .float(Swift.abs(value))
        case .double(let value): return .double(Swift.abs(value))
        }
    }

    /// CEIL (fn:ceiling).
    func ceiling() throws -> NumericValue {
        switch self {
        case .integer: return self
        case .decimal(let value):
            guard let result = value.ceiling() else { throw ExpressionError.overflow("CEIL") }
            return .decimal(result)
        case .float(let value): return .float(value.rounded(.up))
        case .double(let value): return .double(value.rounded(.up))
        }
    }

    /// FLOOR (fn:floor).
    func floor() throws -> NumericValue {
        switch self {
        case .integer: return self
        case .decimal(let value):
            guard let result = value.floor() else { throw ExpressionError.overflow("FLOOR") }
            return .decimal(result)
        case .float(let value): return .float(value.rounded(.down))
        case .double(let value): return .double(value.rounded(.down))
        }
    }

    /// ROUND (fn:round): the nearest whole number, halves toward positive infinity, so
    /// ROUND(2.5) = 3 and ROUND(-2.5) = -2; for float and double, values in [-0.5, -0]
    /// round to negative zero.
    func rounded() throws -> NumericValue {
        switch self {
        case .integer: return self
        case .decimal(let value):
            guard let result = value.rounded() else { throw ExpressionError.overflow("ROUND") }
            return .decimal(result)
        case .float(let value): return .float(Self.roundHalfUp(value))
        case .double(let value): return .double(Self.roundHalfUp(value))
        }
    }

    /// floor(x + 0.5) computed without the rounding error of `x + 0.5` itself (which turns
    /// 0.49999999999999994 into 1): x - floor(x) is exact for every finite binary float.
    private static func roundHalfUp<T: BinaryFloatingPoint>(_ value: T) -> T {
        guard value.isFinite else { return value }
        let lower = value.rounded(.down)
        let result = value - lower >= 0.5 ? lower + 1 : lower
        if result == 0 && value.sign == .minus { return -0.0 }
        return result
    }
}
