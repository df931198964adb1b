import CFuzzerDriver
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Ontology

/// Turtle: the in-memory parser the registry uses for uploads, every triple consumed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var triples = 0
    do {
        try RDFParser.parse(UnsafeBufferPointer(start: data, count: size), format: .turtle,
                            baseIRI: "http://example.org/base/") { triple in
            triples += 1
            _ = triple.description
        }
    } catch is OntologyError {
        // A typed error is the expected outcome for malformed input.
    } catch {
        fatalError("untyped error from the Turtle parser: \(error)")
    }
    return 0
}

@main
enum Fuzzer {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data!, size) })
    }
}
