/// How triples are read: as a graph pattern (property paths allowed, blank nodes are
/// variables) or as a template or data (no paths, blank nodes stay blank nodes), with what
/// each template allows.
enum TriplesMode: Sendable {
    case pattern
    case template(TemplateRules)

    var isPattern: Bool {
        if case .pattern = self { return true }
        return false
    }
}
