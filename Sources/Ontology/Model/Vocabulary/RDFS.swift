/// Terms of the RDF Schema vocabulary, `http://www.w3.org/2000/01/rdf-schema#`.
public enum RDFS {
    public static let namespace = "http://www.w3.org/2000/01/rdf-schema#"
    public static let subClassOf = IRI(namespace + "subClassOf")
    public static let subPropertyOf = IRI(namespace + "subPropertyOf")
    public static let domain = IRI(namespace + "domain")
    public static let range = IRI(namespace + "range")
    public static let label = IRI(namespace + "label")
    public static let comment = IRI(namespace + "comment")
    public static let `class` = IRI(namespace + "Class")
}
