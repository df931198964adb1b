/// Runs one query's algebra over a dataset: the operators of SPARQL 1.1 §18.5, as lazy
/// iterators of solutions.
///
/// A class because one evaluation shares mutable state across nested iterators: the first
/// failure (deadline, limits), the step counter, and the function context (`NOW()`, `BNODE()`).
/// Iterators cannot throw, so a failure is recorded and iteration stops; the caller checks
/// ``failure`` when the iterator ends.
final class PatternEvaluator {
    let dataset: any QueryableDataset
    var slots: VariableSlots
    let limits: EvaluationLimits
    var functions: FunctionContext
    private(set) var failure: Error?
    private var steps = 0
    /// Join orders already worked out (see `evaluateBGP`).
    var plans: [PlanKey: [TriplePattern]] = [:]
    /// Join sides already ordered (see `runsRightFirst`).
    var joinOrders: [JoinOrderKey: Bool] = [:]

    struct PlanKey: Hashable {
        let triples: [TriplePattern]
        let bound: [Int]
        let graph: GraphSelector
    }

    init(dataset: any QueryableDataset, slots: VariableSlots, limits: EvaluationLimits, functions: FunctionContext) {
        self.dataset = dataset
        self.slots = slots
        self.limits = limits
        self.functions = functions
        // Functions that can run long on one value (REGEX on a large literal) stop at it too.
        self.functions.deadline = limits.deadline
    }

    var emptySolution: Solution { Solution(width: slots.count) }

    /// Records a failure; iteration stops at the next check.
    func fail(_ error: Error) {
        if failure == nil { failure = error }
    }

    /// Whether evaluation may go on: no failure yet and the deadline not passed (checked every
    /// 1,024 steps, since reading the clock costs more than a step).
    @inline(__always)
    func mayContinue() -> Bool {
        guard failure == nil else { return false }
        steps &+= 1
        if steps & 1023 == 0, let deadline = limits.deadline, ContinuousClock.now > deadline {
            fail(OntologyError(.sparqlTimeout, "the query ran past its time limit"))
            return false
        }
        return true
    }

    // MARK: - Dispatch

    /// The solutions of `pattern` joined with `input`.
    ///
    /// Basic graph patterns, paths and `VALUES` take the input's bindings as constants (an index
    /// nested-loop join). Other operators are evaluated on their own and then joined with the
    /// input, which keeps the bottom-up semantics of §18 (a FILTER sees only its group's
    /// variables) — except with `substitute`, used for `EXISTS`, where the input's values
    /// replace the variables everywhere, as §18.6 defines it.
    func evaluate(_ pattern: GraphPattern, graph: GraphSelector, input: Solution?, substitute: Bool = false) -> AnyIterator<Solution> {
        if let input, !substitute, !Self.isLateralSafe(pattern) {
            let inner = evaluate(pattern, graph: graph, input: nil)
            return AnyIterator {
                while let solution = inner.next() {
                    if solution.isCompatible(with: input) { return solution.merged(with: input) }
                }
                return nil
            }
        }
        let start = input ?? emptySolution
        switch pattern {
        case .bgp(let triples):
            return evaluateBGP(triples, graph: graph, input: start)
        case .path(let subject, let path, let object):
            return evaluatePath(subject, path, object, graph: graph, input: start)
        case .join(let left, let right):
            return evaluateJoin(left, right, graph: graph, input: input, substitute: substitute)
        case .leftJoin(let left, let right, let expression):
            return evaluateLeftJoin(left, right, expression, graph: graph, input: input, substitute: substitute)
        case .filter(let inner, let expression):
            let solutions = evaluate(inner, graph: graph, input: input, substitute: substitute)
            return AnyIterator { [self] in
                while let solution = solutions.next() {
                    if (try? effectiveBooleanValue(expression, solution, graph: graph)) == true { return solution }
                }
                return nil
            }
        case .union(let left, let right):
            let first = evaluate(left, graph: graph, input: input, substitute: substitute)
            var second: AnyIterator<Solution>?
            return AnyIterator { [self] in
                if let solution = first.next() { return solution }
                if second == nil { second = evaluate(right, graph: graph, input: input, substitute: substitute) }
                return second?.next()
            }
        case .graph(let name, let inner):
            return evaluateGraph(name, inner, input: start, substitute: substitute)
        case .extend(let inner, let variable, let expression):
            let slot = slots[variable]
            let solutions = evaluate(inner, graph: graph, input: input, substitute: substitute)
            // The lowest of a chain of extends starts a new solution for BNODE(str) (§17.4.2.9):
            // the select expressions of one row share their blank nodes.
            let startsSolution: Bool
            if case .extend = inner { startsSolution = false } else { startsSolution = true }
            return AnyIterator { [self] in
                guard var solution = solutions.next() else { return nil }
                if startsSolution { functions.beginSolution() }
                if let value = try? evaluateExpression(expression, solution, graph: graph) {
                    solution[slot] = value
                }
                return solution
            }
        case .minus(let left, let right):
            let removed = MinusIndex(Array(evaluate(right, graph: graph, input: nil)))
            let solutions = evaluate(left, graph: graph, input: input, substitute: substitute)
            if removed.isEmpty { return solutions }
            return AnyIterator {
                while let solution = solutions.next() {
                    if !removed.removes(solution) { return solution }
                }
                return nil
            }
        case .values(let variables, let rows):
            return evaluateValues(variables, rows, input: start)
        case .group(let inner, let keys, let aggregates):
            return evaluateGroup(inner, keys: keys, aggregates: aggregates, graph: graph, input: input, substitute: substitute)
        case .orderBy(let inner, let conditions):
            return evaluateOrderBy(inner, conditions, graph: graph, input: input, substitute: substitute)
        case .project(let inner, let variables):
            let kept = variables.map { slots[$0] }
            let solutions = evaluate(inner, graph: graph, input: input, substitute: substitute)
            let width = slots.count
            return AnyIterator {
                guard let solution = solutions.next() else { return nil }
                var projected = Solution(width: width)
                for slot in kept { projected[slot] = solution[slot] }
                return projected
            }
        case .distinct(let inner), .reduced(let inner):
            var seen = Set<Solution>()
            let solutions = evaluate(inner, graph: graph, input: input, substitute: substitute)
            return AnyIterator {
                while let solution = solutions.next() {
                    if seen.insert(solution).inserted { return solution }
                }
                return nil
            }
        case .slice(let inner, let offset, let limit):
            let solutions = evaluate(inner, graph: graph, input: input, substitute: substitute)
            var skipped = 0
            var returned = 0
            return AnyIterator {
                if let limit, returned >= limit { return nil }
                while skipped < offset {
                    guard solutions.next() != nil else { return nil }
                    skipped += 1
                }
                guard let solution = solutions.next() else { return nil }
                returned += 1
                return solution
            }
        case .service(_, _, let silent):
            if silent { return AnyIterator([start].makeIterator()) }
            fail(OntologyError(.sparqlUnsupported, "SERVICE (federated query) is not supported"))
            return AnyIterator { nil }
        }
    }

    /// Patterns whose evaluation with bindings substituted equals joining with them.
    static func isLateralSafe(_ pattern: GraphPattern) -> Bool {
        switch pattern {
        case .bgp, .path, .values: return true
        case .join(let a, let b), .union(let a, let b): return isLateralSafe(a) && isLateralSafe(b)
        // `GRAPH ?g` too: with ?g bound by the input, only that graph is read (a `VALUES ?g`
        // before it used to read every graph and then join).
        case .graph(_, let inner): return isLateralSafe(inner)
        default: return false
        }
    }

    // MARK: - Joins

    private func evaluateJoin(_ left: GraphPattern, _ right: GraphPattern, graph: GraphSelector, input: Solution?,
                              substitute: Bool) -> AnyIterator<Solution> {
        if !substitute, Self.isLateralSafe(left), Self.isLateralSafe(right),
           runsRightFirst(left, right, graph: graph, input: input) {
            return flatMap(evaluate(right, graph: graph, input: input)) { [self] solution in
                evaluate(left, graph: graph, input: solution)
            }
        }
        if substitute || Self.isLateralSafe(right) {
            return flatMap(evaluate(left, graph: graph, input: input, substitute: substitute)) { [self] solution in
                evaluate(right, graph: graph, input: solution, substitute: substitute)
            }
        }
        if Self.isLateralSafe(left) {
            return flatMap(evaluate(right, graph: graph, input: input)) { [self] solution in
                evaluate(left, graph: graph, input: solution)
            }
        }
        let rightSolutions = Array(evaluate(right, graph: graph, input: nil))
        return flatMap(evaluate(left, graph: graph, input: input)) { solution in
            AnyIterator(rightSolutions.lazy.filter { $0.isCompatible(with: solution) }.map { $0.merged(with: solution) }.makeIterator())
        }
    }

    private func evaluateLeftJoin(_ left: GraphPattern, _ right: GraphPattern, _ expression: Expression?,
                                  graph: GraphSelector, input: Solution?, substitute: Bool) -> AnyIterator<Solution> {
        let lateral = substitute || Self.isLateralSafe(right)
        let rightSolutions = lateral ? [] : Array(evaluate(right, graph: graph, input: nil))
        return flatMap(evaluate(left, graph: graph, input: input, substitute: substitute)) { [self] solution in
            var extensions: [Solution] = []
            let candidates: AnyIterator<Solution> = lateral
                ? evaluate(right, graph: graph, input: solution, substitute: substitute)
                : AnyIterator(rightSolutions.lazy.filter { $0.isCompatible(with: solution) }.map { $0.merged(with: solution) }.makeIterator())
            while let candidate = candidates.next() {
                if let expression, (try? effectiveBooleanValue(expression, candidate, graph: graph)) != true { continue }
                extensions.append(candidate)
            }
            return AnyIterator((extensions.isEmpty ? [solution] : extensions).makeIterator())
        }
    }

    private func evaluateValues(_ variables: [Variable], _ rows: [[Term?]], input: Solution) -> AnyIterator<Solution> {
        let variableSlots = variables.map { slots[$0] }
        var result: [Solution] = []
        for row in rows {
            var solution = Solution(width: slots.count)
            for (slot, value) in zip(variableSlots, row) { solution[slot] = value }
            if solution.isCompatible(with: input) { result.append(solution.merged(with: input)) }
        }
        return AnyIterator(result.makeIterator())
    }

    private func evaluateGraph(_ name: TermPattern, _ inner: GraphPattern, input: Solution, substitute: Bool) -> AnyIterator<Solution> {
        let named = dataset.namedGraphs()
        if let term = name.term {
            guard named.contains(term) else { return AnyIterator { nil } }
            return evaluate(inner, graph: .named(term), input: input, substitute: substitute)
        }
        guard let variable = name.variable else { return AnyIterator { nil } }
        let slot = slots[variable]
        let graphs = input[slot].map { bound in named.filter { $0 == bound } } ?? named
        return flatMap(AnyIterator(graphs.map { graph -> Solution in
            var solution = input
            solution[slot] = graph
            return solution
        }.makeIterator())) { [self] start in
            guard let graphName = start[slot] else { return AnyIterator { nil } }
            let solutions = evaluate(inner, graph: .named(graphName), input: start, substitute: substitute)
            return AnyIterator {
                while var solution = solutions.next() {
                    if let bound = solution[slot], bound != graphName { continue }
                    solution[slot] = graphName
                    return solution
                }
                return nil
            }
        }
    }

    /// Concatenates the iterators `transform` makes from each outer solution.
    func flatMap(_ outer: AnyIterator<Solution>, _ transform: @escaping (Solution) -> AnyIterator<Solution>) -> AnyIterator<Solution> {
        var current: AnyIterator<Solution>?
        return AnyIterator { [self] in
            while mayContinue() {
                if let next = current?.next() { return next }
                guard let solution = outer.next() else { return nil }
                current = transform(solution)
            }
            return nil
        }
    }
}
