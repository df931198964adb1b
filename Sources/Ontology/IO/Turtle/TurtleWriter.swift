/// Writes triples as readable Turtle into a ``ByteOutput``.
///
/// The writer keeps every triple until ``finish()``, since grouping needs the whole graph. It then
/// writes the prefix declarations, and one statement per subject with its predicates joined by
/// `;` and objects by `,`, `a` for `rdf:type`, prefixed names where the local part allows one,
/// and native numbers and booleans where the lexical form allows them. Blank nodes that are the
/// object of exactly one triple are written inline as `[ ... ]`, and well-formed RDF lists as
/// `( ... )`. Duplicate triples are written once. The result reads back (with ``TurtleParser``)
/// as the same graph.
///
/// ```swift
/// let output = ByteOutput(fileDescriptor: 1)
/// var writer = TurtleWriter(output: output, prefixes: [("ex", "http://example.org/")])
/// try writer.write(triple)
/// try writer.finish()
/// ```
public struct TurtleWriter: RDFWriter {
    /// How deeply `[ ... ]` and `( ... )` may nest in the output; deeper blank nodes get labels.
    static let maximumInlineDepth = 32
    /// Prefixes declared when the output uses them and neither name nor namespace is bound.
    static let wellKnownPrefixes: [(prefix: String, iri: String)] = [
        ("rdf", RDF.namespace), ("rdfs", RDFS.namespace), ("xsd", XSD.namespace), ("owl", OWL.namespace),
    ]

    private let output: ByteOutput
    private let baseIRI: String?
    private var formatter: TurtleTermFormatter
    private var graph = TurtleGraphIndex()

    // State while writing.
    private var placed = Set<BlankNode>()
    private var pending: [BlankNode] = []
    private var labels: [BlankNode: String] = [:]
    private var usedLabels: Set<String>?
    private var generatedLabels = 0
    /// The items of each list written as `( ... )`, by first node, and the list's nodes.
    private var collections: [BlankNode: [Term]] = [:]
    private var collectionNodes: [BlankNode: [BlankNode]] = [:]
    /// The statements, written before the header (see ``finish()``): full chunks, then the
    /// one being written.
    private var chunks: [[UInt8]] = []
    private var buffer: [UInt8] = []
    private var wroteStatement = false
    private static let chunkSize = 1 << 20
    private var lineStart = 0

    /// Makes a writer. `prefixes` are declared in the given order (names that are not valid
    /// Turtle prefixes are left out); with `baseIRI`, an `@base` is written and IRIs under it are
    /// written relative to it.
    public init(output: ByteOutput, prefixes: [(prefix: String, iri: String)] = [], baseIRI: String? = nil) {
        self.output = output
        let base = baseIRI.flatMap { IRIResolver(base: $0) }?.base
        self.baseIRI = base
        self.formatter = TurtleTermFormatter(prefixes: prefixes, baseIRI: base)
    }

    /// Keeps a triple for ``finish()``. Throws for a literal subject, which Turtle cannot write.
    public mutating func write(_ triple: Triple) throws {
        if case .literal(let literal) = triple.subject {
            throw OntologyError(.turtleSyntax, "a literal (`\(literal)`) cannot be the subject of a Turtle triple")
        }
        graph.add(triple)
    }

    /// Writes the document and flushes the output.
    ///
    /// The statements are written first, into memory, so that the header can leave out the
    /// well-known prefixes that no statement ended up using.
    public mutating func finish() throws {
        let optionalPrefixes = addWellKnownPrefixes()
        findCollections()
        let references = graph.objectReferences
        for index in graph.groups.indices {
            if case .blankNode(let node) = graph.groups[index].subject {
                if references[node] == 1 { continue }
                placed.insert(node)
            }
            writeStatement(index)
            writePending()
        }
        // What is left are blank nodes that only refer to each other in a cycle: give the first
        // one a label and write the rest inline from it, preferring nodes that do not start a list.
        for listsToo in [false, true] {
            for index in graph.groups.indices {
                guard case .blankNode(let node) = graph.groups[index].subject, !placed.contains(node) else { continue }
                if collections[node] != nil {
                    guard listsToo else { continue }
                    dissolveCollection(node)
                }
                placed.insert(node)
                _ = label(for: node)
                writeStatement(index)
                writePending()
            }
        }
        graph = TurtleGraphIndex()

        if let baseIRI {
            output.append("@base ")
            NTriplesEscaping.appendIRI(IRI(baseIRI), to: &output.buffer)
            output.append(" .\n")
        }
        for entry in formatter.prefixes
        where !optionalPrefixes.contains(entry.prefix) || formatter.usedPrefixes.contains(entry.prefix) {
            output.append("@prefix \(entry.prefix): ")
            NTriplesEscaping.appendIRI(IRI(entry.iri), to: &output.buffer)
            output.append(" .\n")
        }
        if !output.buffer.isEmpty && wroteStatement { output.append("\n") }
        chunks.append(buffer)
        buffer = []
        for chunk in chunks {
            output.buffer.append(contentsOf: chunk)
            try output.flushIfFull()
        }
        chunks = []
        try output.flush()
    }

    // MARK: Statements

    private mutating func writeStatement(_ index: Int) {
        let subject = graph.groups[index].subject
        if wroteStatement { buffer.append(UInt8(ascii: "\n")) }
        wroteStatement = true
        if buffer.count >= Self.chunkSize {
            // Full chunks are set aside rather than grown, which would copy the whole text.
            chunks.append(buffer)
            buffer = []
            buffer.reserveCapacity(Self.chunkSize + 4096)
        }
        lineStart = buffer.count
        switch subject {
        case .iri(let iri):
            formatter.appendIRI(iri, repeated: false, to: &buffer)
        case .blankNode(let node):
            if graph.objectReferences[node] == nil && labels[node] == nil {
                buffer.append(contentsOf: "[]".utf8)
            } else {
                appendLabel(node)
            }
        case .literal(let literal):
            formatter.appendLiteral(literal, to: &buffer)
        }
        buffer.append(UInt8(ascii: " "))
        writePredicates(index, indent: 4, depth: 0)
        buffer.append(contentsOf: " .\n".utf8)
    }

    private mutating func writePending() {
        while !pending.isEmpty {
            let node = pending.removeFirst()
            if let index = graph.group(of: .blankNode(node)) { writeStatement(index) }
        }
    }

    /// The predicate-object list of a group, `rdf:type` first; the first predicate goes where the
    /// cursor is, the others on their own lines at `indent`.
    private mutating func writePredicates(_ index: Int, indent: Int, depth: Int) {
        let group = graph.groups[index]
        var order = Array(group.predicates.indices)
        if let type = group.predicates.firstIndex(of: RDF.type), type != 0 {
            order.remove(at: type)
            order.insert(type, at: 0)
        }
        for (position, slot) in order.enumerated() {
            if position > 0 {
                buffer.append(contentsOf: " ;".utf8)
                newLine(indent: indent)
            }
            let predicate = group.predicates[slot]
            if predicate == RDF.type {
                buffer.append(UInt8(ascii: "a"))
            } else {
                formatter.appendIRI(predicate, to: &buffer)
            }
            buffer.append(UInt8(ascii: " "))
            for (k, object) in group.objects[slot].enumerated() {
                if k > 0 {
                    buffer.append(UInt8(ascii: ","))
                    if buffer.count - lineStart > 80 {
                        newLine(indent: indent + 4)
                    } else {
                        buffer.append(UInt8(ascii: " "))
                    }
                }
                writeObject(object, indent: indent, depth: depth)
            }
        }
    }

    private mutating func writeObject(_ object: Term, indent: Int, depth: Int) {
        switch object {
        case .iri(let iri):
            formatter.appendIRI(iri, to: &buffer)
        case .literal(let literal):
            formatter.appendLiteral(literal, to: &buffer)
        case .blankNode(let node):
            writeBlankNodeObject(node, indent: indent, depth: depth)
        }
    }

    private mutating func writeBlankNodeObject(_ node: BlankNode, indent: Int, depth: Int) {
        let inline = graph.objectReferences[node] == 1 && !placed.contains(node)
        guard inline else {
            appendLabel(node)
            return
        }
        placed.insert(node)
        guard depth < Self.maximumInlineDepth else {
            // Too deep to nest readably (or safely): write it as a statement of its own.
            dissolveCollection(node)
            appendLabel(node)
            pending.append(node)
            return
        }
        if let items = collections[node] {
            buffer.append(UInt8(ascii: "("))
            for item in items {
                buffer.append(UInt8(ascii: " "))
                writeObject(item, indent: indent, depth: depth + 1)
            }
            buffer.append(contentsOf: " )".utf8)
        } else if let index = graph.group(of: .blankNode(node)) {
            buffer.append(UInt8(ascii: "["))
            newLine(indent: indent + 4)
            writePredicates(index, indent: indent + 4, depth: depth + 1)
            newLine(indent: indent)
            buffer.append(UInt8(ascii: "]"))
        } else {
            buffer.append(contentsOf: "[]".utf8)
        }
    }

    private mutating func newLine(indent: Int) {
        buffer.append(UInt8(ascii: "\n"))
        lineStart = buffer.count
        buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    // MARK: Blank nodes and prefixes

    /// Finds the RDF lists to write as `( ... )`; their nodes after the first are never
    /// written on their own.
    private mutating func findCollections() {
        for group in graph.groups {
            guard case .blankNode(let node) = group.subject, group.predicates.count == 2,
                  let (items, nodes) = graph.collectionItems(startingAt: node) else { continue }
            collections[node] = items
            collectionNodes[node] = nodes
            placed.formUnion(nodes.dropFirst())
        }
    }

    /// Turns a list that cannot be written as `( ... )` (its first node needs a label) back
    /// into ordinary blank nodes.
    private mutating func dissolveCollection(_ head: BlankNode) {
        guard collections.removeValue(forKey: head) != nil, let nodes = collectionNodes.removeValue(forKey: head) else {
            return
        }
        placed.subtract(nodes.dropFirst())
    }

    private mutating func appendLabel(_ node: BlankNode) {
        buffer.append(contentsOf: "_:".utf8)
        buffer.append(contentsOf: label(for: node).utf8)
    }

    /// The label written for a blank node: its own id when that is a valid Turtle label,
    /// otherwise a fresh `b<n>` that no other node uses.
    private mutating func label(for node: BlankNode) -> String {
        if let known = labels[node] { return known }
        var label = node.id
        if !TurtleTermFormatter.isValidBlankNodeLabel(label) {
            if usedLabels == nil { usedLabels = allBlankNodeIDs() }
            repeat {
                generatedLabels += 1
                label = "b\(generatedLabels)"
            } while usedLabels?.contains(label) == true
            usedLabels?.insert(label)
        }
        labels[node] = label
        return label
    }

    private func allBlankNodeIDs() -> Set<String> {
        var ids = Set<String>()
        for group in graph.groups {
            if case .blankNode(let node) = group.subject { ids.insert(node.id) }
            for objects in group.objects {
                for case .blankNode(let node) in objects { ids.insert(node.id) }
            }
        }
        return ids
    }

    /// Offers the well-known prefixes whose name and namespace are free; returns the ones
    /// added, which are declared only if some IRI ends up written with them.
    private mutating func addWellKnownPrefixes() -> Set<String> {
        var added = Set<String>()
        for candidate in Self.wellKnownPrefixes where formatter.addPrefixIfFree(candidate.prefix, candidate.iri) {
            added.insert(candidate.prefix)
        }
        return added
    }
}
