import JSON

/// Reads one JSON object field by field, with the field's path in every error, and refuses
/// fields it was not told about.
struct JSONObjectReader {
    let path: String
    let fields: [String: JSONValue]

    /// - Throws: `manifest.invalid` when `value` is not an object, `manifest.unknown_field` when
    ///   it has a field outside `allowed`.
    init(_ value: JSONValue, path: String, allowed: Set<String>) throws {
        guard case .object(let fields) = value else {
            throw RegistryError(.invalidManifest, "`\(path.isEmpty ? "manifest" : path)`: expected an object, found \(value.typeName)")
        }
        // Sorted only to name the same unknown field every time, so only when there is one.
        if !fields.keys.allSatisfy(allowed.contains), let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw RegistryError(.unknownField, "`\(Self.join(path, unknown))`: unknown field (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        self.path = path
        self.fields = fields
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func at(_ key: String) -> String { Self.join(path, key) }

    func invalid(_ key: String, _ message: String) -> RegistryError {
        RegistryError(.invalidManifest, "`\(at(key))`: \(message)")
    }

    func value(_ key: String) -> JSONValue? {
        if let value = fields[key], value != .null { return value }
        return nil
    }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw invalid(key, "expected a string, found \(value.typeName)") }
        guard text.utf8.count <= 65_536 else { throw invalid(key, "longer than 64 KiB") }
        return text
    }

    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key) else { throw invalid(key, "required") }
        return text
    }

    func number(_ key: String) throws -> Double? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value, number.isFinite else { throw invalid(key, "expected a number, found \(value.typeName)") }
        return number
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let number = try number(key) else { return nil }
        guard number.rounded() == number, number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            throw invalid(key, "expected an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(number)
    }

    /// An array field's elements; each element's path is written only when asked for (an error,
    /// or a nested object's reader), not for every string of every list.
    func array(_ key: String, limit: Int = 10_000) throws -> [Item] {
        guard let value = value(key) else { return [] }
        guard case .array(let items) = value else { throw invalid(key, "expected an array, found \(value.typeName)") }
        guard items.count <= limit else { throw invalid(key, "more than \(limit) entries") }
        let arrayPath = at(key)
        return items.enumerated().map { Item(value: $0.element, arrayPath: arrayPath, index: $0.offset) }
    }

    /// An element of an array field.
    struct Item {
        let value: JSONValue
        let arrayPath: String
        let index: Int

        var path: String { "\(arrayPath)[\(index)]" }
    }

    func strings(_ key: String) throws -> [String] {
        try array(key).map { item in
            guard case .string(let text) = item.value else {
                throw RegistryError(.invalidManifest, "`\(item.path)`: expected a string, found \(item.value.typeName)")
            }
            return text
        }
    }

    /// An IRI field written as an absolute IRI or a compact IRI with a known prefix.
    func iri(_ key: String, prefixes: [String: String] = [:]) throws -> String? {
        guard let text = try string(key) else { return nil }
        guard let iri = ManifestPrefixes.expand(text, extra: prefixes) else {
            throw invalid(key, "`\(text)` is neither an absolute IRI nor a compact IRI with a known prefix (\(ManifestPrefixes.all.keys.sorted().joined(separator: ", ")))")
        }
        return iri
    }

    func iris(_ key: String, prefixes: [String: String] = [:]) throws -> [String] {
        try array(key).map { item in
            guard case .string(let text) = item.value else {
                throw RegistryError(.invalidManifest, "`\(item.path)`: expected a string, found \(item.value.typeName)")
            }
            guard let iri = ManifestPrefixes.expand(text, extra: prefixes) else {
                throw RegistryError(.invalidManifest, "`\(item.path)`: `\(text)` is neither an absolute IRI nor a compact IRI with a known prefix")
            }
            return iri
        }
    }

    func name(_ key: String) throws -> ServiceName {
        let text = try requiredString(key)
        do {
            return try ServiceName(text)
        } catch let error as RegistryError {
            throw RegistryError(.invalidName, "`\(at(key))`: \(error.message)")
        }
    }
}
