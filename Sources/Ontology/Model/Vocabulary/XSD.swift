/// Datatypes of XML Schema, `http://www.w3.org/2001/XMLSchema#`.
public enum XSD {
    public static let namespace = "http://www.w3.org/2001/XMLSchema#"
    public static let string = IRI(namespace + "string")
    public static let boolean = IRI(namespace + "boolean")
    public static let integer = IRI(namespace + "integer")
    public static let decimal = IRI(namespace + "decimal")
    public static let double = IRI(namespace + "double")
    public static let float = IRI(namespace + "float")
    public static let dateTime = IRI(namespace + "dateTime")
    public static let date = IRI(namespace + "date")
    public static let anyURI = IRI(namespace + "anyURI")
}
