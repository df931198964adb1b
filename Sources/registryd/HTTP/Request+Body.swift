import Foundation
import Hummingbird

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
    /// The body decoded as JSON into `T`; a body that is not that JSON is a 400 naming the
    /// field at fault.
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        var buffer = try await collectBody(limit: limit)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw APIError(.badRequest, code: "request.malformed_json", Self.describe(error))
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

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the body" : "`" + String(text.drop { $0 == "." }) + "`"
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "`\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)`: required"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "\(path(context)): expected \(type == String.self ? "a string" : type == Bool.self ? "true or false" : "\(type)")"
        @unknown default:
            return "the body is not the JSON expected"
        }
    }
}
