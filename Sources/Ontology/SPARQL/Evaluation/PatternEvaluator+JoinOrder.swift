/// Which side of a join runs first when either side could run with the other's bindings.
///
/// The algebra keeps the order of the query text: `?dev :in/:partOf+ :building` becomes the
/// basic graph pattern `?dev :in ?v` joined with the path `?v :partOf+ :building`. Run left to
/// right, every device is matched and then walked up its path; run the other way, the path
/// fans out from the one building and each room found fixes `?v`. The side with the smaller
/// estimate goes first.
extension PatternEvaluator {
    struct JoinOrderKey: Hashable {
        let left: GraphPattern
        let right: GraphPattern
        let bound: [Int]
        let graph: GraphSelector
    }

    /// Whether the right side of `join(left, right)` should run first: a property path with a
    /// fixed end that is estimated to match fewer pairs than the most selective triple pattern
    /// of the basic graph pattern on the left. Decided once per set of bound variables.
    func runsRightFirst(_ left: GraphPattern, _ right: GraphPattern, graph: GraphSelector, input: Solution?) -> Bool {
        guard case .bgp(let triples) = left, !triples.isEmpty,
              case .path(let subject, let path, let object) = right else { return false }
        let start = input ?? emptySolution
        let bound = start.values.indices.filter { start.values[$0] != nil }
        let key = JoinOrderKey(left: left, right: right, bound: bound, graph: graph)
        if let decided = joinOrders[key] { return decided }
        var decision = false
        let from = value(subject, start)
        let to = value(object, start)
        if from != nil || to != nil, let pathEstimate = estimatedPairs(path, from: from, to: to, graph: graph) {
            let cheapestTriple = triples.map { triple in
                dataset.estimatedCount(subject: value(triple.subject, start), predicate: value(triple.predicate, start),
                                       object: value(triple.object, start), in: graph)
            }.min() ?? Int.max
            decision = pathEstimate < cheapestTriple
        }
        joinOrders[key] = decision
        return decision
    }

    /// A rough count of the pairs a path connects from a fixed end; nil when neither end is fixed
    /// or the path gives no useful bound. Closures are taken to fan out ten times their first step.
    private func estimatedPairs(_ path: PropertyPath, from: Term?, to: Term?, graph: GraphSelector) -> Int? {
        switch path {
        case .iri(let iri):
            return dataset.estimatedCount(subject: from, predicate: .iri(iri), object: to, in: graph)
        case .inverse(let inner):
            return estimatedPairs(inner, from: to, to: from, graph: graph)
        case .sequence(let first, let second):
            if from != nil { return estimatedPairs(first, from: from, to: nil, graph: graph) }
            if to != nil { return estimatedPairs(second, from: nil, to: to, graph: graph) }
            return nil
        case .alternative(let a, let b):
            guard let countA = estimatedPairs(a, from: from, to: to, graph: graph),
                  let countB = estimatedPairs(b, from: from, to: to, graph: graph) else { return nil }
            return countA.addingReportingOverflow(countB).overflow ? Int.max : countA + countB
        case .zeroOrOne(let inner), .zeroOrMore(let inner), .oneOrMore(let inner):
            guard from != nil || to != nil, let step = estimatedPairs(inner, from: from, to: to, graph: graph) else { return nil }
            return step.multipliedReportingOverflow(by: 10).overflow ? Int.max : step * 10 + 1
        case .negatedPropertySet:
            guard from != nil || to != nil else { return nil }
            return dataset.estimatedCount(subject: from, predicate: nil, object: to, in: graph)
        }
    }
}
