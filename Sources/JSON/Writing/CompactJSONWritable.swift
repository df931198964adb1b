/// A type that writes its own compact JSON (``JSONTextWriter``), the same text as
/// ``CompactJSONEncoder`` gives for its `Encodable` form.
public protocol CompactJSONWritable {
    func write(to writer: inout JSONTextWriter)
}

extension CompactJSONWritable {
    /// The compact JSON text.
    public var compactJSON: String {
        var writer = JSONTextWriter()
        write(to: &writer)
        return writer.text
    }
}
