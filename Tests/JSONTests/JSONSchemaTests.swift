import JSON
import Testing

/// The draft-07 keywords, each with a value that passes and one that fails where it says.
struct JSONSchemaTests {
    static func schema(_ text: String) throws -> JSONSchema {
        try JSONSchema(JSONValue.parse(Array(text.utf8)))
    }

    static func failures(_ schema: JSONSchema, _ instance: String) throws -> [String] {
        schema.validate(try JSONValue.parse(Array(instance.utf8))).map(\.description)
    }

    @Test func typesAndConstants() throws {
        let schema = try Self.schema(#"{"type": ["integer", "null"], "enum": [1, 2, null], "not": {"const": 2}}"#)
        #expect(try Self.failures(schema, "1").isEmpty)
        #expect(try Self.failures(schema, "null").isEmpty)
        #expect(try Self.failures(schema, "1.0").isEmpty)  // an integer is a number without fraction
        #expect(try Self.failures(schema, "1.5") == ["(root): expected integer or null, found a number", "(root): must be one of 1, 2, null"])
        #expect(try Self.failures(schema, "2") == ["(root): matches the schema of `not`"])
        #expect(try Self.failures(schema, #""x""#).count == 2)
    }

    @Test func objectsReportTheFieldAtFault() throws {
        let schema = try Self.schema(#"""
            {"type": "object", "required": ["title"], "properties": {"title": {"type": "string", "minLength": 1}},
             "patternProperties": {"^x-": {"type": "number"}}, "additionalProperties": false,
             "dependencies": {"a": ["b"]}, "propertyNames": {"maxLength": 5}}
            """#)
        #expect(try Self.failures(schema, #"{"title": "Lamp"}"#).isEmpty)
        #expect(try Self.failures(schema, #"{}"#) == ["(root).title: required"])
        #expect(try Self.failures(schema, #"{"title": ""}"#) == ["(root).title: must be at least 1 characters long"])
        #expect(try Self.failures(schema, #"{"title": "t", "x-n": "1"}"#) == ["(root).x-n: expected number, found a string"])
        #expect(try Self.failures(schema, #"{"title": "t", "extra": 1}"#).contains("(root).extra: is not allowed here"))
        #expect(try Self.failures(schema, #"{"title": "t", "toolong": 1}"#).contains("(root).toolong: is not an allowed member name"))
    }

    @Test func arraysAndCombinators() throws {
        let schema = try Self.schema(#"""
            {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "integer", "minimum": 0}]},
             "minItems": 1, "uniqueItems": true, "contains": {"const": "on"}}
            """#)
        #expect(try Self.failures(schema, #"["on", 1]"#).isEmpty)
        #expect(try Self.failures(schema, #"[]"#).contains("(root): must have at least 1 items"))
        #expect(try Self.failures(schema, #"["on", "on"]"#).contains(#"(root): has the item "on" more than once"#))
        #expect(try Self.failures(schema, #"["on", -1]"#) == ["(root).1: matches none of the 2 schemas of oneOf"])
        #expect(try Self.failures(schema, #"["off"]"#) == ["(root): has no item that matches the schema of `contains`"])
    }

    @Test func referencesAndConditions() throws {
        let schema = try Self.schema(##"""
            {"definitions": {"scheme": {"type": "object", "required": ["scheme"],
                                        "if": {"properties": {"scheme": {"const": "apikey"}}},
                                        "then": {"required": ["in"]}, "else": {"not": {"required": ["in"]}}},
                             "a~b/c": {"type": "string"}},
             "type": "object", "additionalProperties": {"$ref": "#/definitions/scheme"},
             "properties": {"named": {"$ref": "#/definitions/a~0b~1c"}}}
            """##)
        #expect(try Self.failures(schema, #"{"k": {"scheme": "apikey", "in": "header"}, "n": {"scheme": "nosec"}}"#).isEmpty)
        #expect(try Self.failures(schema, #"{"k": {"scheme": "apikey"}}"#) == ["(root).k.in: required"])
        #expect(try Self.failures(schema, #"{"k": {"scheme": "nosec", "in": "x"}}"#) == ["(root).k: matches the schema of `not`"])
        #expect(try Self.failures(schema, #"{"named": 3}"#) == ["(root).named: expected string, found a number"])
    }

    @Test func patternsAreRegularExpressions() throws {
        let schema = try Self.schema(#"{"type": "string", "pattern": "^(https?|coaps?)://[^\\s]+$"}"#)
        #expect(try Self.failures(schema, #""coap://h/x""#).isEmpty)
        #expect(try Self.failures(schema, #""ftp://h/x""#).count == 1)
    }

    /// A `$ref` cycle on one value stops with a failure, not a stack overflow.
    @Test func aReferenceLoopEnds() throws {
        let schema = try Self.schema(##"{"definitions": {"a": {"$ref": "#/definitions/a"}}, "$ref": "#/definitions/a"}"##)
        #expect(try Self.failures(schema, "1") == ["(root): the schema nests deeper than 256 levels here"])
    }

    @Test func mergePatchFollowsRFC7396() throws {
        // The examples of RFC 7396 Appendix A.
        let cases: [(String, String, String)] = [
            (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
            (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
            (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
            (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
            (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
            (#"{"a":"foo"}"#, #"null"#, #"null"#),
            (#"{"e":null}"#, #"{"a":1}"#, #"{"a":1,"e":null}"#),
            (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
            (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
        ]
        for (target, patch, result) in cases {
            let patched = try JSONValue.parse(Array(target.utf8)).mergePatched(with: JSONValue.parse(Array(patch.utf8)))
            #expect(patched == (try JSONValue.parse(Array(result.utf8))), "\(target) + \(patch)")
        }
    }
}
