import JSON

extension AttributeValue {
    /// Reads a JSON value as the declared type; the error says why it does not fit.
    public static func from(_ json: JSONValue, as type: AttributeType) -> Result<AttributeValue, AttributeProblem> {
        func wrong(_ what: String) -> Result<AttributeValue, AttributeProblem> { .failure(.wrongType("expected \(what)")) }
        switch type {
        case .integer:
            guard case .number(let value) = json, value.rounded() == value, abs(value) < 9e15 else { return wrong("an integer") }
            return .success(.integer(Int(value)))
        case .decimal:
            guard case .number(let value) = json else { return wrong("a number") }
            return .success(.decimal(value))
        case .string:
            guard case .string(let value) = json else { return wrong("a string") }
            return .success(.string(value))
        case .boolean:
            guard case .bool(let value) = json else { return wrong("true or false") }
            return .success(.boolean(value))
        case .time:
            if case .string(let text) = json, let seconds = Instant.parse(text) { return .success(.time(seconds)) }
            if case .number(let seconds) = json { return .success(.time(seconds)) }
            return wrong("an RFC 3339 instant")
        case .interval:
            var start: Double?, end: Double?
            switch json {
            case .object(let members):
                start = members["start"]?.stringValue.flatMap(Instant.parse)
                end = members["end"]?.stringValue.flatMap(Instant.parse)
            case .string(let text):
                let parts = text.split(separator: "/")
                if parts.count == 2 {
                    start = Instant.parse(parts[0])
                    end = Instant.parse(parts[1])
                }
            default: break
            }
            guard let start, let end else { return wrong("an interval {\"start\", \"end\"} of RFC 3339 instants") }
            guard start <= end else { return wrong("an interval whose start is not after its end") }
            return .success(.interval(start: start, end: end))
        case .iri:
            guard case .string(let value) = json, !value.isEmpty else { return wrong("an IRI") }
            return .success(.iri(value))
        case .ordered(let domain):
            guard case .string(let value) = json else { return wrong("a member of \(domain.name)") }
            let name = value.contains(":") ? PolicyCompiler.localName(value) : value
            guard let rank = domain.rank(of: name) else {
                return .failure(.outsideDomain("'\(value)' is not in domain \(domain.name)"))
            }
            return .success(.member(rank: rank, name: name))
        case .set(let element):
            let items: [JSONValue]
            if case .array(let array) = json { items = array } else { items = [json] }
            var values: [AttributeValue] = []
            for item in items {
                switch from(item, as: element) {
                case .success(let value): values.append(value)
                case .failure(let problem): return .failure(problem)
                }
            }
            return .success(.set(values))
        }
    }
}
