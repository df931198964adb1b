/// Runs an ``XPathRegexProgram`` over a text: a Pike VM (Thompson's NFA simulation, with a
/// capture-slot array per thread).
///
/// All threads advance together, one scalar at a time. At each position a thread is kept
/// only for the first time an instruction is reached (`marks` holds the position's
/// generation per instruction), so the work per scalar is bounded by the program size and a
/// search is linear in the text: no pattern can make it backtrack. Threads stay in priority
/// order (the order a backtracking engine would try them: split targets depth-first, the
/// first one first, a new start position last), and a matching thread cuts off every lower
/// priority thread, which yields the leftmost-first match and groups that Perl would report.
struct XPathRegexVM {
    /// Threads of one position, in priority order: their instructions (consuming ones or
    /// `match`) and their slots, `slotCount` per thread.
    private struct Threads {
        var pcs: [Int] = []
        var slots: [Int] = []

        mutating func removeAll() {
            pcs.removeAll(keepingCapacity: true)
            slots.removeAll(keepingCapacity: true)
        }
    }

    /// Work left while following the non-consuming instructions from one thread.
    private enum Frame {
        case explore(Int)
        /// Undoes a `save` once the branch that made it has been followed.
        case restore(slot: Int, value: Int)
    }

    private let program: XPathRegexProgram
    private let slotCount: Int
    private var marks: [Int]
    /// Per set, `2 * generation + 1` if the current scalar is in it, `2 * generation` if not:
    /// the copies of a counted repetition share their sets, so a set is tested once per
    /// position however many threads ask.
    private var setResults: [Int]
    private var generation = 0
    private var current = Threads()
    private var next = Threads()
    private var scratch: [Int]
    private var stack: [Frame] = []

    /// When to give up: linear time is still long on a large literal with a large program.
    private let deadline: ContinuousClock.Instant?
    /// Whether a run stopped at the deadline (its answer is then no match).
    private(set) var timedOut = false

    init(program: XPathRegexProgram, deadline: ContinuousClock.Instant? = nil) {
        self.deadline = deadline
        self.program = program
        self.slotCount = program.slotCount
        self.marks = Array(repeating: -1, count: program.instructions.count)
        self.setResults = Array(repeating: -1, count: program.sets.count)
        self.scratch = Array(repeating: -1, count: program.slotCount)
    }

    /// The slots of the leftmost-first match that starts at or after `start` (-1 for a slot
    /// never saved), or nil if there is none or `start` is outside the text.
    /// - Parameter earliest: stop at the first match any thread reaches, whose slots are then
    ///   not necessarily the preferred ones: enough to know that the pattern matches.
    mutating func run(_ text: [Unicode.Scalar], from start: Int, earliest: Bool) -> [Int]? {
        guard start >= 0, start <= text.count, !program.instructions.isEmpty else { return nil }
        let anchored = program.isAnchoredAtStart
        var matched: [Int]?
        var position = start
        beginPosition()
        addThread(from: nil, at: 0, position: position, text: text)
        swap(&current, &next)
        while !(current.pcs.isEmpty && (matched != nil || anchored)) {
            // The clock every 16 scalars: a few nanoseconds against up to a program's worth
            // of work per scalar.
            if let deadline, position & 15 == 0, ContinuousClock.now > deadline {
                timedOut = true
                return nil
            }
            beginPosition()
            let scalar: UInt32? = position < text.count ? text[position].value : nil
            var variants: [UInt32] = []
            threads: for index in current.pcs.indices {
                let pc = current.pcs[index]
                var advances = false
                switch program.instructions[pc] {
                case .match:
                    let slots = Array(current.slots[index * slotCount..<(index + 1) * slotCount])
                    if earliest { return slots }
                    matched = slots
                    break threads
                case .scalar(let value):
                    advances = scalar == value
                case .any:
                    advances = scalar != nil
                case .anyButNewline:
                    advances = scalar != nil && scalar != 0x0A && scalar != 0x0D
                case .set(let set):
                    guard let scalar, set < program.sets.count else { break }
                    if setResults[set] >> 1 == generation {
                        advances = setResults[set] & 1 == 1
                        break
                    }
                    if program.caseInsensitive {
                        if variants.isEmpty { variants = XPathCharSet.caseVariants(of: scalar) }
                        advances = program.sets[set].contains(anyOf: variants)
                    } else {
                        advances = program.sets[set].contains(scalar)
                    }
                    setResults[set] = 2 * generation + (advances ? 1 : 0)
                default:
                    break
                }
                if advances { addThread(from: index, at: pc + 1, position: position + 1, text: text) }
            }
            if position >= text.count { break }
            position += 1
            if matched == nil && !anchored { addThread(from: nil, at: 0, position: position, text: text) }
            swap(&current, &next)
        }
        return matched
    }

    /// Throws when a run stopped at the deadline.
    func checkTime() throws {
        if timedOut { throw ExpressionError(reason: "REGEX: the query's time ran out while matching") }
    }

    /// Starts the thread list of a new position.
    private mutating func beginPosition() {
        generation += 1
        next.removeAll()
    }

    /// Follows the non-consuming instructions from `start` at `position` and adds the
    /// consuming (or matching) instructions reached to `next`, in priority order.
    /// - Parameter source: the thread of `current` whose slots the new threads inherit; nil
    ///   for a new thread, whose slots are all unset.
    private mutating func addThread(from source: Int?, at start: Int, position: Int, text: [Unicode.Scalar]) {
        for slot in 0..<slotCount {
            scratch[slot] = source.map { current.slots[$0 * slotCount + slot] } ?? -1
        }
        let instructions = program.instructions
        stack.append(.explore(start))
        while let frame = stack.popLast() {
            guard case .explore(var pc) = frame else {
                if case .restore(let slot, let value) = frame { scratch[slot] = value }
                continue
            }
            follow: while pc < instructions.count, marks[pc] != generation {
                marks[pc] = generation
                switch instructions[pc] {
                case .jump(let target):
                    pc = target
                case .split(let first, let second):
                    stack.append(.explore(second))
                    pc = first
                case .save(let slot):
                    stack.append(.restore(slot: slot, value: scratch[slot]))
                    scratch[slot] = position
                    pc += 1
                case .assert(let assertion):
                    guard Self.holds(assertion, at: position, in: text) else { break follow }
                    pc += 1
                case .progress(let slot, let loop, let exit):
                    pc = position > scratch[slot] ? loop : exit
                case .scalar, .set, .any, .anyButNewline, .match:
                    next.pcs.append(pc)
                    next.slots.append(contentsOf: scratch)
                    break follow
                }
            }
        }
    }

    private static func holds(_ assertion: XPathRegexInstruction.Assertion, at position: Int,
                              in text: [Unicode.Scalar]) -> Bool {
        switch assertion {
        case .textStart: return position == 0
        case .textEnd: return position >= text.count
        case .lineStart: return position == 0 || (position <= text.count && text[position - 1] == "\n")
        case .lineEnd: return position >= text.count || text[position] == "\n"
        }
    }
}
