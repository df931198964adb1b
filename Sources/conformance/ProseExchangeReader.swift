import Foundation
import Ontology

/// Reads protocol tests whose manifest gives each request and response as prose: the
/// `http-rdf-update` suite, where an entry's `rdfs:comment` holds a `#### Request` and a
/// `#### Response` section, each an HTTP message indented as a Markdown code block, with
/// `$HOST$` and `$GRAPHSTORE$` standing for the server, and `$NEWPATH$` for a `Location`
/// an earlier response gave.
///
/// What the prose leaves to the reader, decided as a client of the Graph Store Protocol would:
/// - an expected `200 OK` without a body also accepts `204 No Content`, and the reverse
///   (GSP §5.3-5.6 allow either for a success without content);
/// - a `Content-Length: ...` line is not compared;
/// - a `multipart/form-data` body is sent with CRLF line ends, as RFC 7578 requires (the
///   Markdown has bare LFs).
struct ProseExchangeReader {
    /// Reads every entry of the manifest at `path`; `graphStore` replaces `$GRAPHSTORE$`.
    static func read(path: String, suite: String, authority: String, graphStore: String) throws -> [ProtocolTest] {
        let manifest = try ManifestGraph(path: path)
        return try manifest.entries.map { entry in
            let name = ManifestGraph.localName(entry)
            let comments = manifest.values(entry, RDFS.comment.value).compactMap { $0.literal?.lexicalForm }
            guard let prose = comments.first(where: { $0.contains("#### Request") }) else {
                throw OntologyError(.unknownFormat, "\(suite)/\(name): no `#### Request` in its comment")
            }
            let text = prose.replacingOccurrences(of: "$HOST$", with: authority)
                .replacingOccurrences(of: "$GRAPHSTORE$", with: graphStore)
            return ProtocolTest(suite: suite, name: name, exchanges: [try exchange(text, test: "\(suite)/\(name)")],
                                authority: authority)
        }
    }

    static func exchange(_ prose: String, test: String) throws -> HTTPExchange {
        let lines = prose.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let requestStart = lines.firstIndex(where: { $0.hasPrefix("#### Request") }),
              let responseStart = lines.firstIndex(where: { $0.hasPrefix("#### Response") }), requestStart < responseStart else {
            throw OntologyError(.unknownFormat, "\(test): expected a `#### Request` then a `#### Response` section")
        }
        let request = message(lines[(requestStart + 1)..<responseStart])
        let response = message(lines[(responseStart + 1)...])
        let requestLine = request.start.split(separator: " ")
        guard requestLine.count >= 2 else { throw OntologyError(.unknownFormat, "\(test): no request line") }
        var target = String(requestLine[1])
        if !target.hasPrefix("/") && !target.hasPrefix("$") && !target.hasPrefix("http") { target = "/" + target }
        var body = request.body
        if let type = request.headers.first(where: { $0.name.lowercased() == "content-type" })?.value,
           type.lowercased().hasPrefix("multipart/") {
            body = body.map { $0.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n") }
        }
        var expected = ExpectedResponse()
        guard let code = Int(response.start.split(separator: " ").first ?? "") else {
            throw OntologyError(.unknownFormat, "\(test): no status in the response `\(response.start)`")
        }
        expected.statuses = [.code(code)]
        if response.body == nil, code == 200 || code == 204 { expected.statuses = [.code(200), .code(204)] }
        for (name, value) in response.headers {
            switch name.lowercased() {
            case "content-type": expected.contentType = value
            case "location" where value.hasPrefix("$"): expected.locationVariable = value
            default: break
            }
        }
        expected.body = response.body
        return HTTPExchange(method: String(requestLine[0]), target: target,
                            headers: request.headers.filter { $0.name.lowercased() != "host" }, body: body, expected: expected)
    }

    /// An HTTP message in a Markdown code block: its first line, headers and body.
    private static func message(_ lines: ArraySlice<String>) -> (start: String, headers: [(name: String, value: String)], body: String?) {
        var code = lines.map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : $0.trimming(" \t") }
        while code.first?.isEmpty == true { code.removeFirst() }
        while code.last?.isEmpty == true { code.removeLast() }
        guard let start = code.first else { return ("", [], nil) }
        var headers: [(name: String, value: String)] = []
        var index = 1
        while index < code.count, !code[index].isEmpty, let colon = code[index].firstIndex(of: ":") {
            headers.append((String(code[index][..<colon]), code[index][code[index].index(after: colon)...].trimming(" ")))
            index += 1
        }
        let rest = code[min(index, code.count)...].drop { $0.isEmpty }
        return (start, headers, rest.isEmpty ? nil : rest.joined(separator: "\n") + "\n")
    }
}

extension StringProtocol {
    func trimming(_ set: String) -> String {
        trimmingCharacters(in: CharacterSet(charactersIn: set))
    }
}
