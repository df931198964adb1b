/// Why a text is not JSON, and where: line and column (in characters) of the first fault.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    /// What is wrong, e.g. "expected `:` after a field name".
    public let reason: String

    public init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line:column: reason`.
    public var description: String { "\(line):\(column): \(reason)" }
}
