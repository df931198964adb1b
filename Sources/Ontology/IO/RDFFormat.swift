/// The RDF serializations registryd reads and writes.
public enum RDFFormat: String, CaseIterable, Sendable {
    case rdfXML = "rdfxml"
    case turtle
    case nTriples = "ntriples"

    /// The format that a file name's extension names, if any.
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "rdf", "owl", "xml", "rdfxml": self = .rdfXML
        case "ttl", "turtle": self = .turtle
        case "nt", "ntriples": self = .nTriples
        default: return nil
        }
    }

    /// The format a media type (`type/subtype`, lower case, without parameters) names: the
    /// registered types and the aliases clients still send (`application/x-turtle`,
    /// `text/plain` for N-Triples, generic XML for RDF/XML).
    public init?(mediaType: String) {
        switch mediaType {
        case "text/turtle", "application/x-turtle": self = .turtle
        case "application/n-triples", "text/plain": self = .nTriples
        case "application/rdf+xml", "application/xml", "text/xml": self = .rdfXML
        default: return nil
        }
    }

    /// The format's media type.
    public var mediaType: String {
        switch self {
        case .rdfXML: return "application/rdf+xml"
        case .turtle: return "text/turtle"
        case .nTriples: return "application/n-triples"
        }
    }

    /// A human name, for messages.
    public var name: String {
        switch self {
        case .rdfXML: return "RDF/XML"
        case .turtle: return "Turtle"
        case .nTriples: return "N-Triples"
        }
    }
}
