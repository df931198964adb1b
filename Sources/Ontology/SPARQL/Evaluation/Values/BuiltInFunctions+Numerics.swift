/// Functions on numerics (§17.4.4).
extension BuiltInFunctions {
    /// ABS, CEIL, FLOOR, ROUND keep the argument's type (a derived integer type gives
    /// `xsd:integer`, as XPath returns the base type); RAND gives an `xsd:double` in [0, 1).
    static func numericFunction(_ function: BuiltInFunction, _ args: Arguments, context: inout FunctionContext) throws -> Term {
        switch function {
        case .rand: return NumericValue.double(context.random.nextUnitDouble()).term
        case .abs: return try args.number(0).absoluteValue().term
        case .ceil: return try args.number(0).ceiling().term
        case .floor: return try args.number(0).floor().term
        case .round: return try args.number(0).rounded().term
        default: throw ExpressionError(reason: "\(function.rawValue) is not a numeric function")
        }
    }
}
