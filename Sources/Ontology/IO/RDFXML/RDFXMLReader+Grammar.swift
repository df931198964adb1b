internal import CLibXML2

/// The RDF 1.1 XML Syntax grammar (https://www.w3.org/TR/rdf-syntax-grammar/ §7), driven by
/// start tags, end tags and character data.
extension RDFXMLReader {
    /// The attributes of one element that the grammar reads, gathered before any is resolved
    /// (so that `xml:base` applies whatever the attribute order).
    struct Attributes {
        var id: String?
        var nodeID: String?
        var about: String?
        var resource: String?
        var datatype: String?
        var parseType: String?
        var type: String?
        var properties: [(IRI, String)] = []
    }

    func startElement(localName: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?,
                      namespace: UnsafePointer<xmlChar>?,
                      attributes: UnsafeBufferPointer<UnsafePointer<xmlChar>?>) {
        depth += 1
        if depth > limits.maxDepth {
            return fail(.rdfxmlDepthLimit, "elements nest deeper than \(limits.maxDepth) levels")
        }
        if literal != nil {
            literalDepth += 1
            literal?.startElement(localName: localName, prefix: prefix, namespace: namespace, attributes: attributes)
            return
        }
        do {
            try startGrammarElement(localName: localName, prefix: prefix, namespace: namespace, attributes: attributes)
        } catch {
            fail(error)
        }
    }

    func endElement(localName: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?) {
        depth -= 1
        if literalDepth > 0 {
            literalDepth -= 1
            literal?.endElement(localName: localName, prefix: prefix)
            return
        }
        do {
            try endGrammarElement()
        } catch {
            fail(error)
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<xmlChar>) {
        if literal != nil {
            literal?.text(bytes)
        } else {
            text.append(contentsOf: bytes)
        }
    }

    // MARK: - Start tags

    private func startGrammarElement(localName: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?,
                                     namespace: UnsafePointer<xmlChar>?,
                                     attributes: UnsafeBufferPointer<UnsafePointer<xmlChar>?>) throws {
        let parentIndex = frames.count - 1
        if !text.isEmpty { try requireWhitespace() }

        let name = self.name(namespace: namespace, localName: localName, prefix: prefix)
        if case .unqualified = name.kind {
            throw syntaxError("element `\(name.iri.value)` has no namespace")
        }
        if !name.isValidIRI { throw OntologyError(.invalidIRI, "`\(name.iri.value)` is not a valid IRI", at: position) }
        var base = frames[parentIndex].base
        var language = frames[parentIndex].language
        var found = Attributes()
        var index = 0
        while index + 4 < attributes.count {
            let attribute = self.name(namespace: attributes[index + 2], localName: attributes[index],
                                      prefix: attributes[index + 1])
            let value = RDFXMLReader.string(from: attributes[index + 3], to: attributes[index + 4])
            index += 5
            switch attribute.kind {
            case .xmlLang:
                guard value.isEmpty || LanguageTag.isWellFormed(value) else {
                    throw syntaxError("xml:lang `\(value)` is not a language tag")
                }
                language = value.isEmpty ? nil : value.lowercased()
            case .xmlBase:
                let resolved = try resolve(value, against: base)
                base = IRIResolver(base: resolved)
            case .xmlReserved:
                continue
            case .unqualified:
                throw syntaxError("attribute `\(attribute.iri.value)` has no namespace")
            case .plain:
                if !attribute.isValidIRI {
                    throw OntologyError(.invalidIRI, "`\(attribute.iri.value)` is not a valid IRI", at: position)
                }
                found.properties.append((attribute.iri, value))
            case .syntax(let syntax):
                switch syntax {
                case .id:
                    guard NCName.isValid(value) else { throw syntaxError("rdf:ID `\(value)` is not an XML name") }
                    found.id = value
                case .nodeID:
                    guard NCName.isValid(value) else { throw syntaxError("rdf:nodeID `\(value)` is not an XML name") }
                    found.nodeID = value
                case .bagID:
                    guard NCName.isValid(value) else { throw syntaxError("rdf:bagID `\(value)` is not an XML name") }
                case .about: found.about = value
                case .resource: found.resource = value
                case .datatype: found.datatype = value
                case .parseType: found.parseType = value
                case .type: found.type = value
                case .description: found.properties.append((attribute.iri, value))
                case .li, .rdf, .aboutEach, .aboutEachPrefix:
                    throw syntaxError("`\(attribute.iri.value)` cannot be an attribute")
                }
            }
        }

        // The frame is pushed first and filled in place: copying it would retain each field.
        frames.append(RDFXMLFrame(kind: .node, base: base, language: language))
        let top = frames.count - 1
        switch frames[parentIndex].kind {
        case .document:
            if case .syntax(.rdf) = name.kind {
                frames[top].kind = .rdf
            } else {
                try startNodeElement(name, found, &frames[top])
            }
        case .rdf, .collection:
            try startNodeElement(name, found, &frames[top])
        case .property:
            if frames[parentIndex].object != nil {
                throw syntaxError("property element `\(frames[parentIndex].predicate.value)` has a value already and cannot contain an element")
            }
            try startNodeElement(name, found, &frames[top])
        case .node:
            try startPropertyElement(name, found, top: top, parentIndex: parentIndex)
        case .literal:
            // Handled before the grammar runs; kept for exhaustiveness.
            frames.removeLast()
        }
    }

    private func startNodeElement(_ name: RDFXMLName, _ found: Attributes, _ frame: inout RDFXMLFrame) throws {
        if name.isForbiddenNodeElement {
            throw syntaxError("`\(name.iri.value)` cannot be used as a node element")
        }
        if found.resource != nil || found.datatype != nil || found.parseType != nil {
            throw syntaxError("rdf:resource, rdf:datatype and rdf:parseType are not allowed on a node element")
        }
        let subject: Term
        switch (found.id, found.nodeID, found.about) {
        case (let id?, nil, nil): subject = .iri(try statementID(id, base: frame.base))
        case (nil, let nodeID?, nil): subject = .blankNode(blankNodes.labelled(nodeID))
        case (nil, nil, let about?): subject = .iri(IRI(try resolve(about, against: frame.base)))
        case (nil, nil, nil): subject = .blankNode(blankNodes.next())
        default: throw syntaxError("a node element takes only one of rdf:ID, rdf:nodeID and rdf:about")
        }
        frame.kind = .node
        frame.subject = subject
        if case .syntax(.description) = name.kind {} else {
            try emit(Triple(subject, RDF.type, .iri(name.iri)))
        }
        try emitPropertyAttributes(found, of: subject, base: frame.base, language: frame.language)
    }

    private func startPropertyElement(_ name: RDFXMLName, _ found: Attributes, top: Int, parentIndex: Int) throws {
        let predicate: IRI
        if case .syntax(.li) = name.kind {
            frames[parentIndex].listCounter += 1
            predicate = IRI(RDF.namespace + "_" + String(frames[parentIndex].listCounter))
        } else if name.isForbiddenPropertyElement {
            throw syntaxError("`\(name.iri.value)` cannot be used as a property element")
        } else {
            predicate = name.iri
        }
        if found.about != nil {
            throw syntaxError("rdf:about is not allowed on property element `\(predicate.value)`")
        }
        let subject = frames[parentIndex].subject
        frames[top].subject = subject
        frames[top].predicate = predicate
        if let id = found.id { frames[top].reification = try statementID(id, base: frames[top].base) }

        if let parseType = found.parseType {
            if found.resource != nil || found.nodeID != nil || found.datatype != nil
                || !found.properties.isEmpty || found.type != nil {
                throw syntaxError("rdf:parseType cannot be combined with rdf:resource, rdf:nodeID, rdf:datatype or property attributes")
            }
            switch parseType {
            case "Resource":
                let node = Term.blankNode(blankNodes.next())
                try emitStatement(subject, predicate, node, reification: frames[top].reification)
                frames[top].kind = .node
                frames[top].subject = node
            case "Collection":
                frames[top].kind = .collection
            default:
                frames[top].kind = .literal(emits: parseType == "Literal")
                literal = XMLLiteralWriter()
                literalDepth = 0
            }
            return
        }

        frames[top].kind = .property
        if found.resource != nil || found.nodeID != nil || !found.properties.isEmpty || found.type != nil {
            let object: Term
            switch (found.resource, found.nodeID) {
            case (let resource?, nil): object = .iri(IRI(try resolve(resource, against: frames[top].base)))
            case (nil, let nodeID?): object = .blankNode(blankNodes.labelled(nodeID))
            case (nil, nil): object = .blankNode(blankNodes.next())
            default: throw syntaxError("a property element takes only one of rdf:resource and rdf:nodeID")
            }
            if found.datatype != nil {
                throw syntaxError("rdf:datatype is not allowed on an empty property element with attributes")
            }
            try emitPropertyAttributes(found, of: object, base: frames[top].base, language: frames[top].language)
            frames[top].object = object
        } else if let datatype = found.datatype {
            frames[top].datatype = IRI(try resolve(datatype, against: frames[top].base))
        }
    }

    /// `rdf:type` and the property attributes of a node (§7.2.11 and §7.2.21).
    private func emitPropertyAttributes(_ found: Attributes, of subject: Term, base: IRIResolver?,
                                        language: String?) throws {
        if let type = found.type {
            try emit(Triple(subject, RDF.type, .iri(IRI(try resolve(type, against: base)))))
        }
        for (predicate, value) in found.properties {
            let object = language.map { Literal(value, language: $0) } ?? Literal(value)
            try emit(Triple(subject, predicate, .literal(object)))
        }
    }

    // MARK: - End tags

    private func endGrammarElement() throws {
        guard let frame = frames.popLast() else { return }
        switch frame.kind {
        case .document, .rdf:
            try requireWhitespace()
        case .node:
            try requireWhitespace()
            guard let parentIndex = frames.indices.last else { return }
            switch frames[parentIndex].kind {
            case .property:
                frames[parentIndex].object = frame.subject
            case .collection:
                frames[parentIndex].members.append(frame.subject)
            default:
                break
            }
        case .property:
            let object: Term
            if let node = frame.object {
                try requireWhitespace()
                object = node
            } else {
                let lexical = String(decoding: text, as: UTF8.self)
                text.removeAll(keepingCapacity: true)
                if let datatype = frame.datatype {
                    object = .literal(Literal(lexical, datatype: datatype))
                } else if let language = frame.language {
                    object = .literal(Literal(lexical, language: language))
                } else {
                    object = .literal(Literal(lexical))
                }
            }
            try emitStatement(frame.subject, frame.predicate, object, reification: frame.reification)
        case .collection:
            try requireWhitespace()
            var head = Term.iri(RDF.nil)
            var cells: [Term] = []
            for _ in frame.members { cells.append(.blankNode(blankNodes.next())) }
            for (cell, member) in zip(cells, frame.members).reversed() {
                try emit(Triple(cell, RDF.first, member))
                try emit(Triple(cell, RDF.rest, head))
                head = cell
            }
            try emitStatement(frame.subject, frame.predicate, head, reification: frame.reification)
        case .literal(let emits):
            let lexical = literal?.result ?? ""
            literal = nil
            if emits {
                try emitStatement(frame.subject, frame.predicate, .literal(Literal(lexical, datatype: RDF.xmlLiteral)),
                                  reification: frame.reification)
            }
        }
    }

    // MARK: - Helpers

    /// Character data outside a literal value: only whitespace is allowed there.
    private func requireWhitespace() throws {
        defer { text.removeAll(keepingCapacity: true) }
        for byte in text where !(byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D) {
            let sample = String(decoding: text.prefix(40), as: UTF8.self).trimmingWhitespace
            throw syntaxError("unexpected text `\(sample)`")
        }
    }

    /// Emits a triple and, for `rdf:ID` on a property element, its reification (§7.3).
    private func emitStatement(_ subject: Term, _ predicate: IRI, _ object: Term, reification: IRI?) throws {
        try emit(Triple(subject, predicate, object))
        if let reification {
            let statement = Term.iri(reification)
            try emit(Triple(statement, RDF.type, .iri(RDF.statement)))
            try emit(Triple(statement, RDF.subject, subject))
            try emit(Triple(statement, RDF.predicate, .iri(predicate)))
            try emit(Triple(statement, RDF.object, object))
        }
    }

    /// The IRI that `rdf:ID` makes, checked for uniqueness in the document.
    private func statementID(_ id: String, base: IRIResolver?) throws -> IRI {
        let iri = try resolve("#" + id, against: base)
        guard knownIDs.insert(iri).inserted else {
            throw syntaxError("rdf:ID `\(id)` is used twice with the same base")
        }
        return IRI(iri)
    }

    func resolve(_ reference: String, against base: IRIResolver?) throws -> String {
        guard !IRIValidation.hasForbiddenCharacter(reference) else {
            throw OntologyError(.invalidIRI, "`\(reference)` is not a valid IRI", at: position)
        }
        if let base { return base.resolve(reference) }
        if IRIResolver.hasScheme(reference) { return reference }
        throw OntologyError(.invalidIRI, "relative IRI `\(reference)` with no base IRI", at: position)
    }

    func syntaxError(_ message: String) -> OntologyError {
        OntologyError(.rdfxmlSyntax, message, at: position)
    }

    static func string(from start: UnsafePointer<xmlChar>?, to end: UnsafePointer<xmlChar>?) -> String {
        guard let start, let end, end >= start else { return "" }
        return String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
