import COpenSSL

/// Turns OpenSSL's thread-local error queue into a ``JOSEError``.
enum OpenSSLError {
    /// A `jose.crypto` error naming `operation` and OpenSSL's first queued reason, clearing the
    /// queue so stale entries never surface in an unrelated later call on this thread.
    static func failure(_ operation: String, code: String = JOSEError.crypto) -> JOSEError {
        JOSEError(code: code, message: "\(operation) failed" + reason())
    }

    /// ": <reason>" for the oldest queued error, or "" when the queue is empty; empties the queue.
    static func reason() -> String {
        let error = ERR_get_error()
        defer { ERR_clear_error() }
        guard error != 0, let text = ERR_reason_error_string(error) else { return "" }
        return ": " + String(cString: text)
    }
}
