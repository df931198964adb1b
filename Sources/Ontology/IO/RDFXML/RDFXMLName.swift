/// What an element or attribute name means to the RDF/XML grammar, worked out once per
/// distinct name and cached by the reader.
struct RDFXMLName {
    /// The terms of the RDF namespace that the grammar treats specially.
    enum Syntax {
        case rdf, description, id, about, parseType, resource, nodeID, datatype, li
        case aboutEach, aboutEachPrefix, bagID, type
    }

    enum Kind {
        /// An ordinary name: a property or class IRI.
        case plain
        /// A syntax term of the RDF namespace.
        case syntax(Syntax)
        /// `xml:lang`.
        case xmlLang
        /// `xml:base`.
        case xmlBase
        /// Any other name reserved by XML (`xml:space`, `xmlFoo`): ignored.
        case xmlReserved
        /// A name with no namespace, which RDF/XML does not allow.
        case unqualified
    }

    let iri: IRI
    let kind: Kind
    /// Whether `iri` has no character that IRIs forbid (a namespace may hold anything).
    let isValidIRI: Bool

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    init(namespace: String?, localName: String, prefix: String?) {
        isValidIRI = !IRIValidation.hasForbiddenCharacter((namespace ?? "") + localName)
        guard let namespace else {
            iri = IRI(localName)
            kind = localName.lowercased().hasPrefix("xml") ? .xmlReserved : .unqualified
            return
        }
        iri = IRI(namespace + localName)
        if namespace == RDFXMLName.xmlNamespace {
            switch localName {
            case "lang": kind = .xmlLang
            case "base": kind = .xmlBase
            default: kind = .xmlReserved
            }
        } else if let prefix, prefix.lowercased().hasPrefix("xml") {
            kind = .xmlReserved
        } else if namespace == RDF.namespace {
            switch localName {
            case "RDF": kind = .syntax(.rdf)
            case "Description": kind = .syntax(.description)
            case "ID": kind = .syntax(.id)
            case "about": kind = .syntax(.about)
            case "parseType": kind = .syntax(.parseType)
            case "resource": kind = .syntax(.resource)
            case "nodeID": kind = .syntax(.nodeID)
            case "datatype": kind = .syntax(.datatype)
            case "li": kind = .syntax(.li)
            case "aboutEach": kind = .syntax(.aboutEach)
            case "aboutEachPrefix": kind = .syntax(.aboutEachPrefix)
            case "bagID": kind = .syntax(.bagID)
            case "type": kind = .syntax(.type)
            default: kind = .plain
            }
        } else {
            kind = .plain
        }
    }

    /// Whether the name may not be used as a node element (RDF 1.1 XML Syntax §7.2.5:
    /// coreSyntaxTerms, rdf:li and the old terms).
    var isForbiddenNodeElement: Bool {
        guard case .syntax(let syntax) = kind else { return false }
        switch syntax {
        case .description, .type: return false
        default: return true
        }
    }

    /// Whether the name may not be used as a property element (§7.2.14: also rdf:Description).
    var isForbiddenPropertyElement: Bool {
        guard case .syntax(let syntax) = kind else { return false }
        switch syntax {
        case .type, .li: return false
        default: return true
        }
    }
}

/// Checks the XML `NCName` production, which `rdf:ID` and `rdf:nodeID` values must match.
enum NCName {
    static func isValid(_ string: String) -> Bool {
        var first = true
        for scalar in string.unicodeScalars {
            if first {
                if !isNameStart(scalar.value) { return false }
                first = false
            } else if !isNameCharacter(scalar.value) {
                return false
            }
        }
        return !first
    }

    /// `NameStartChar` without the colon.
    static func isNameStart(_ v: UInt32) -> Bool {
        (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
            || (v >= 0xC0 && v <= 0xD6) || (v >= 0xD8 && v <= 0xF6) || (v >= 0xF8 && v <= 0x2FF)
            || (v >= 0x370 && v <= 0x37D) || (v >= 0x37F && v <= 0x1FFF) || (v >= 0x200C && v <= 0x200D)
            || (v >= 0x2070 && v <= 0x218F) || (v >= 0x2C00 && v <= 0x2FEF) || (v >= 0x3001 && v <= 0xD7FF)
            || (v >= 0xF900 && v <= 0xFDCF) || (v >= 0xFDF0 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0xEFFFF)
    }

    /// `NameChar` without the colon.
    static func isNameCharacter(_ v: UInt32) -> Bool {
        isNameStart(v) || v == 0x2D || v == 0x2E || (v >= 0x30 && v <= 0x39) || v == 0xB7
            || (v >= 0x300 && v <= 0x36F) || (v >= 0x203F && v <= 0x2040)
    }
}
