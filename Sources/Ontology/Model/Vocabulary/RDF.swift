/// Terms of the RDF vocabulary, `http://www.w3.org/1999/02/22-rdf-syntax-ns#`.
public enum RDF {
    public static let namespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    public static let type = IRI(namespace + "type")
    public static let first = IRI(namespace + "first")
    public static let rest = IRI(namespace + "rest")
    public static let `nil` = IRI(namespace + "nil")
    public static let subject = IRI(namespace + "subject")
    public static let predicate = IRI(namespace + "predicate")
    public static let object = IRI(namespace + "object")
    public static let statement = IRI(namespace + "Statement")
    public static let langString = IRI(namespace + "langString")
    public static let xmlLiteral = IRI(namespace + "XMLLiteral")
}
