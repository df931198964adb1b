/// The syntax tree of an XPath regular expression, between ``XPathRegexParser`` and
/// ``XPathRegexCompiler``.
///
/// The tree keeps only what matching needs: escapes, classes and case-insensitive literals are
/// already resolved into ``XPathCharSet``s, and non-capturing groups are gone.
indirect enum XPathRegexNode: Sendable {
    /// Matches the empty string (an empty branch, `()`'s inside).
    case empty
    /// One scalar, compared exactly.
    case scalar(UInt32)
    /// One scalar from a set (a class, an escape such as `\d`, a case-insensitive literal).
    case set(XPathCharSet)
    /// `.` in dot-all mode: any scalar.
    case any
    /// `.` otherwise: any scalar but `\n` and `\r`.
    case anyButNewline
    /// `^` or `$`.
    case assertion(XPathRegexInstruction.Assertion)
    /// A capturing group, numbered from 1 by its opening parenthesis.
    case group(Int, XPathRegexNode)
    case sequence([XPathRegexNode])
    /// Alternatives, the first one preferred.
    case alternation([XPathRegexNode])
    /// A quantifier: `max == nil` is unbounded; `greedy == false` is the lazy form (`*?`).
    case repetition(XPathRegexNode, min: Int, max: Int?, greedy: Bool)

    /// Whether the node can match the empty string. A loop over such a body needs a check
    /// that each iteration advanced (see ``XPathRegexInstruction/progress(slot:loop:exit:)``).
    var isNullable: Bool {
        switch self {
        case .empty, .assertion: return true
        case .scalar, .set, .any, .anyButNewline: return false
        case .group(_, let inner): return inner.isNullable
        case .sequence(let items): return items.allSatisfy(\.isNullable)
        case .alternation(let branches): return branches.contains(where: \.isNullable)
        case .repetition(let inner, let min, _, _): return min == 0 || inner.isNullable
        }
    }
}
