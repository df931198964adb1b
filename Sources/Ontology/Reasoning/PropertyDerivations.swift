/// One way a property's triples come from another property's: a triple `s q o` gives `s p o`,
/// or, when `flipped`, `o p s`.
struct PropertyEdge: Hashable, Sendable {
    var predicate: IRI
    var flipped: Bool
}

/// How the entailed triples of each property derive from stored triples.
///
/// The triples of `p` are the least set that holds the stored `p` triples and is closed under
/// rdfs7 (`s q o`, `q ⊑ p` ⇒ `s p o`), `owl:inverseOf` (`s q o`, `q` inverse of `p` ⇒ `o p s`,
/// declared either way) and, when `p` is an `owl:TransitiveProperty`, transitivity. Walking
/// the subproperty and inverse edges down from `p` gives the stored properties that feed it,
/// each with a direction: the ``Unit``s.
///
/// A transitive property below a non-transitive one must contribute its closure, not only its
/// stored triples, so the walk stops there and records a ``Unit/closure(_:)`` unit; the closure
/// of a transitive property walks every edge below it (its own transitivity absorbs that of the
/// properties below, since their triples are among its own).
struct PropertyDerivations: Sendable {
    enum Unit: Hashable, Sendable {
        /// The stored triples of a property, perhaps flipped.
        case stored(PropertyEdge)
        /// The entailed triples of a transitive property, perhaps flipped.
        case closure(PropertyEdge)
    }

    /// The units of every property whose triples are not just its stored ones.
    private(set) var units: [IRI: [Unit]] = [:]
    /// For each transitive property, the stored edges whose union it closes.
    private(set) var closureEdges: [IRI: [PropertyEdge]] = [:]
    /// For each stored predicate, the properties it feeds through ``Unit/stored(_:)`` units of
    /// properties without closure units, so that one stored triple can be rewritten directly.
    private(set) var storedTargets: [IRI: [PropertyEdge]] = [:]
    /// The stored predicates that feed some property flipped.
    private(set) var flippedSources: [IRI] = []
    /// The properties whose triples need a closure (transitive, or fed by a transitive one).
    private(set) var closureTargets: [IRI] = []
    /// The transitive properties.
    let transitive: Set<IRI>

    /// The properties the schema relates, numbered in the order it names them; the walks run
    /// on the numbers, state `2 n` being property `n` and `2 n + 1` property `n` flipped.
    private let properties: [IRI]
    private let numbers: [IRI: Int]
    private let subProperties: [[Int]]
    private let inverses: [[Int]]
    private let isTransitive: [Bool]

    /// - Parameters:
    ///   - subPropertyEdges: direct `(sub, super)` pairs, equivalences already both ways.
    ///   - inverses: `owl:inverseOf` pairs, either way round.
    ///   - excluded: properties that take no part (the schema vocabulary).
    init(subPropertyEdges: [(IRI, IRI)], inverses inversePairs: [(IRI, IRI)], transitive: Set<IRI>, excluded: Set<IRI>) {
        var properties: [IRI] = []
        var numbers: [IRI: Int] = [:]
        var subProperties: [[Int]] = []
        var inverses: [[Int]] = []
        func number(_ property: IRI) -> Int {
            if let known = numbers[property] { return known }
            numbers[property] = properties.count
            properties.append(property)
            subProperties.append([])
            inverses.append([])
            return properties.count - 1
        }
        for (sub, sup) in subPropertyEdges where !excluded.contains(sub) && !excluded.contains(sup) {
            let subNumber = number(sub)
            subProperties[number(sup)].append(subNumber)
        }
        for (first, second) in inversePairs where !excluded.contains(first) && !excluded.contains(second) {
            let (firstNumber, secondNumber) = (number(first), number(second))
            inverses[firstNumber].append(secondNumber)
            inverses[secondNumber].append(firstNumber)
        }
        let transitive = transitive.subtracting(excluded)
        for property in transitive { _ = number(property) }
        self.transitive = transitive
        self.properties = properties
        self.numbers = numbers
        self.subProperties = subProperties
        self.inverses = inverses
        self.isTransitive = properties.map { transitive.contains($0) }

        var closureTargets: [IRI] = []
        for (start, property) in properties.enumerated() {
            if isTransitive[start] {
                closureEdges[property] = reachableEdges(fromNumber: start, stoppingAtTransitive: false)
                units[property] = [.closure(PropertyEdge(predicate: property, flipped: false))]
                closureTargets.append(property)
                continue
            }
            var found: [Unit] = []
            var needsClosure = false
            for edge in reachableEdges(fromNumber: start, stoppingAtTransitive: true) {
                let isClosure = edge.predicate != property && transitive.contains(edge.predicate)
                found.append(isClosure ? .closure(edge) : .stored(edge))
                needsClosure = needsClosure || isClosure
            }
            if needsClosure { closureTargets.append(property) }
            guard found.count > 1 || needsClosure else { continue }
            units[property] = found
        }
        let closureSet = Set(closureTargets)
        for property in properties where !closureSet.contains(property) {
            for case .stored(let edge) in units[property] ?? [] {
                storedTargets[edge.predicate, default: []].append(PropertyEdge(predicate: property, flipped: edge.flipped))
            }
        }
        self.closureTargets = closureTargets
        flippedSources = properties.filter { storedTargets[$0]?.contains { $0.flipped } ?? false }
    }

    /// Whether no property has entailed triples.
    var isEmpty: Bool { units.isEmpty }

    /// The units of `property`, or nil when its triples are just the stored ones.
    func units(of property: IRI) -> [Unit]? { units[property] }

    /// Every `(stored property, direction)` below `property` through subproperty and inverse
    /// edges, `property` itself (unflipped) first. With `stoppingAtTransitive`, the walk does
    /// not go below a transitive property other than the start.
    func reachableEdges(from property: IRI, stoppingAtTransitive: Bool) -> [PropertyEdge] {
        guard let start = numbers[property] else { return [PropertyEdge(predicate: property, flipped: false)] }
        return reachableEdges(fromNumber: start, stoppingAtTransitive: stoppingAtTransitive)
    }

    private func reachableEdges(fromNumber start: Int, stoppingAtTransitive: Bool) -> [PropertyEdge] {
        var seen = [Bool](repeating: false, count: 2 * properties.count)
        var order = [2 * start]
        seen[2 * start] = true
        var position = 0
        while position < order.count {
            let state = order[position]
            position += 1
            let (property, flipped) = (state / 2, state % 2)
            if stoppingAtTransitive, property != start, isTransitive[property] { continue }
            for sub in subProperties[property] where !seen[2 * sub + flipped] {
                seen[2 * sub + flipped] = true
                order.append(2 * sub + flipped)
            }
            for inverse in inverses[property] where !seen[2 * inverse + 1 - flipped] {
                seen[2 * inverse + 1 - flipped] = true
                order.append(2 * inverse + 1 - flipped)
            }
        }
        return order.map { PropertyEdge(predicate: properties[$0 / 2], flipped: $0 % 2 == 1) }
    }
}
