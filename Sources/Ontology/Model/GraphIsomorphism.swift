/// Decides whether two RDF graphs are isomorphic: equal once blank nodes are renamed by some
/// bijection (RDF 1.1 Concepts §3.6), which is how the W3C suites compare results.
///
/// Triples are taken as sets (duplicates ignored). Blank nodes are first told apart by their
/// structure (colour refinement: a node's colour is refined from its neighbours' colours until
/// the partition is stable); ties that structure alone cannot break (symmetric graphs) are
/// settled by trying each candidate, refining again after each choice.
///
/// ```swift
/// GraphIsomorphism.areIsomorphic(parsed, expected)  // true or false
/// ```
public enum GraphIsomorphism {
    /// Whether the two graphs are isomorphic.
    public static func areIsomorphic<A: Sequence, B: Sequence>(_ a: A, _ b: B) -> Bool
    where A.Element == Triple, B.Element == Triple {
        let left = Set(a)
        let right = Set(b)
        guard left.count == right.count else { return false }
        let leftGround = left.filter { !$0.hasBlankNode }
        let rightGround = right.filter { !$0.hasBlankNode }
        guard leftGround == rightGround else { return false }
        let leftSide = Side(left.filter { $0.hasBlankNode })
        let rightSide = Side(right.filter { $0.hasBlankNode })
        guard leftSide.nodes.count == rightSide.nodes.count else { return false }
        return match(leftSide, leftSide.initialColors, rightSide, rightSide.initialColors)
    }

    /// One graph's blank-node triples, with each blank node's triples indexed.
    private struct Side {
        let triples: [Triple]
        let nodes: [BlankNode]
        let adjacency: [BlankNode: [Int]]

        init(_ triples: Set<Triple>) {
            self.triples = Array(triples)
            var adjacency: [BlankNode: [Int]] = [:]
            for (index, triple) in self.triples.enumerated() {
                if let node = triple.subject.blankNode { adjacency[node, default: []].append(index) }
                if let node = triple.object.blankNode, triple.object != triple.subject {
                    adjacency[node, default: []].append(index)
                }
            }
            self.adjacency = adjacency
            self.nodes = Array(adjacency.keys)
        }

        var initialColors: [BlankNode: Int] { Dictionary(uniqueKeysWithValues: nodes.map { ($0, 0) }) }

        /// One round of refinement: each node's new colour hashes its colour and the sorted
        /// signatures of its triples, in which other blank nodes appear by colour.
        func refined(_ colors: [BlankNode: Int]) -> [BlankNode: Int] {
            var result: [BlankNode: Int] = [:]
            for node in nodes {
                var signatures: [Int] = []
                for index in adjacency[node] ?? [] {
                    let triple = triples[index]
                    var hasher = Hasher()
                    hasher.combine(key(triple.subject, node, colors))
                    hasher.combine(triple.predicate)
                    hasher.combine(key(triple.object, node, colors))
                    signatures.append(hasher.finalize())
                }
                signatures.sort()
                var hasher = Hasher()
                hasher.combine(colors[node] ?? 0)
                hasher.combine(signatures)
                result[node] = hasher.finalize()
            }
            return result
        }

        private func key(_ term: Term, _ node: BlankNode, _ colors: [BlankNode: Int]) -> Int {
            guard let other = term.blankNode else { return term.hashValue }
            if other == node { return 1 }
            return (colors[other] ?? 0) &+ 2
        }

        /// Refines until the number of colour classes stops growing.
        func stable(_ colors: [BlankNode: Int]) -> [BlankNode: Int] {
            var colors = colors
            var classes = Set(colors.values).count
            for _ in 0...nodes.count {
                let next = refined(colors)
                let nextClasses = Set(next.values).count
                colors = next
                if nextClasses == classes { break }
                classes = nextClasses
            }
            return colors
        }
    }

    private static func match(_ a: Side, _ aColors: [BlankNode: Int], _ b: Side, _ bColors: [BlankNode: Int]) -> Bool {
        // Both sides are refined the same number of rounds, so equal colours mean the same thing.
        var aColors = aColors
        var bColors = bColors
        var classes = -1
        for _ in 0...max(a.nodes.count, 1) {
            aColors = a.refined(aColors)
            bColors = b.refined(bColors)
            guard aColors.values.sorted() == bColors.values.sorted() else { return false }
            let count = Set(aColors.values).count
            if count == classes { break }
            classes = count
        }
        var aByColor: [Int: [BlankNode]] = [:]
        var bByColor: [Int: [BlankNode]] = [:]
        for (node, color) in aColors { aByColor[color, default: []].append(node) }
        for (node, color) in bColors { bByColor[color, default: []].append(node) }

        guard let (color, candidates) = aByColor.filter({ $0.value.count > 1 }).min(by: { $0.value.count < $1.value.count }) else {
            var mapping: [BlankNode: BlankNode] = [:]
            for (color, nodes) in aByColor {
                guard let image = bByColor[color]?.first, let node = nodes.first else { return false }
                mapping[node] = image
            }
            return Set(a.triples.map { $0.renamed(mapping) }) == Set(b.triples)
        }
        guard let chosen = candidates.first, let images = bByColor[color] else { return false }
        var marker = Hasher()
        marker.combine(color)
        marker.combine("chosen")
        let mark = marker.finalize()
        for image in images {
            var nextA = aColors
            var nextB = bColors
            nextA[chosen] = mark
            nextB[image] = mark
            if match(a, nextA, b, nextB) { return true }
        }
        return false
    }
}

extension Triple {
    /// Whether the subject or the object is a blank node.
    public var hasBlankNode: Bool { subject.isBlankNode || object.isBlankNode }

    func renamed(_ mapping: [BlankNode: BlankNode]) -> Triple {
        func rename(_ term: Term) -> Term {
            guard let node = term.blankNode, let image = mapping[node] else { return term }
            return .blankNode(image)
        }
        return Triple(rename(subject), predicate, rename(object))
    }
}
