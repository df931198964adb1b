/// What a token may do (DESIGN.md §4.2 Auth).
enum Scope: Hashable, Sendable, CustomStringConvertible {
    /// Everything, including tokens, updates and ontologies.
    case admin
    /// Read: SPARQL queries, listing, resolution, events.
    case query
    /// Ask for access decisions (the access service).
    case decide
    /// Register, update and remove services whose names lie under the prefix.
    case register(prefix: String)

    /// Parses `admin`, `query`, `decide` or `register:<name prefix>`.
    init?(_ text: String) {
        switch text {
        case "admin": self = .admin
        case "query": self = .query
        case "decide": self = .decide
        default:
            guard text.hasPrefix("register:") else { return nil }
            let prefix = String(text.dropFirst("register:".count))
            // A prefix is a name or the start of one: ASCII name characters only, so that a
            // look-alike cannot widen it.
            guard !prefix.isEmpty, prefix.utf8.allSatisfy({ byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "-"), UInt8(ascii: "/"): true
                default: false
                }
            }), !prefix.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else { return nil }
            self = .register(prefix: prefix)
        }
    }

    var description: String {
        switch self {
        case .admin: "admin"
        case .query: "query"
        case .decide: "decide"
        case .register(let prefix): "register:" + prefix
        }
    }
}
