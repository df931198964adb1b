/// The four arithmetic operators of SPARQL (§17.3: `op:numeric-add` and friends).
enum ArithmeticOperator: Sendable, Hashable {
    case add, subtract, multiply, divide
}
