import AccessControl
import Synchronization

/// The orderings of ontology domains a policy set was compiled with, kept with the policies.
///
/// A policy set is validated against the ontology when it is written. If the admin's ontology
/// later changes so that the stored set no longer compiles (a cycle in an ordering, a member
/// gone), the daemon must not start with no rules at all (every decision a silent deny); it
/// compiles the set with the orderings it last validated against, keeps that generation in
/// force, and reports itself degraded until an admin fixes the ontology or the policies.
struct OrderingSnapshot: Codable, Sendable, Equatable {
    /// Members lowest first, by class and ordering property (joined by a unit separator).
    var orderings: [String: [String]] = [:]

    static func key(_ classIRI: String, _ property: String) -> String { classIRI + "\u{1F}" + property }

    /// An ontology source that records the orderings `base` answers.
    final class Recorder: OntologySource {
        let base: any OntologySource
        private let recorded = Mutex(OrderingSnapshot())

        init(_ base: any OntologySource) { self.base = base }

        var snapshot: OrderingSnapshot { recorded.withLock { $0 } }

        func orderedMembers(ofClass classIRI: String, orderedBy property: String) throws -> [String] {
            let members = try base.orderedMembers(ofClass: classIRI, orderedBy: property)
            recorded.withLock { $0.orderings[OrderingSnapshot.key(classIRI, property)] = members }
            return members
        }

        func isInstance(api: String, of classIRI: String) -> Bool? { base.isInstance(api: api, of: classIRI) }
        func values(of property: String, api: String) -> [String] { base.values(of: property, api: api) }
    }

    /// An ontology source that answers orderings from the snapshot and the rest from `base`.
    struct Frozen: OntologySource {
        let snapshot: OrderingSnapshot
        let base: any OntologySource

        func orderedMembers(ofClass classIRI: String, orderedBy property: String) throws -> [String] {
            guard let members = snapshot.orderings[OrderingSnapshot.key(classIRI, property)] else {
                throw PolicyError(code: "policy.invalid", message: "the ordering <\(property)> of <\(classIRI)> was not validated before",
                                  location: SourceLocation(line: 1, column: 1))
            }
            return members
        }

        func isInstance(api: String, of classIRI: String) -> Bool? { base.isInstance(api: api, of: classIRI) }
        func values(of property: String, api: String) -> [String] { base.values(of: property, api: api) }
    }
}
