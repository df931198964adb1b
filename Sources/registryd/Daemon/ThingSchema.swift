import Foundation
import JSON

/// The W3C WoT Thing Description 1.1 JSON Schema that `/things` checks TDs against, shipped
/// in the share directory as `schemas/td-json-schema-validation.json` (from
/// w3c/wot-thing-description, `validation/td-json-schema-validation.json`).
enum ThingSchema {
    static let relativePath = "schemas/td-json-schema-validation.json"

    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    static func load(share: String) throws -> JSONSchema {
        let path = share + "/" + relativePath
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(description: "cannot read the TD JSON Schema at \(path)")
        }
        do {
            return try JSONSchema(JSONValue.parse(Array(data)))
        } catch {
            throw LoadError(description: "\(path) is not a JSON Schema: \(error)")
        }
    }
}
