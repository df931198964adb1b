/// Writes single terms in Turtle: IRIs as prefixed names or relative references where that is
/// safe, literals in their native shorthand where the lexical form allows it.
struct TurtleTermFormatter {
    /// The prefixes that will be declared, each with a valid `PN_PREFIX`.
    private(set) var prefixes: [(prefix: String, iri: String)] = []
    /// The same prefixes, longest namespace first, so the most specific one wins.
    private var byLength: [(prefix: String, iri: String)] = []
    private let resolver: IRIResolver?
    private var rendered: [IRI: [UInt8]] = [:]
    /// The prefixes that ``appendIRI(_:to:)`` has used.
    private(set) var usedPrefixes = Set<String>()

    init(prefixes: [(prefix: String, iri: String)], baseIRI: String?) {
        var seen = Set<String>()
        for entry in prefixes where !seen.contains(entry.prefix) && Self.isValidPrefix(entry.prefix)
            && IRIResolver.hasScheme(entry.iri) {
            seen.insert(entry.prefix)
            self.prefixes.append(entry)
        }
        byLength = self.prefixes.sorted { $0.iri.utf8.count > $1.iri.utf8.count }
        resolver = baseIRI.flatMap { IRIResolver(base: $0) }
    }

    /// Adds a prefix unless its name or namespace is already bound; returns whether it did.
    mutating func addPrefixIfFree(_ prefix: String, _ iri: String) -> Bool {
        guard !prefixes.contains(where: { $0.prefix == prefix || $0.iri == iri }) else { return false }
        prefixes.append((prefix, iri))
        byLength = prefixes.sorted { $0.iri.utf8.count > $1.iri.utf8.count }
        rendered.removeAll()
        return true
    }

    // MARK: IRIs

    /// Appends an IRI as `prefix:local`, a relative `<ref>` or `<iri>`. `repeated` says whether
    /// the IRI is likely to come again (predicates, classes, datatypes, rather than subjects),
    /// and so is worth remembering.
    mutating func appendIRI(_ iri: IRI, repeated: Bool = true, to out: inout [UInt8]) {
        if repeated, let cached = rendered[iri] {
            out.append(contentsOf: cached)
            return
        }
        var bytes: [UInt8] = []
        if let (prefix, local) = prefixedName(iri.value) {
            usedPrefixes.insert(prefix)
            bytes.append(contentsOf: prefix.utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: local)
        } else {
            NTriplesEscaping.appendIRI(IRI(relativeReference(iri.value) ?? iri.value), to: &bytes)
        }
        if repeated && rendered.count < 100_000 { rendered[iri] = bytes }
        out.append(contentsOf: bytes)
    }

    /// The prefixed name for an IRI, if some namespace leaves a local part that is a valid
    /// `PN_LOCAL` without escapes.
    func prefixedName(_ iri: String) -> (prefix: String, local: Substring.UTF8View)? {
        // Byte comparison: `String.hasPrefix` compares characters, which is far slower.
        for entry in byLength where iri.utf8.starts(with: entry.iri.utf8) {
            let local = iri.utf8.dropFirst(entry.iri.utf8.count)
            if Self.isValidLocalName(local) { return (entry.prefix, local) }
        }
        return nil
    }

    /// A reference relative to the base that resolves back to exactly `iri`, if a simple one
    /// exists (the base itself, a fragment, or a last path segment).
    private func relativeReference(_ iri: String) -> String? {
        guard let resolver else { return nil }
        let base = resolver.base
        var candidates: [String] = []
        let document = base.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? base
        if iri == base && !base.contains("#") {
            candidates.append("")
        }
        if iri.hasPrefix(document + "#") {
            candidates.append(String(iri.dropFirst(document.count)))
        }
        if let slash = document.lastIndex(of: "/") {
            let directory = document[...slash]
            if iri.hasPrefix(directory) {
                let rest = iri.dropFirst(directory.count)
                if !rest.isEmpty && !rest.hasPrefix("/") && !rest.hasPrefix(".") && !rest.contains(":") {
                    candidates.append(String(rest))
                }
            }
        }
        for candidate in candidates where resolver.resolve(candidate) == iri {
            return candidate
        }
        return nil
    }

    // MARK: Literals

    /// Appends a literal, using Turtle's shorthand for numbers and booleans where the lexical
    /// form is one the grammar reads back to the same literal.
    mutating func appendLiteral(_ literal: Literal, to out: inout [UInt8]) {
        if literal.language == nil {
            let form = literal.lexicalForm
            switch literal.datatype {
            case XSD.integer where Self.isIntegerForm(form),
                XSD.decimal where Self.isDecimalForm(form),
                XSD.double where Self.isDoubleForm(form),
                XSD.boolean where form == "true" || form == "false":
                out.append(contentsOf: form.utf8)
                return
            default:
                break
            }
        }
        Self.appendString(literal.lexicalForm, to: &out)
        if let language = literal.language {
            out.append(UInt8(ascii: "@"))
            out.append(contentsOf: language.utf8)
        } else if literal.datatype != XSD.string {
            out.append(contentsOf: "^^".utf8)
            appendIRI(literal.datatype, to: &out)
        }
    }

    /// A string in `"..."`, or in `"""..."""` when it spans lines.
    static func appendString(_ string: String, to out: inout [UInt8]) {
        guard string.utf8.contains(0x0A) else {
            out.append(UInt8(ascii: "\""))
            NTriplesEscaping.appendEscapedString(string, to: &out)
            out.append(UInt8(ascii: "\""))
            return
        }
        out.append(contentsOf: "\"\"\"".utf8)
        let bytes = Array(string.utf8)
        for (i, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "\""):
                // A quote is only a problem when it could join others into the closing `"""`.
                let next = i + 1 < bytes.count ? bytes[i + 1] : nil
                if next == nil || next == UInt8(ascii: "\"") { out.append(0x5C) }
                out.append(byte)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(byte)
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0..<0x20, 0x7F: NTriplesEscaping.appendUnicodeEscape(byte, to: &out)
            default: out.append(byte)
            }
        }
        out.append(contentsOf: "\"\"\"".utf8)
    }

    // MARK: Blank node labels

    /// Whether a blank node's id can be written as it is after `_:`.
    static func isValidBlankNodeLabel(_ label: String) -> Bool {
        var scalars = label.unicodeScalars.makeIterator()
        guard let first = scalars.next(),
              TurtleCharacters.isNameStartOrUnderscore(first.value) || (first.value >= 0x30 && first.value <= 0x39)
        else { return false }
        var last = first.value
        while let scalar = scalars.next() {
            guard scalar.value == 0x2E || TurtleCharacters.isNameChar(scalar.value) else { return false }
            last = scalar.value
        }
        return last != 0x2E
    }

    // MARK: Grammar checks

    /// `PN_PREFIX`, or empty.
    static func isValidPrefix(_ prefix: String) -> Bool {
        var scalars = prefix.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return true }
        guard TurtleCharacters.isNameStart(first.value) else { return false }
        var last = first.value
        while let scalar = scalars.next() {
            guard scalar.value == 0x2E || TurtleCharacters.isNameChar(scalar.value) else { return false }
            last = scalar.value
        }
        return last != 0x2E
    }

    /// `PN_LOCAL` written without backslash escapes (percent escapes are kept as they are).
    static func isValidLocalName(_ local: Substring.UTF8View) -> Bool {
        let bytes = Array(local)
        if bytes.isEmpty { return true }
        var i = 0
        var first = true
        var lastWasDot = false
        while i < bytes.count {
            let b = bytes[i]
            lastWasDot = false
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, TurtleCharacters.hexValue(bytes[i + 1]) != nil,
                      TurtleCharacters.hexValue(bytes[i + 2]) != nil else { return false }
                i += 3
            } else if b == UInt8(ascii: ":") {
                i += 1
            } else if b == UInt8(ascii: ".") {
                if first { return false }
                lastWasDot = true
                i += 1
            } else {
                let decoded = bytes.withUnsafeBufferPointer { TurtleCharacters.decodeScalar($0, at: i) }
                guard let (c, length) = decoded else { return false }
                let allowed = first
                    ? TurtleCharacters.isNameStartOrUnderscore(c) || (c >= 0x30 && c <= 0x39)
                    : TurtleCharacters.isNameChar(c)
                guard allowed else { return false }
                i += length
            }
            first = false
        }
        return !lastWasDot
    }

    static func isIntegerForm(_ form: String) -> Bool {
        var bytes = Substring(form).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        return !bytes.isEmpty && bytes.allSatisfy(TurtleCharacters.isDigit)
    }

    static func isDecimalForm(_ form: String) -> Bool {
        var bytes = Substring(form).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")) else { return false }
        let fraction = bytes[bytes.index(after: dot)...]
        return bytes[..<dot].allSatisfy(TurtleCharacters.isDigit)
            && !fraction.isEmpty && fraction.allSatisfy(TurtleCharacters.isDigit)
    }

    static func isDoubleForm(_ form: String) -> Bool {
        var bytes = Substring(form).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let e = bytes.firstIndex(where: { $0 | 0x20 == UInt8(ascii: "e") }) else { return false }
        let mantissa = bytes[..<e]
        var exponent = bytes[bytes.index(after: e)...]
        if let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            exponent = exponent.dropFirst()
        }
        guard !exponent.isEmpty, exponent.allSatisfy(TurtleCharacters.isDigit) else { return false }
        let parts = mantissa.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count <= 2, mantissa.filter({ $0 == UInt8(ascii: ".") }).count == parts.count - 1 else { return false }
        let digits = parts.reduce(0) { $0 + $1.count }
        return digits > 0 && parts.allSatisfy { $0.allSatisfy(TurtleCharacters.isDigit) }
    }
}
