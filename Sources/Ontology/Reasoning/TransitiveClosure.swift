/// The transitive closure of a relation given by its direct edges, in both directions.
///
/// A node is in its own closure only when it lies on a cycle (`A ⊑ B ⊑ A` entails `A ⊑ A` by
/// transitivity, which the RDFS rules rdfs5 and rdfs11 do derive); plain reflexivity (rdfs6,
/// rdfs10) is not part of the entailments registryd answers. Cycles never loop: each search
/// marks the nodes it has visited.
struct TransitiveClosure<Node: Hashable & Sendable>: Sendable {
    /// The nodes, numbered in the order the edges name them.
    private let nodes: [Node]
    private let index: [Node: Int]
    /// For each node number, the numbers of the nodes it reaches through one or more edges.
    private let above: [[Int]]
    /// For each node number, the numbers of the nodes that reach it.
    private let below: [[Int]]

    /// The closure of the direct edges `(from, to)`.
    init(edges: [(from: Node, to: Node)]) {
        var nodes: [Node] = []
        var index: [Node: Int] = [:]
        var direct: [[Int]] = []
        func number(_ node: Node) -> Int {
            if let known = index[node] { return known }
            index[node] = nodes.count
            nodes.append(node)
            direct.append([])
            return nodes.count - 1
        }
        for edge in edges {
            let from = number(edge.from)
            direct[from].append(number(edge.to))
        }
        // A search from every node, on numbers: schemas have hundreds of classes and shallow
        // hierarchies, so this is quicker than the bookkeeping of an SCC condensation.
        var above = [[Int]](repeating: [], count: nodes.count)
        var below = [[Int]](repeating: [], count: nodes.count)
        var visitedBy = [Int](repeating: -1, count: nodes.count)
        var stack: [Int] = []
        for start in nodes.indices where !direct[start].isEmpty {
            stack.append(contentsOf: direct[start])
            while let node = stack.popLast() {
                guard visitedBy[node] != start else { continue }
                visitedBy[node] = start
                above[start].append(node)
                below[node].append(start)
                stack.append(contentsOf: direct[node])
            }
        }
        self.nodes = nodes
        self.index = index
        self.above = above
        self.below = below
    }

    /// The nodes `node` reaches (strictly; itself only on a cycle).
    func ancestors(of node: Node) -> [Node] {
        guard let number = index[node] else { return [] }
        return above[number].map { nodes[$0] }
    }

    /// The nodes that reach `node` (strictly; itself only on a cycle).
    func descendants(of node: Node) -> [Node] {
        guard let number = index[node] else { return [] }
        return below[number].map { nodes[$0] }
    }

    /// `node` first, then the other nodes it reaches.
    func ancestorsAndSelf(of node: Node) -> [Node] {
        [node] + ancestors(of: node).filter { $0 != node }
    }

    /// `node` first, then the other nodes that reach it.
    func descendantsAndSelf(of node: Node) -> [Node] {
        [node] + descendants(of: node).filter { $0 != node }
    }

    /// Whether `from` reaches `to` through one or more edges.
    func reaches(_ from: Node, _ to: Node) -> Bool {
        guard let first = index[from], let second = index[to] else { return false }
        return above[first].contains(second)
    }

    /// Every pair `(from, to)` of the closure.
    var pairs: [(from: Node, to: Node)] {
        above.indices.flatMap { from in above[from].map { (from: nodes[from], to: nodes[$0]) } }
    }

    /// How many pairs the closure holds.
    var pairCount: Int { above.reduce(0) { $0 + $1.count } }
}
