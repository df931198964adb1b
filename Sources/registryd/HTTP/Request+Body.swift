import Hummingbird
import JSON

extension Request {
    /// The whole body, refused with 413 (`request.too_large`) past `limit` bytes.
    mutating func collectBody(limit: Int) async throws -> ByteBuffer {
        do {
            return try await collectBody(upTo: limit)
        } catch let error as HTTPError {
            throw error
        } catch {
            // NIO reports an oversized body with its own error type; the client only needs the limit.
            throw APIError(.contentTooLarge, code: "request.too_large", "the request body is larger than \(limit >> 20) MiB")
        }
    }
}

extension Request {
    /// The body decoded as JSON into `T`; a body that is not that JSON (a member `T` does not
    /// declare included, unless `ignoringUnknownFields`, for formats whose standard says to
    /// ignore members not understood) is a 400 `request.malformed_json` naming the field at fault.
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int, ignoringUnknownFields: Bool = false) async throws -> T {
        var buffer = try await collectBody(limit: limit)
        return try Self.decodeJSON(type, from: buffer.readBytes(length: buffer.readableBytes) ?? [], ignoringUnknownFields: ignoringUnknownFields)
    }

    /// `bytes` decoded as JSON into `T`, errors as ``decodeJSON(_:limit:ignoringUnknownFields:)`` gives them.
    static func decodeJSON<T: Decodable>(_ type: T.Type, from bytes: [UInt8], ignoringUnknownFields: Bool = false) throws -> T {
        do {
            return try JSONValueDecoder(rejectsUnknownFields: !ignoringUnknownFields).decode(T.self, from: bytes)
        } catch let error as JSONSyntaxError {
            throw APIError(.badRequest, code: "request.malformed_json", "the body is not valid JSON: \(error)")
        } catch let error as DecodingError {
            throw APIError(.badRequest, code: "request.malformed_json", describe(error))
        }
    }

    /// The body as UTF-8 text.
    mutating func text(limit: Int) async throws -> String {
        var buffer = try await collectBody(limit: limit)
        guard let text = buffer.readString(length: buffer.readableBytes), text.utf8.count == buffer.writerIndex else {
            throw APIError(.badRequest, code: "request.malformed_text", "the body is not UTF-8 text")
        }
        return text
    }

    /// A type as a client reads it in an error message.
    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Double.Type, is Float.Type: "a number"
        case is any FixedWidthInteger.Type: "an integer"
        case is [String: JSONValue].Type: "an object"
        case is [JSONValue].Type: "an array"
        default: "\(type)"
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the body" : "`" + String(text.drop { $0 == "." }) + "`"
        }
        switch error {
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "`\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)`: required"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "\(path(context)): expected \(expected(type)), \(context.debugDescription)"
        @unknown default:
            return "the body is not the JSON expected"
        }
    }
}
