/// One instruction of a compiled XPath regular expression, run by ``XPathRegexVM``.
///
/// The program is a Thompson NFA: consuming instructions (`scalar`, `set`, `any`,
/// `anyButNewline`) read one scalar and go to the next instruction; the others move between
/// instructions without reading. Targets are absolute instruction indexes.
enum XPathRegexInstruction: Sendable, Equatable {
    /// A position test that reads no input.
    enum Assertion: Sendable, Equatable {
        /// `^`: the start of the text.
        case textStart
        /// `$`: the end of the text (XPath's `$`, unlike Perl's, does not match before a final
        /// newline).
        case textEnd
        /// `^` with flag `m`: the start of the text or just after `\n`.
        case lineStart
        /// `$` with flag `m`: the end of the text or just before `\n`.
        case lineEnd
    }

    case scalar(UInt32)
    /// A scalar from `XPathRegexProgram.sets[index]`.
    case set(Int)
    case any
    case anyButNewline
    /// Continue at both targets, the first one preferred (a greedy or lazy choice).
    case split(Int, Int)
    case jump(Int)
    /// Record the current position in a capture slot.
    case save(Int)
    case assert(Assertion)
    /// The end of a loop whose body can match the empty string: loop again only if the
    /// iteration consumed input since `slot` was saved, else leave. This is how backtracking
    /// engines treat an empty iteration (they move on instead of looping forever), and it
    /// gives groups in such loops the captures Perl would report.
    case progress(slot: Int, loop: Int, exit: Int)
    case match

    /// The instruction with its targets moved by `delta`, for copying a block of code
    /// (counted repetitions are expanded into copies of their body).
    func relocated(by delta: Int) -> XPathRegexInstruction {
        switch self {
        case .split(let first, let second): return .split(first + delta, second + delta)
        case .jump(let target): return .jump(target + delta)
        case .progress(let slot, let loop, let exit):
            return .progress(slot: slot, loop: loop + delta, exit: exit + delta)
        default: return self
        }
    }
}
