internal import CLibXML2

/// One parse of one RDF/XML document: owns the libxml2 push parser and the grammar state.
///
/// libxml2 calls back into the reader through C function pointers with the reader as user data;
/// the grammar itself lives in `RDFXMLReader+Grammar.swift`. Errors raised inside a callback are
/// kept in ``failure`` and the parser is stopped, since nothing may unwind through C frames.
final class RDFXMLReader {
    let limits: RDFXMLParser.Limits
    let emit: (Triple) throws -> Void
    private var context: xmlParserCtxtPtr?
    private var handler = xmlSAXHandler()

    /// The first error; once set, every callback returns at once.
    var failure: Error?
    /// The open elements: what each one is and what it carries.
    var frames: [RDFXMLFrame] = []
    /// Character data since the last start or end tag.
    var text: [UInt8] = []
    /// The canonical XML being written for an open `rdf:parseType="Literal"` element.
    var literal: XMLLiteralWriter?
    /// How many elements are open inside that literal.
    var literalDepth = 0
    var depth = 0
    var entityBytes = 0
    var blankNodes = BlankNodeGenerator()
    /// `rdf:ID` values seen so far (as resolved IRIs), which must be unique per document.
    var knownIDs: Set<String> = []
    /// Namespace prefixes declared in the document, first declaration of each prefix first.
    var prefixes: [(prefix: String, iri: String)] = []
    /// Element and attribute names already worked out. libxml2 interns names in its dictionary,
    /// so the pointers identify a name for the whole parse.
    var names: [NameKey: RDFXMLName] = [:]

    struct NameKey: Hashable {
        let namespace: UnsafeRawPointer?
        let localName: UnsafeRawPointer?
        let prefix: UnsafeRawPointer?
    }

    init(baseIRI: String?, limits: RDFXMLParser.Limits, emit: @escaping (Triple) throws -> Void) throws {
        self.limits = limits
        self.emit = emit
        var base: IRIResolver?
        if let baseIRI {
            guard let resolver = IRIResolver(base: baseIRI) else {
                throw OntologyError(.invalidIRI, "base IRI `\(baseIRI)` is not absolute")
            }
            base = resolver
        }
        frames.append(RDFXMLFrame(kind: .document, base: base, language: nil))
        RDFXMLReader.installEntityLoaderGuard()
        installHandlers()
        let userData = Unmanaged.passUnretained(self).toOpaque()
        guard let context = xmlCreatePushParserCtxt(&handler, userData, nil, 0, nil) else {
            throw OntologyError(.rdfxmlSyntax, "cannot create an XML parser")
        }
        self.context = context
        // NOENT substitutes internal entities (RDF/XML uses them in attribute values); external
        // ones are refused in `entity(named:)`. NONET forbids network access outright.
        let options = Int32(XML_PARSE_NOENT.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
        xmlCtxtUseOptions(context, options)
    }

    deinit {
        if let context {
            if let document = context.pointee.myDoc { xmlFreeDoc(document) }
            context.pointee.myDoc = nil
            xmlFreeParserCtxt(context)
        }
    }

    /// Feeds the next chunk of the document.
    func feed(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard let context, let base = bytes.baseAddress else { return }
        let status = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            xmlParseChunk(context, $0, Int32(bytes.count), 0)
        }
        try check(status)
    }

    /// Ends the document; throws if it was incomplete.
    func finish() throws {
        guard let context else { return }
        try check(xmlParseChunk(context, nil, 0, 1))
    }

    private func check(_ status: Int32) throws {
        if let failure { throw failure }
        guard status != 0, let context else { return }
        if let error = xmlCtxtGetLastError(context) {
            var message = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
            while message.last?.isWhitespace == true { message.removeLast() }
            let code: OntologyError.Code
            switch Int(error.pointee.code) {
            case Int(XML_ERR_ENTITY_LOOP.rawValue):
                code = .rdfxmlEntityLimit
            default:
                code = .rdfxmlSyntax
            }
            if let first = message.first { message.replaceSubrange(...message.startIndex, with: first.lowercased()) }
            if code == .rdfxmlEntityLimit { message = "entity expansion refused (\(message))" }
            throw OntologyError(code, message,
                                at: TextPosition(line: Int(error.pointee.line), column: Int(error.pointee.int2)))
        }
        throw OntologyError(.rdfxmlSyntax, "malformed XML", at: position)
    }

    /// Where libxml2 is in the document now.
    var position: TextPosition? {
        guard let context else { return nil }
        return TextPosition(line: Int(xmlSAX2GetLineNumber(context)), column: Int(xmlSAX2GetColumnNumber(context)))
    }

    /// Records the first error and stops libxml2.
    func fail(_ error: Error) {
        if failure == nil { failure = error }
        if let context { xmlStopParser(context) }
    }

    func fail(_ code: OntologyError.Code, _ message: String) {
        fail(OntologyError(code, message, at: position))
    }

    // MARK: - Entities

    /// Looks an entity up for libxml2, refusing external ones and counting expansion.
    fileprivate func entity(named name: UnsafePointer<xmlChar>?, parameter: Bool) -> xmlEntityPtr? {
        guard failure == nil, let context else { return nil }
        let found = parameter ? xmlSAX2GetParameterEntity(context, name) : xmlSAX2GetEntity(context, name)
        guard let found else { return nil }
        switch found.pointee.etype {
        case XML_EXTERNAL_GENERAL_PARSED_ENTITY, XML_EXTERNAL_GENERAL_UNPARSED_ENTITY, XML_EXTERNAL_PARAMETER_ENTITY:
            let entityName = name.map { String(cString: $0) } ?? ""
            fail(.rdfxmlExternalEntity, "external entity `\(entityName)` is not allowed")
            return nil
        default:
            entityBytes += Int(found.pointee.length)
            if entityBytes > limits.maxEntityExpansion {
                fail(.rdfxmlEntityLimit, "entity expansion exceeds \(limits.maxEntityExpansion) bytes")
                return nil
            }
            return found
        }
    }

    /// libxml2 loads external resources through one global loader; ours refuses them all, so
    /// that no code path (DTDs, XInclude, entities) can read a file or open a socket.
    private static let entityLoaderGuard: Void = {
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    private static func installEntityLoaderGuard() {
        _ = entityLoaderGuard
    }

    // MARK: - SAX wiring

    private static func reader(_ userData: UnsafeMutableRawPointer?) -> RDFXMLReader? {
        guard let userData else { return nil }
        let reader = Unmanaged<RDFXMLReader>.fromOpaque(userData).takeUnretainedValue()
        return reader.failure == nil ? reader : nil
    }

    private func installHandlers() {
        handler.initialized = XML_SAX2_MAGIC
        handler.startDocument = { userData in
            guard let reader = RDFXMLReader.reader(userData), let context = reader.context else { return }
            xmlSAX2StartDocument(context)
        }
        handler.internalSubset = { userData, name, externalID, systemID in
            guard let reader = RDFXMLReader.reader(userData), let context = reader.context else { return }
            xmlSAX2InternalSubset(context, name, externalID, systemID)
        }
        handler.entityDecl = { userData, name, type, publicID, systemID, content in
            guard let reader = RDFXMLReader.reader(userData), let context = reader.context else { return }
            xmlSAX2EntityDecl(context, name, type, publicID, systemID, content)
        }
        handler.getEntity = { userData, name in
            RDFXMLReader.reader(userData)?.entity(named: name, parameter: false)
        }
        handler.getParameterEntity = { userData, name in
            RDFXMLReader.reader(userData)?.entity(named: name, parameter: true)
        }
        handler.startElementNs = { userData, localName, prefix, uri, namespaceCount, namespaces, attributeCount, _, attributes in
            guard let reader = RDFXMLReader.reader(userData) else { return }
            if namespaceCount > 0, let namespaces {
                reader.declare(UnsafeBufferPointer(start: namespaces, count: Int(namespaceCount) * 2))
            }
            let attributeValues = UnsafeBufferPointer(start: attributes, count: Int(attributeCount) * 5)
            reader.startElement(localName: localName, prefix: prefix, namespace: uri, attributes: attributeValues)
        }
        handler.endElementNs = { userData, localName, prefix, _ in
            guard let reader = RDFXMLReader.reader(userData) else { return }
            reader.endElement(localName: localName, prefix: prefix)
        }
        handler.characters = { userData, bytes, count in
            guard let reader = RDFXMLReader.reader(userData), let bytes else { return }
            reader.characters(UnsafeBufferPointer(start: bytes, count: Int(count)))
        }
        handler.cdataBlock = handler.characters
        // Errors are read from the context after each chunk; this keeps libxml2 from printing them.
        handler.serror = { _, _ in }
    }

    /// Records `xmlns:prefix` declarations (pairs of prefix and IRI), so that a writer can
    /// reuse the document's own prefixes.
    fileprivate func declare(_ namespaces: UnsafeBufferPointer<UnsafePointer<xmlChar>?>) {
        var index = 0
        while index + 1 < namespaces.count {
            let prefix = namespaces[index].map { String(cString: $0) } ?? ""
            index += 2
            guard let iri = namespaces[index - 1].map({ String(cString: $0) }),
                prefix != "rdf" || iri == RDF.namespace,
                !prefixes.contains(where: { $0.prefix == prefix }) else { continue }
            prefixes.append((prefix, iri))
        }
    }

    /// The meaning of a name, from the cache or worked out now.
    func name(namespace: UnsafePointer<xmlChar>?, localName: UnsafePointer<xmlChar>?,
              prefix: UnsafePointer<xmlChar>?) -> RDFXMLName {
        let key = NameKey(namespace: UnsafeRawPointer(namespace), localName: UnsafeRawPointer(localName),
                          prefix: UnsafeRawPointer(prefix))
        if let known = names[key] { return known }
        let name = RDFXMLName(namespace: namespace.map { String(cString: $0) },
                              localName: localName.map { String(cString: $0) } ?? "",
                              prefix: prefix.map { String(cString: $0) })
        names[key] = name
        return name
    }
}
