extension AlgebraBuilder {
    /// Checks that no blank node label is used in two basic graph patterns (SPARQL 1.1 §4.1.4)
    /// and returns the labels the group uses, with the offset of a use of each.
    ///
    /// The triples blocks of a group form one basic graph pattern until another kind of element
    /// comes between them; filters do not end it, since they apply to the whole group.
    func blankNodeLabels(in group: GroupSyntax) throws -> [String: Int] {
        switch group {
        case .subSelect(let subSelect):
            return try blankNodeLabels(in: subSelect.body)
        case .elements(let elements):
            var all: [String: Int] = [:]
            var current: [String: Int] = [:]
            for element in elements {
                switch element.kind {
                case .filter:
                    continue
                case .triples(_, let labels):
                    current.merge(labels) { first, _ in first }
                    continue
                case .bind, .values:
                    break
                case .union(let branches):
                    try add(current, to: &all)
                    current = [:]
                    for branch in branches { try add(try blankNodeLabels(in: branch), to: &all) }
                    continue
                case .optional(let inner), .minus(let inner), .graph(_, let inner), .service(_, let inner, _):
                    try add(current, to: &all)
                    current = [:]
                    try add(try blankNodeLabels(in: inner), to: &all)
                    continue
                }
                try add(current, to: &all)
                current = [:]
            }
            try add(current, to: &all)
            return all
        }
    }

    private func add(_ labels: [String: Int], to all: inout [String: Int]) throws {
        for (label, offset) in labels.sorted(by: { $0.value < $1.value }) {
            if let earlier = all[label] {
                throw error("blank node `_:\(label)` is used in two basic graph patterns", at: max(offset, earlier))
            }
            all[label] = offset
        }
    }
}
