import CFuzzerDriver
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Ontology

/// SPARQL update: lexer, grammar and translation to the algebra (`SPARQLParser.parseUpdate`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try SPARQLParser(baseIRI: "http://example.org/base/").parseUpdate(text)
    } catch is OntologyError {
        // A typed error is the expected outcome for malformed input.
    } catch {
        fatalError("untyped error from the SPARQL update parser: \(error)")
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
