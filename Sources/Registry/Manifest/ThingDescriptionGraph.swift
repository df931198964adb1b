import JSON
import Ontology

/// A Thing Description in the W3C TD ontology (`td:`, `hctl:`, `wotsec:`, `jsonschema:`),
/// added to its registration's graph beside the registry's own vocabulary, so that SPARQL
/// written for other WoT directories (`?t a td:Thing ; td:title ?title`) finds it.
///
/// The terms are those the TD 1.1 JSON-LD context gives each member (`properties` is
/// `td:hasPropertyAffordance`, `forms` `td:hasForm`, `href` `hctl:hasTarget`, `op`
/// `hctl:hasOperationType`, a security `scheme` its `wotsec:` class, ...). What the context's
/// `@index` containers leave implicit is stated: each affordance's `td:name` and class, and the
/// Thing's `td:Thing`. An `@type` term without a prefix is vocabulary-relative (`td:`), as the
/// context's `@vocab` makes it. An href that is not an IRI (a URI template) is an
/// `xsd:anyURI` literal. Nodes are IRIs under the registration's graph, so the graph can be
/// rebuilt identically.
public enum ThingDescriptionGraph {
    public static let td = "https://www.w3.org/2019/wot/td#"
    public static let hctl = "https://www.w3.org/2019/wot/hypermedia#"
    public static let wotsec = "https://www.w3.org/2019/wot/security#"
    public static let jsonschema = "https://www.w3.org/2019/wot/json-schema#"

    /// The triples of `document` (a parsed TD); the Thing's node is its `id` when that is an
    /// absolute IRI, else `<graphIRI>#thing`.
    public static func triples(of document: JSONValue, graphIRI: String) -> [Triple] {
        guard case .object(let fields) = document else { return [] }
        var builder = Builder(graphIRI: graphIRI)
        let thing: Term
        if case .string(let id)? = fields["id"], IRI.isAbsolute(id) { thing = .iri(id) } else { thing = .iri(graphIRI + "#thing") }
        let prefixes = ThingDescriptionDecoder.contextPrefixes(fields["@context"]).map
        let base = (fields["base"]?.stringValue).flatMap { IRI.isAbsolute($0) ? IRIResolver(base: $0) : nil }
        builder.add(thing, RDF.type, .iri(td + "Thing"))
        builder.types(thing, fields["@type"], prefixes: prefixes)
        builder.text(thing, td + "title", fields["title"])
        builder.text(thing, td + "description", fields["description"])
        builder.languageMap(thing, td + "title", fields["titles"])
        builder.languageMap(thing, td + "description", fields["descriptions"])
        if let base = fields["base"]?.stringValue, IRI.isAbsolute(base) { builder.add(thing, IRI(td + "baseURI"), .literal(Literal(base, datatype: XSD.anyURI))) }
        for (key, predicate) in [("created", "http://purl.org/dc/terms/created"), ("modified", "http://purl.org/dc/terms/modified")] {
            if let value = fields[key]?.stringValue { builder.add(thing, IRI(predicate), .literal(Literal(value, datatype: XSD.dateTime))) }
        }
        if case .object(let version)? = fields["version"], let instance = version["instance"]?.stringValue {
            let node = builder.node("version")
            builder.add(thing, IRI(td + "versionInfo"), node)
            builder.add(node, IRI(td + "instance"), .literal(Literal(instance)))
        }
        if case .object(let definitions)? = fields["securityDefinitions"] {
            for name in definitions.keys.sorted() {
                guard case .object(let definition)? = definitions[name] else { continue }
                let node = builder.node("security/" + name)
                builder.add(thing, IRI(td + "securityDefinitions"), node)
                builder.add(node, IRI(td + "name"), .literal(Literal(name)))
                if let scheme = definition["scheme"]?.stringValue { builder.add(node, RDF.type, .iri(wotsec + securityClass(scheme))) }
                builder.text(node, "http://purl.org/dc/terms/description", definition["description"])
            }
        }
        for name in strings(fields["security"]) {
            builder.add(thing, IRI(td + "hasSecurityConfiguration"), builder.node("security/" + name))
        }
        for (section, predicate, type) in [("properties", "hasPropertyAffordance", "PropertyAffordance"),
                                           ("actions", "hasActionAffordance", "ActionAffordance"),
                                           ("events", "hasEventAffordance", "EventAffordance")] {
            guard case .object(let affordances)? = fields[section] else { continue }
            for name in affordances.keys.sorted() {
                guard case .object(let affordance)? = affordances[name] else { continue }
                let node = builder.node("\(section)/\(name)")
                builder.add(thing, IRI(td + predicate), node)
                builder.add(node, RDF.type, .iri(td + type))
                builder.add(node, IRI(td + "name"), .literal(Literal(name)))
                builder.types(node, affordance["@type"], prefixes: prefixes)
                builder.text(node, td + "title", affordance["title"])
                builder.text(node, td + "description", affordance["description"])
                if case .bool(let observable)? = affordance["observable"] {
                    builder.add(node, IRI(td + "isObservable"), .literal(Literal(observable ? "true" : "false", datatype: XSD.boolean)))
                }
                for (member, schemaPredicate) in [("input", "hasInputSchema"), ("output", "hasOutputSchema"), ("data", "hasNotificationSchema")] {
                    if let schema = affordance[member] { builder.dataSchema(schema, of: node, td + schemaPredicate, path: "\(section)/\(name)/\(member)") }
                }
                if section == "properties" { builder.dataSchemaTerms(affordance, of: node) }
                if case .object(let variables)? = affordance["uriVariables"] {
                    for variable in variables.keys.sorted() {
                        guard let schema = variables[variable] else { continue }
                        let path = "\(section)/\(name)/uriVariables/\(variable)"
                        builder.dataSchema(schema, of: node, td + "hasUriTemplateSchema", path: path)
                        builder.add(builder.node(path), IRI(td + "name"), .literal(Literal(variable)))
                    }
                }
                if case .array(let forms)? = affordance["forms"] {
                    for (index, form) in forms.enumerated() {
                        builder.form(form, of: node, path: "\(section)/\(name)/forms/\(index)", base: base)
                    }
                }
            }
        }
        if case .array(let forms)? = fields["forms"] {
            for (index, form) in forms.enumerated() { builder.form(form, of: thing, path: "forms/\(index)", base: base) }
        }
        if case .array(let links)? = fields["links"] {
            for (index, link) in links.enumerated() {
                guard case .object(let members) = link, let href = members["href"]?.stringValue else { continue }
                let node = builder.node("links/\(index)")
                builder.add(thing, IRI(td + "hasLink"), node)
                builder.add(node, IRI(hctl + "hasTarget"), builder.target(href, base: base))
                builder.text(node, hctl + "hasRelationType", members["rel"])
                builder.text(node, hctl + "hintsAtMediaType", members["type"])
            }
        }
        return builder.triples
    }

    static func strings(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let text)?: [text]
        case .array(let items)?: items.compactMap(\.stringValue)
        default: []
        }
    }

    /// The `wotsec:` class of a security scheme name, as the TD 1.1 context maps them.
    static func securityClass(_ scheme: String) -> String {
        let classes = ["nosec": "NoSecurityScheme", "combo": "ComboSecurityScheme", "basic": "BasicSecurityScheme",
                       "digest": "DigestSecurityScheme", "apikey": "APIKeySecurityScheme", "bearer": "BearerSecurityScheme",
                       "cert": "CertSecurityScheme", "psk": "PSKSecurityScheme", "public": "PublicSecurityScheme",
                       "pop": "PoPSecurityScheme", "oauth2": "OAuth2SecurityScheme", "auto": "AutoSecurityScheme"]
        return classes[scheme] ?? "SecurityScheme"
    }

    /// The `td:` operation type of a form's `op` value, as the TD 1.1 context maps them.
    static func operationType(_ op: String) -> String? {
        let operations = ["readproperty": "readProperty", "writeproperty": "writeProperty", "observeproperty": "observeProperty",
                          "unobserveproperty": "unobserveProperty", "invokeaction": "invokeAction", "queryaction": "queryAction",
                          "cancelaction": "cancelAction", "subscribeevent": "subscribeEvent", "unsubscribeevent": "unsubscribeEvent",
                          "readallproperties": "readAllProperties", "writeallproperties": "writeAllProperties",
                          "readmultipleproperties": "readMultipleProperties", "writemultipleproperties": "writeMultipleProperties",
                          "observeallproperties": "observeAllProperties", "unobserveallproperties": "unobserveAllProperties",
                          "queryallactions": "queryAllActions", "subscribeallevents": "subscribeAllEvents",
                          "unsubscribeallevents": "unsubscribeAllEvents"]
        return operations[op].map { td + $0 }
    }

    private struct Builder {
        let graphIRI: String
        var triples: [Triple] = []

        func node(_ path: String) -> Term {
            .iri(graphIRI + "#td/" + IRIText.encodeSegment(path))
        }

        mutating func add(_ subject: Term, _ predicate: IRI, _ object: Term) {
            triples.append(Triple(subject, predicate, object))
        }

        mutating func text(_ subject: Term, _ predicate: String, _ value: JSONValue?) {
            if let text = value?.stringValue { add(subject, IRI(predicate), .literal(Literal(text))) }
        }

        mutating func languageMap(_ subject: Term, _ predicate: String, _ value: JSONValue?) {
            guard case .object(let map)? = value else { return }
            for language in map.keys.sorted() where !language.isEmpty {
                if let text = map[language]?.stringValue { add(subject, IRI(predicate), .literal(Literal(text, language: language))) }
            }
        }

        /// `@type` values: absolute and prefixed IRIs expanded, plain terms relative to `td:`.
        mutating func types(_ subject: Term, _ value: JSONValue?, prefixes: [String: String]) {
            for type in ThingDescriptionGraph.strings(value) {
                if let iri = ManifestPrefixes.expand(type, extra: prefixes) {
                    add(subject, RDF.type, .iri(iri))
                } else if !type.contains(":"), ServiceName.isSegment(Substring(type)) {
                    add(subject, RDF.type, .iri(ThingDescriptionGraph.td + type))
                }
            }
        }

        /// An href: an IRI when it is one (resolved against `base`), else an `xsd:anyURI` literal.
        func target(_ href: String, base: IRIResolver?) -> Term {
            let resolved = IRI.isAbsolute(href) ? href : base.map { $0.resolve(href) } ?? href
            return IRI.isAbsolute(resolved) ? .iri(resolved) : .literal(Literal(resolved, datatype: XSD.anyURI))
        }

        mutating func form(_ value: JSONValue, of owner: Term, path: String, base: IRIResolver?) {
            guard case .object(let form) = value, let href = form["href"]?.stringValue else { return }
            let node = node(path)
            add(owner, IRI(ThingDescriptionGraph.td + "hasForm"), node)
            add(node, RDF.type, .iri(ThingDescriptionGraph.hctl + "Form"))
            add(node, IRI(ThingDescriptionGraph.hctl + "hasTarget"), target(href, base: base))
            text(node, ThingDescriptionGraph.hctl + "forContentType", form["contentType"])
            text(node, ThingDescriptionGraph.hctl + "forSubProtocol", form["subprotocol"])
            for op in ThingDescriptionGraph.strings(form["op"]) {
                if let type = ThingDescriptionGraph.operationType(op) { add(node, IRI(ThingDescriptionGraph.hctl + "hasOperationType"), .iri(type)) }
            }
        }

        /// A data schema: its node, its `jsonschema:` class by `type`, title and description.
        mutating func dataSchema(_ value: JSONValue, of owner: Term, _ predicate: String, path: String) {
            guard case .object(let schema) = value else { return }
            let node = node(path)
            add(owner, IRI(predicate), node)
            dataSchemaTerms(schema, of: node)
            text(node, "http://purl.org/dc/terms/title", schema["title"])
            text(node, "http://purl.org/dc/terms/description", schema["description"])
        }

        mutating func dataSchemaTerms(_ schema: [String: JSONValue], of node: Term) {
            let classes = ["object": "ObjectSchema", "array": "ArraySchema", "boolean": "BooleanSchema", "string": "StringSchema",
                           "number": "NumberSchema", "integer": "IntegerSchema", "null": "NullSchema"]
            if let type = schema["type"]?.stringValue, let schemaClass = classes[type] {
                add(node, RDF.type, .iri(ThingDescriptionGraph.jsonschema + schemaClass))
            }
            for key in ["readOnly", "writeOnly"] {
                if case .bool(let flag)? = schema[key] {
                    add(node, IRI(ThingDescriptionGraph.jsonschema + key), .literal(Literal(flag ? "true" : "false", datatype: XSD.boolean)))
                }
            }
            if let unit = schema["unit"]?.stringValue { add(node, IRI("http://schema.org/unitCode"), .literal(Literal(unit))) }
        }
    }
}
