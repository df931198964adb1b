/// The input of one parse, kept to turn byte offsets into positions and token excerpts for
/// error messages (which are rare, so nothing is precomputed).
struct SourceText: Sendable {
    let bytes: [UInt8]

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// The 1-based line and column of a byte offset.
    func position(of offset: Int) -> TextPosition {
        bytes.withUnsafeBufferPointer { TurtleCharacters.position(of: offset, in: $0) }
    }

    func error(_ message: String, at offset: Int, code: OntologyError.Code = .sparqlSyntax) -> OntologyError {
        OntologyError(code, message, at: position(of: offset))
    }

    /// The text of a token, quoted for a message (shortened when long), or `end of input`.
    func quote(_ token: LocatedToken) -> String {
        if case .end = token.token { return "end of input" }
        let lower = max(0, min(token.start, bytes.count))
        let upper = max(lower, min(token.end, bytes.count))
        var text = String(decoding: bytes[lower..<upper], as: UTF8.self)
        if text.count > 24 { text = String(text.prefix(20)) + "…" }
        var printable = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                printable += " "
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                printable += "?"
            } else {
                printable.unicodeScalars.append(scalar)
            }
        }
        return "`\(printable)`"
    }
}
