/// A serializer that receives triples one at a time and writes them to a ``ByteOutput``.
public protocol RDFWriter {
    /// Writes one triple (a writer may buffer it until ``finish()``).
    mutating func write(_ triple: Triple) throws
    /// Writes what is left and flushes the output.
    mutating func finish() throws
}
