/// A JSON Schema (draft-07, the dialect of the W3C WoT Thing Description 1.1 schema) that
/// validates parsed JSON values, collecting every failure with where it is.
///
/// Every assertion keyword of draft-07 is checked (`type`, `enum`, `const`, the number, string,
/// array and object keywords, `allOf`/`anyOf`/`oneOf`/`not`, `if`/`then`/`else`,
/// `dependencies`, `propertyNames`, `$ref` to a JSON Pointer in the same document). `format`
/// is an annotation, as draft-07 makes it by default (and as Python's `jsonschema` treats it),
/// so the same documents pass here and there. Patterns are ECMA-262 regular expressions read
/// with Swift's `Regex`, which accepts the syntax schemas use.
///
/// ```swift
/// let schema = try JSONSchema(JSONValue.parse(schemaBytes))
/// for failure in schema.validate(document) { print(failure) }   // (root).title: required
/// ```
public struct JSONSchema: Sendable {
    /// One failure: where in the instance (`(root).properties.on.forms.0`) and what.
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        public let field: String
        public let message: String
        public var description: String { "\(field): \(message)" }
    }

    private let root: JSONValue

    /// A schema from its parsed document; anything but an object or a boolean is refused.
    public init(_ document: JSONValue) throws(JSONSyntaxError) {
        switch document {
        case .object, .bool: root = document
        default: throw JSONSyntaxError(line: 1, column: 1, reason: "a JSON Schema is an object or a boolean")
        }
    }

    /// The failures of `instance`, at most `limit` of them; empty when it is valid.
    public func validate(_ instance: JSONValue, limit: Int = 50) -> [Failure] {
        var context = Context(limit: limit)
        _ = check(instance, against: root, at: "(root)", context: &context)
        return context.failures
    }

    private struct Context {
        let limit: Int
        var failures: [Failure] = []
        var depth = 0
        var silent = 0

        mutating func fail(_ field: String, _ message: String) {
            if silent == 0, failures.count < limit { failures.append(Failure(field: field, message: message)) }
        }
    }

    /// Whether `instance` is valid; failures go to `context` unless it is silent (inside
    /// `anyOf`, `oneOf`, `not` and `if`, whose branches may fail).
    private func check(_ instance: JSONValue, against schema: JSONValue, at path: String, context: inout Context) -> Bool {
        switch schema {
        case .bool(let accepts):
            if !accepts { context.fail(path, "no value is allowed here") }
            return accepts
        case .object(let keywords):
            // A `$ref` loop on one instance would never end.
            guard context.depth < 256 else {
                context.fail(path, "the schema nests deeper than 256 levels here")
                return false
            }
            context.depth += 1
            defer { context.depth -= 1 }
            if case .string(let reference)? = keywords["$ref"] {
                // draft-07: a `$ref` replaces its siblings.
                guard let target = resolve(reference) else {
                    context.fail(path, "the schema's `$ref` \(reference) points at nothing")
                    return false
                }
                return check(instance, against: target, at: path, context: &context)
            }
            var valid = true
            valid = checkGeneric(instance, keywords, at: path, context: &context) && valid
            switch instance {
            case .number(let number): valid = checkNumber(number, keywords, at: path, context: &context) && valid
            case .string(let text): valid = checkString(text, keywords, at: path, context: &context) && valid
            case .array(let items): valid = checkArray(items, keywords, at: path, context: &context) && valid
            case .object(let members): valid = checkObject(members, keywords, at: path, context: &context) && valid
            default: break
            }
            return valid
        default:
            return true
        }
    }

    private func silently(_ instance: JSONValue, _ schema: JSONValue, at path: String, context: inout Context) -> Bool {
        context.silent += 1
        defer { context.silent -= 1 }
        return check(instance, against: schema, at: path, context: &context)
    }

    private func checkGeneric(_ instance: JSONValue, _ keywords: [String: JSONValue], at path: String, context: inout Context) -> Bool {
        var valid = true
        if let type = keywords["type"] {
            let names: [String]
            switch type {
            case .string(let name): names = [name]
            case .array(let items): names = items.compactMap(\.stringValue)
            default: names = []
            }
            if !names.isEmpty, !names.contains(where: { Self.hasType(instance, $0) }) {
                context.fail(path, "expected \(names.joined(separator: " or ")), found \(instance.typeName)")
                valid = false
            }
        }
        if case .array(let allowed)? = keywords["enum"], !allowed.contains(where: { Self.equal($0, instance) }) {
            context.fail(path, "must be one of \(allowed.map(\.jsonText).joined(separator: ", "))")
            valid = false
        }
        if let constant = keywords["const"], !Self.equal(constant, instance) {
            context.fail(path, "must be \(constant.jsonText)")
            valid = false
        }
        if case .array(let all)? = keywords["allOf"] {
            for schema in all { valid = check(instance, against: schema, at: path, context: &context) && valid }
        }
        if case .array(let any)? = keywords["anyOf"] {
            var matched = false
            for schema in any where silently(instance, schema, at: path, context: &context) {
                matched = true
                break
            }
            if !matched {
                context.fail(path, "matches none of the \(any.count) schemas of anyOf")
                valid = false
            }
        }
        if case .array(let one)? = keywords["oneOf"] {
            let matches = one.filter { silently(instance, $0, at: path, context: &context) }.count
            if matches != 1 {
                context.fail(path, matches == 0 ? "matches none of the \(one.count) schemas of oneOf" : "matches \(matches) schemas of oneOf, not exactly one")
                valid = false
            }
        }
        if let negated = keywords["not"], silently(instance, negated, at: path, context: &context) {
            context.fail(path, "matches the schema of `not`")
            valid = false
        }
        if let condition = keywords["if"] {
            if silently(instance, condition, at: path, context: &context) {
                if let then = keywords["then"] { valid = check(instance, against: then, at: path, context: &context) && valid }
            } else if let otherwise = keywords["else"] {
                valid = check(instance, against: otherwise, at: path, context: &context) && valid
            }
        }
        return valid
    }

    private func checkNumber(_ number: Double, _ keywords: [String: JSONValue], at path: String, context: inout Context) -> Bool {
        var valid = true
        func bound(_ name: String, _ holds: (Double, Double) -> Bool, _ words: String) {
            guard let limit = keywords[name]?.numberValue else { return }
            if !holds(number, limit) {
                context.fail(path, "must be \(words) \(JSONTextWriter.numberText(limit))")
                valid = false
            }
        }
        bound("minimum", >=, "at least")
        bound("maximum", <=, "at most")
        bound("exclusiveMinimum", >, "greater than")
        bound("exclusiveMaximum", <, "less than")
        if let divisor = keywords["multipleOf"]?.numberValue, divisor > 0 {
            let quotient = number / divisor
            if quotient.isFinite, quotient != quotient.rounded() {
                context.fail(path, "must be a multiple of \(JSONTextWriter.numberText(divisor))")
                valid = false
            }
        }
        return valid
    }

    private func checkString(_ text: String, _ keywords: [String: JSONValue], at path: String, context: inout Context) -> Bool {
        var valid = true
        // Lengths count code points, as JSON Schema says.
        let length = text.unicodeScalars.count
        if let minimum = keywords["minLength"]?.numberValue, Double(length) < minimum {
            context.fail(path, "must be at least \(Int(minimum)) characters long")
            valid = false
        }
        if let maximum = keywords["maxLength"]?.numberValue, Double(length) > maximum {
            context.fail(path, "must be at most \(Int(maximum)) characters long")
            valid = false
        }
        if case .string(let pattern)? = keywords["pattern"] {
            if let regex = try? Regex(pattern) {
                if (try? regex.firstMatch(in: text)) == nil {
                    context.fail(path, "does not match the pattern \(pattern)")
                    valid = false
                }
            }
        }
        return valid
    }

    private func checkArray(_ items: [JSONValue], _ keywords: [String: JSONValue], at path: String, context: inout Context) -> Bool {
        var valid = true
        if let minimum = keywords["minItems"]?.numberValue, Double(items.count) < minimum {
            context.fail(path, "must have at least \(Int(minimum)) items")
            valid = false
        }
        if let maximum = keywords["maxItems"]?.numberValue, Double(items.count) > maximum {
            context.fail(path, "must have at most \(Int(maximum)) items")
            valid = false
        }
        if case .bool(true)? = keywords["uniqueItems"] {
            outer: for (index, item) in items.enumerated() {
                for other in items[(index + 1)...] where Self.equal(item, other) {
                    context.fail(path, "has the item \(item.jsonText) more than once")
                    valid = false
                    break outer
                }
            }
        }
        switch keywords["items"] {
        case .array(let positional)?:
            for (index, item) in items.enumerated() {
                if index < positional.count {
                    valid = check(item, against: positional[index], at: "\(path).\(index)", context: &context) && valid
                } else if let additional = keywords["additionalItems"] {
                    valid = check(item, against: additional, at: "\(path).\(index)", context: &context) && valid
                }
            }
        case let schema?:
            for (index, item) in items.enumerated() {
                valid = check(item, against: schema, at: "\(path).\(index)", context: &context) && valid
            }
        case nil:
            break
        }
        if let contains = keywords["contains"], !items.contains(where: { silently($0, contains, at: path, context: &context) }) {
            context.fail(path, "has no item that matches the schema of `contains`")
            valid = false
        }
        return valid
    }

    private func checkObject(_ members: [String: JSONValue], _ keywords: [String: JSONValue], at path: String, context: inout Context) -> Bool {
        var valid = true
        if case .array(let required)? = keywords["required"] {
            for case .string(let name) in required where members[name] == nil {
                context.fail("\(path).\(name)", "required")
                valid = false
            }
        }
        if let minimum = keywords["minProperties"]?.numberValue, Double(members.count) < minimum {
            context.fail(path, "must have at least \(Int(minimum)) members")
            valid = false
        }
        if let maximum = keywords["maxProperties"]?.numberValue, Double(members.count) > maximum {
            context.fail(path, "must have at most \(Int(maximum)) members")
            valid = false
        }
        let properties: [String: JSONValue]
        if case .object(let declared)? = keywords["properties"] { properties = declared } else { properties = [:] }
        var patterns: [(Regex<AnyRegexOutput>, JSONValue)] = []
        if case .object(let declared)? = keywords["patternProperties"] {
            patterns = declared.compactMap { pattern, schema in (try? Regex(pattern)).map { ($0, schema) } }
        }
        for name in members.keys.sorted() {
            let value = members[name]!
            let field = "\(path).\(name)"
            var matched = false
            if let schema = properties[name] {
                matched = true
                valid = check(value, against: schema, at: field, context: &context) && valid
            }
            for (regex, schema) in patterns where (try? regex.firstMatch(in: name)) != nil {
                matched = true
                valid = check(value, against: schema, at: field, context: &context) && valid
            }
            if !matched, let additional = keywords["additionalProperties"] {
                if case .bool(false) = additional {
                    context.fail(field, "is not allowed here")
                    valid = false
                } else {
                    valid = check(value, against: additional, at: field, context: &context) && valid
                }
            }
            if let names = keywords["propertyNames"], !silently(.string(name), names, at: field, context: &context) {
                context.fail(field, "is not an allowed member name")
                valid = false
            }
        }
        if case .object(let dependencies)? = keywords["dependencies"] {
            for (name, dependency) in dependencies where members[name] != nil {
                if case .array(let needed) = dependency {
                    for case .string(let other) in needed where members[other] == nil {
                        context.fail("\(path).\(other)", "required with `\(name)`")
                        valid = false
                    }
                } else {
                    valid = check(.object(members), against: dependency, at: path, context: &context) && valid
                }
            }
        }
        return valid
    }

    /// The schema a `$ref` names: `#` or a JSON Pointer into this document.
    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        var node = root
        let pointer = reference.dropFirst()
        guard !pointer.isEmpty else { return node }
        guard pointer.hasPrefix("/") else { return nil }
        for token in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let name = (String(token).removingPercentEscapes ?? String(token))
                .replacing("~1", with: "/").replacing("~0", with: "~")
            switch node {
            case .object(let members):
                guard let next = members[name] else { return nil }
                node = next
            case .array(let items):
                guard let index = Int(name), items.indices.contains(index) else { return nil }
                node = items[index]
            default:
                return nil
            }
        }
        return node
    }

    private static func hasType(_ value: JSONValue, _ name: String) -> Bool {
        switch (value, name) {
        case (.null, "null"), (.bool, "boolean"), (.string, "string"), (.array, "array"), (.object, "object"), (.number, "number"):
            true
        case (.number(let number), "integer"):
            number.isFinite && number == number.rounded()
        default:
            false
        }
    }

    /// JSON equality: numbers by value, objects regardless of member order.
    private static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool { a == b }
}

private extension String {
    /// The string with `%XX` escapes decoded, nil when one is malformed.
    var removingPercentEscapes: String? {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
