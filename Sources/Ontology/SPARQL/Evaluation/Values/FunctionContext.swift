/// What built-in functions need beyond their arguments: values a query fixes once, and state
/// carried from one call to the next.
///
/// One context serves one query evaluation. The evaluator calls ``beginSolution()`` before
/// evaluating the expressions of each solution, so that `BNODE("x")` gives the same blank node
/// throughout one solution and a fresh one in the next (§17.4.2.9).
struct FunctionContext: Sendable {
    /// NOW() (§17.4.5.1): one value for the whole query.
    var now: XSDDateTime
    /// The base IRI that IRI()/URI() resolve relative references against (§17.4.2.8).
    var base: IRIResolver?
    /// BNODE(str) labels already given a blank node in the current solution.
    var blankNodesOfSolution: [String: BlankNode] = [:]
    /// The source of fresh blank nodes for BNODE().
    var blankNodes: BlankNodeGenerator
    /// The source of RAND(), UUID() and STRUUID().
    var random: RandomSource
    /// Compiled REGEX and REPLACE patterns, so that a pattern is compiled once per query
    /// rather than once per solution.
    var regexCache = RegexCache()
    /// When the query must stop; a function whose own work is long checks it (REGEX, REPLACE).
    var deadline: ContinuousClock.Instant?

    /// Makes a context.
    /// - Parameters:
    ///   - baseIRI: the query's base IRI; a value without a scheme is ignored.
    ///   - now: the query's time; the current time by default.
    ///   - random: the random source; seeded from the system by default.
    init(baseIRI: String? = nil, now: XSDDateTime = .now(), random: RandomSource = RandomSource(),
         blankNodes: BlankNodeGenerator = BlankNodeGenerator()) {
        self.now = now
        self.base = baseIRI.flatMap { IRIResolver(base: $0) }
        self.random = random
        self.blankNodes = blankNodes
    }

    /// Forgets the BNODE(str) labels of the previous solution.
    mutating func beginSolution() {
        if !blankNodesOfSolution.isEmpty { blankNodesOfSolution.removeAll(keepingCapacity: true) }
    }
}
