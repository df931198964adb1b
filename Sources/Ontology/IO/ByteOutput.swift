#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte buffer that writers append to and that is flushed to a file descriptor, or kept in
/// memory when there is none.
///
/// Writers append straight to ``buffer`` (appending bytes to an array is the fastest way Swift
/// has to build output) and call ``flushIfFull()`` after each statement.
public final class ByteOutput {
    /// Bytes written and not yet flushed.
    public var buffer: [UInt8] = []
    private let fileDescriptor: Int32?
    private let flushThreshold = 1 << 16

    /// Output to a file descriptor (1 for standard output).
    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    /// Output kept in memory; read it with ``string``.
    public init() {
        self.fileDescriptor = nil
    }

    /// Everything written, for in-memory output.
    public var string: String { String(decoding: buffer, as: UTF8.self) }

    @inlinable
    public func append(_ string: String) {
        buffer.append(contentsOf: string.utf8)
    }

    /// Flushes when the buffer has grown past its threshold.
    @inline(__always)
    public func flushIfFull() throws {
        if fileDescriptor != nil && buffer.count >= flushThreshold { try flush() }
    }

    /// Writes the buffer to the file descriptor.
    public func flush() throws {
        guard let fileDescriptor else { return }
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw OntologyError(.io, "cannot write output: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
