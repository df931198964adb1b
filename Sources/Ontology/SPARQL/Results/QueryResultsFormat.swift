/// The serializations of SPARQL SELECT and ASK results.
public enum QueryResultsFormat: String, CaseIterable, Sendable {
    case json, xml, csv, tsv

    /// The media type of the format.
    public var mediaType: String {
        switch self {
        case .json: return "application/sparql-results+json"
        case .xml: return "application/sparql-results+xml"
        case .csv: return "text/csv"
        case .tsv: return "text/tab-separated-values"
        }
    }

    /// The format a media type names (parameters such as `; charset=utf-8` are ignored).
    public init?(mediaType: String) {
        let bare = mediaType.split(separator: ";").first.map { String($0).trimmingWhitespace.lowercased() } ?? ""
        switch bare {
        case "application/sparql-results+json", "application/json": self = .json
        case "application/sparql-results+xml", "application/xml", "text/xml": self = .xml
        case "text/csv": self = .csv
        case "text/tab-separated-values": self = .tsv
        default: return nil
        }
    }

    /// A writer of this format for the given variables.
    public func writer(output: ByteOutput, variables: [Variable]) -> any QueryResultsWriter {
        switch self {
        case .json: return SPARQLResultsJSONWriter(output: output, variables: variables)
        case .xml: return SPARQLResultsXMLWriter(output: output, variables: variables)
        case .csv: return SPARQLResultsCSVWriter(output: output, variables: variables)
        case .tsv: return SPARQLResultsTSVWriter(output: output, variables: variables)
        }
    }

    /// Writes the result of an ASK query. CSV and TSV define no boolean form; registryd writes
    /// a one-column table (`_askResult`, as Jena does) so that every format answers.
    public func writeBoolean(_ value: Bool, to output: ByteOutput) throws {
        switch self {
        case .json:
            output.append(#"{"head":{},"boolean":\#(value)}"# + "\n")
        case .xml:
            output.append(#"<?xml version="1.0"?>"# + "\n" + #"<sparql xmlns="http://www.w3.org/2005/sparql-results#">"#
                + "\n  <head/>\n  <boolean>\(value)</boolean>\n</sparql>\n")
        case .csv:
            output.append("_askResult\r\n\(value)\r\n")
        case .tsv:
            output.append("?_askResult\n\(value)\n")
        }
        try output.flush()
    }
}

/// A streaming writer of SELECT results: the header when made, one row per ``write(_:)``.
public protocol QueryResultsWriter {
    /// Writes one solution; `values` follow the order of the writer's variables, nil for unbound.
    mutating func write(_ values: [Term?]) throws
    /// Closes the document and flushes the output.
    mutating func finish() throws
}
