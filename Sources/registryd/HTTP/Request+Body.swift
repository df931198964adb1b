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
