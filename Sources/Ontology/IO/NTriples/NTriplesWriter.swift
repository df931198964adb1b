/// Writes triples as N-Triples, one line each, into a ``ByteOutput``.
///
/// ```swift
/// let output = ByteOutput(fileDescriptor: 1)
/// var writer = NTriplesWriter(output: output)
/// try writer.write(triple)
/// try writer.finish()
/// ```
public struct NTriplesWriter: RDFWriter {
    private let output: ByteOutput

    public init(output: ByteOutput) {
        self.output = output
    }

    public mutating func write(_ triple: Triple) throws {
        NTriplesEscaping.appendTriple(triple, to: &output.buffer)
        try output.flushIfFull()
    }

    public mutating func finish() throws {
        try output.flush()
    }
}
