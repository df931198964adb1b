/// The right side of a `MINUS`, indexed so that a left solution is checked by hashing, not
/// against every right solution (§18.5: a solution is removed when some right solution shares a
/// variable with it and is compatible).
///
/// The right solutions are grouped by the slots they bind; for a left solution, a group whose
/// slots meet its own removes it exactly when one member agrees on the shared slots, a lookup in
/// the set of the members' values on those slots, built once per group and set of shared slots.
/// The nested loop it replaces took 6.5 s for a `MINUS` form of "services with no healthy
/// instance" over 10,000 registrations, where `NOT EXISTS` took a fraction (issue 19).
final class MinusIndex {
    private struct Projection: Hashable {
        var group: [Int]
        var shared: [Int]
    }

    /// Right solutions by the (ascending) slots they bind.
    private var groups: [[Int]: [Solution]] = [:]
    private var projections: [Projection: Set<[Term]>] = [:]

    init(_ removed: [Solution]) {
        for solution in removed {
            let bound = solution.values.indices.filter { solution.values[$0] != nil }
            // A solution that binds nothing shares no variable with anything: it removes nothing.
            if !bound.isEmpty { groups[bound, default: []].append(solution) }
        }
    }

    var isEmpty: Bool { groups.isEmpty }

    /// Whether `solution` is removed.
    func removes(_ solution: Solution) -> Bool {
        for (group, members) in groups {
            let shared = group.filter { solution[$0] != nil }
            guard !shared.isEmpty else { continue }
            let key = Projection(group: group, shared: shared)
            let values: Set<[Term]>
            if let built = projections[key] {
                values = built
            } else {
                values = Set(members.map { member in shared.map { member.values[$0]! } })
                projections[key] = values
            }
            if values.contains(shared.map { solution[$0]! }) { return true }
        }
        return false
    }
}
