/// Terms of the OWL vocabulary used by registryd, `http://www.w3.org/2002/07/owl#`.
public enum OWL {
    public static let namespace = "http://www.w3.org/2002/07/owl#"
    public static let `class` = IRI(namespace + "Class")
    public static let inverseOf = IRI(namespace + "inverseOf")
    public static let transitiveProperty = IRI(namespace + "TransitiveProperty")
    public static let equivalentClass = IRI(namespace + "equivalentClass")
    public static let equivalentProperty = IRI(namespace + "equivalentProperty")
}
