import Synchronization

/// Every policy document compiled and validated together: the unit that takes effect
/// atomically under one generation number.
public final class PolicySet: Sendable {
    public let generation: Int64
    public let documents: [PolicyDocument]
    public let attributes: [AttributeDeclaration]
    public let domains: [OrderedDomain]
    /// `permit` and `forbid` rules, in document order.
    public let rules: [PolicyRule]
    public let limits: [PolicyRule]
    public let routes: [String: RouteRule]
    let slots: [AttributeReference: Int]
    /// Classes that `resource is C` tests ask about.
    public let resourceClasses: [String]
    /// Properties that `= <property>` attributes read from the resource, each once.
    public let resourceProperties: [String]
    /// Rules (indices into `rules` and `limits`) whose patterns match an API name, computed
    /// once per name: most decisions are about a few hot APIs.
    private let candidates = Mutex<[String: Candidates]>([:])

    struct Candidates: Sendable {
        var rules: [Int]
        var limits: [Int]
    }

    init(generation: Int64, documents: [PolicyDocument], attributes: [AttributeDeclaration], domains: [OrderedDomain],
         rules: [PolicyRule], limits: [PolicyRule], routes: [String: RouteRule], resourceClasses: [String]) {
        self.generation = generation
        self.documents = documents
        self.attributes = attributes
        self.domains = domains
        self.rules = rules
        self.limits = limits
        self.routes = routes
        self.resourceClasses = resourceClasses
        var properties: [String] = []
        for declaration in attributes {
            if case .property(let property) = declaration.source, !properties.contains(property) { properties.append(property) }
        }
        self.resourceProperties = properties
        var slots: [AttributeReference: Int] = [:]
        for declaration in attributes { slots[declaration.reference] = declaration.slot }
        self.slots = slots
    }

    /// An empty set: everything is denied.
    public static let empty = PolicySet(generation: 0, documents: [], attributes: [], domains: [], rules: [], limits: [], routes: [:], resourceClasses: [])

    /// Compiles documents into a set; the first error (with document, line and column) throws.
    public static func compile(_ documents: [PolicyDocument], generation: Int64 = 0, ontology: (any OntologySource)? = nil) throws(PolicyError) -> PolicySet {
        try PolicyCompiler(ontology: ontology).compile(documents, generation: generation)
    }

    /// The same rules under another generation number.
    public func with(generation: Int64) -> PolicySet {
        PolicySet(generation: generation, documents: documents, attributes: attributes, domains: domains, rules: rules,
                  limits: limits, routes: routes, resourceClasses: resourceClasses)
    }

    public func declaration(of reference: AttributeReference) -> AttributeDeclaration? {
        slots[reference].map { attributes[$0] }
    }

    /// The route for a name, if a `route` rule names it.
    public func route(for name: String) -> RouteRule? { routes[name] }

    func candidates(for api: String) -> Candidates {
        if let cached = candidates.withLock({ $0[api] }) { return cached }
        let name = APIPattern.split(api)
        let found = Candidates(
            rules: rules.indices.filter { index in rules[index].patterns.contains { $0.matches(name) } },
            limits: limits.indices.filter { index in limits[index].patterns.contains { $0.matches(name) } })
        candidates.withLock { cache in
            if cache.count >= 50_000 { cache.removeAll(keepingCapacity: true) }
            cache[api] = found
        }
        return found
    }
}
