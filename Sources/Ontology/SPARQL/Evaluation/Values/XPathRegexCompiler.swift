/// Compiles an ``XPathRegexNode`` tree into the instructions of an ``XPathRegexProgram``
/// (Thompson's construction, with the choices ordered so that the VM prefers what a
/// backtracking engine would try first).
///
/// Counted repetitions are expanded: the body is compiled once and copied `n` times, then
/// `m - n` optional copies follow (`x{2,4}` becomes `xx(x(x)?)?`). Copies share their capture
/// slots, so a group inside reports its last iteration. The copies are what makes counts
/// above ``XPathRegexParser/maximumCount`` and programs above ``maximumInstructions``
/// invalid patterns: they bound the memory and the time per scalar of every match.
struct XPathRegexCompiler {
    static let maximumInstructions = 100_000

    private(set) var instructions: [XPathRegexInstruction] = []
    private(set) var sets: [XPathCharSet] = []
    /// Two slots per group (group 0 being the whole match), then one per loop whose body can
    /// match the empty string (the position where its current iteration began).
    private(set) var slotCount: Int
    private let source: String

    private init(groupCount: Int, source: String) {
        self.slotCount = 2 * (groupCount + 1)
        self.source = source
    }

    /// The program of a parsed pattern.
    /// - Parameter source: the pattern as written, for the error message.
    /// - Throws: ``ExpressionError`` if the program would exceed ``maximumInstructions``.
    static func compile(_ node: XPathRegexNode, groupCount: Int, caseInsensitive: Bool,
                        source: String) throws -> XPathRegexProgram {
        var compiler = XPathRegexCompiler(groupCount: groupCount, source: source)
        try compiler.append(.save(0))
        try compiler.emit(node)
        try compiler.append(.save(1))
        try compiler.append(.match)
        return XPathRegexProgram(instructions: compiler.instructions, sets: compiler.sets,
                                 slotCount: compiler.slotCount, groupCount: groupCount,
                                 caseInsensitive: caseInsensitive)
    }

    private mutating func emit(_ node: XPathRegexNode) throws {
        switch node {
        case .empty:
            break
        case .scalar(let value):
            try append(.scalar(value))
        case .set(let set):
            sets.append(set)
            try append(.set(sets.count - 1))
        case .any:
            try append(.any)
        case .anyButNewline:
            try append(.anyButNewline)
        case .assertion(let assertion):
            try append(.assert(assertion))
        case .group(let index, let inner):
            try append(.save(2 * index))
            try emit(inner)
            try append(.save(2 * index + 1))
        case .sequence(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            try emitAlternation(branches)
        case .repetition(let inner, let min, let max, let greedy):
            try emitRepetition(inner, min: min, max: max, greedy: greedy)
        }
    }

    /// `split(b1, next); b1; jump end; next: split(b2, …); b2; jump end; …; bn; end:`, so
    /// that earlier branches have priority.
    private mutating func emitAlternation(_ branches: [XPathRegexNode]) throws {
        var jumps: [Int] = []
        for (index, branch) in branches.enumerated() {
            guard index < branches.count - 1 else {
                try emit(branch)
                break
            }
            let split = instructions.count
            try append(.split(split + 1, split + 1))
            try emit(branch)
            jumps.append(instructions.count)
            try append(.jump(0))
            instructions[split] = .split(split + 1, instructions.count)
        }
        let end = instructions.count
        for jump in jumps { instructions[jump] = .jump(end) }
    }

    /// `min` copies of the body, then either `max - min` nested optional copies or, for an
    /// unbounded count, a loop:
    ///
    ///     entry: split(body, exit)   -- only when min == 0 (lazy: split(exit, body))
    ///     body:  <body>
    ///            split(body, exit)   -- lazy: split(exit, body)
    ///     exit:
    ///
    /// (doubled for a body that can match the empty string, see ``appendNullableLoop``).
    ///
    /// With `min > 0` the loop is the last mandatory copy, so `x+` costs one copy of `x`.
    private mutating func emitRepetition(_ inner: XPathRegexNode, min: Int, max: Int?, greedy: Bool) throws {
        if max == 0 { return }
        let start = instructions.count
        try emit(inner)
        let block = Array(instructions[start...])
        instructions.removeSubrange(start...)
        let size = block.count
        let copies = max.map { min * size + ($0 - min) * (size + 1) } ?? (Swift.max(min, 1) * size + size + 8)
        guard instructions.count + copies <= Self.maximumInstructions else { throw tooLarge() }

        if let max {
            for _ in 0..<min { appendCopy(of: block, compiledAt: start) }
            var splits: [Int] = []
            for _ in min..<max {
                splits.append(instructions.count)
                instructions.append(.jump(0))
                appendCopy(of: block, compiledAt: start)
            }
            let end = instructions.count
            for split in splits { instructions[split] = greedy ? .split(split + 1, end) : .split(end, split + 1) }
            return
        }
        for _ in 0..<Swift.max(min - 1, 0) { appendCopy(of: block, compiledAt: start) }
        let entry = instructions.count
        if min == 0 { instructions.append(.jump(0)) }
        let loop = inner.isNullable
            ? appendNullableLoop(block, compiledAt: start)
            : appendLoop(block, compiledAt: start)
        func choice(_ body: Int) -> XPathRegexInstruction {
            greedy ? .split(body, loop.exit) : .split(loop.exit, body)
        }
        for (split, body) in loop.choices { instructions[split] = choice(body) }
        if min == 0 { instructions[entry] = choice(loop.body) }
    }

    /// Where a loop starts and ends, and its choices to patch once the exit is known: each
    /// `split` instruction with the body it may run next.
    private struct Loop {
        let body: Int
        let exit: Int
        let choices: [(split: Int, body: Int)]
    }

    /// A loop over a body that always consumes: the body, then a choice (to patch) of
    /// running it again or leaving.
    private mutating func appendLoop(_ block: [XPathRegexInstruction], compiledAt origin: Int)
        -> Loop {
        let body = instructions.count
        appendCopy(of: block, compiledAt: origin)
        let again = instructions.count
        instructions.append(.jump(0))
        return Loop(body: body, exit: instructions.count, choices: [(again, body)])
    }

    /// A loop over a body that can match the empty string. Each iteration records where it
    /// began and leaves the loop if it consumed nothing (see
    /// ``XPathRegexInstruction/progress(slot:loop:exit:)``). Iterations alternate between
    /// two copies of the body: an empty iteration reaches the same instructions at the same
    /// position as the end of the iteration before it, and the VM, which keeps only the
    /// first thread per instruction and position, would drop it (and the captures Perl
    /// reports for it) if both iterations ran the same copy.
    private mutating func appendNullableLoop(_ block: [XPathRegexInstruction], compiledAt origin: Int)
        -> Loop {
        let slot = slotCount
        slotCount += 1
        var bodies: [Int] = []
        var checks: [Int] = []
        var choices: [Int] = []
        for _ in 0..<2 {
            bodies.append(instructions.count)
            instructions.append(.save(slot))
            appendCopy(of: block, compiledAt: origin)
            checks.append(instructions.count)
            instructions.append(.jump(0))
            choices.append(instructions.count)
            instructions.append(.jump(0))
        }
        let exit = instructions.count
        for copy in 0..<2 { instructions[checks[copy]] = .progress(slot: slot, loop: choices[copy], exit: exit) }
        // After the first copy comes the second, and after the second, the first.
        return Loop(body: bodies[0], exit: exit, choices: [(choices[0], bodies[1]), (choices[1], bodies[0])])
    }

    /// Appends a block compiled at `origin`, its targets moved to where it now lands.
    private mutating func appendCopy(of block: [XPathRegexInstruction], compiledAt origin: Int) {
        let delta = instructions.count - origin
        for instruction in block { instructions.append(instruction.relocated(by: delta)) }
    }

    private mutating func append(_ instruction: XPathRegexInstruction) throws {
        guard instructions.count < Self.maximumInstructions else { throw tooLarge() }
        instructions.append(instruction)
    }

    private func tooLarge() -> ExpressionError {
        ExpressionError(reason: "invalid regular expression `\(source)`: too large (more than "
                        + "\(Self.maximumInstructions) instructions once its counted repetitions are expanded)")
    }
}
