/// A test of a server's HTTP protocol (SPARQL Protocol, Graph Store Protocol): requests sent in
/// order on one connection, each with what its response must show.
struct ProtocolTest {
    let suite: String
    let name: String
    /// Files loaded into named graphs (by their label) before the first request.
    var graphData: [(path: String, graph: String)] = []
    var exchanges: [HTTPExchange]
    /// The connection's authority (`ht:connectionAuthority`), sent as `Host`.
    var authority: String

    var identifier: String { "\(suite)/\(name)" }
}

/// One request and its expected response.
struct HTTPExchange {
    var method: String
    /// The request target as the manifest gives it (origin form, or absolute form after a
    /// `Location` was substituted into it).
    var target: String
    var headers: [(name: String, value: String)] = []
    var body: String?
    var expected: ExpectedResponse

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// What a response must show.
struct ExpectedResponse {
    /// Acceptable statuses: an exact code, or a class (`2` for 2xx).
    var statuses: [StatusExpectation] = []
    /// `mf:expectedBoolean`: the ASK result.
    var boolean: Bool?
    /// `mf:expectedFormat`: `boolean`, `tabular` or `RDF`.
    var format: String?
    /// A `Content-Type` the response must have (media type compared, parameters too when given).
    var contentType: String?
    /// An RDF body the response's must be isomorphic to, in `contentType`'s syntax.
    var body: String?
    /// `mf:expectedLocation`: a variable later requests use, bound to the `Location` header.
    var locationVariable: String?
}

enum StatusExpectation: Equatable, CustomStringConvertible {
    case code(Int)
    case range(Int)

    func matches(_ status: Int) -> Bool {
        switch self {
        case .code(let code): status == code
        case .range(let hundreds): status / 100 == hundreds
        }
    }

    var description: String {
        switch self {
        case .code(let code): "\(code)"
        case .range(let hundreds): "\(hundreds)xx"
        }
    }

    /// The status an `hts:` IRI (`http://www.w3.org/2011/http-statusCodes#`) names.
    init?(statusCodeIRI iri: String) {
        let name = iri.split(separator: "#").last.map(String.init) ?? ""
        if name.hasPrefix("StatusCode"), name.hasSuffix("xx"), let digit = Int(name.dropFirst(10).prefix(1)) {
            self = .range(digit)
            return
        }
        let codes = ["OK": 200, "Created": 201, "Accepted": 202, "NoContent": 204, "BadRequest": 400,
                     "NotFound": 404, "MethodNotAllowed": 405, "UnsupportedMediaType": 415]
        guard let code = codes[name] else { return nil }
        self = .code(code)
    }
}
