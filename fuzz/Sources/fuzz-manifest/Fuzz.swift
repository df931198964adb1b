import CFuzzerDriver
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Registry

/// Manifest JSON decoding (`ManifestDecoder.decode`), the body of `POST /v1/services`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do {
        let manifest = try ManifestDecoder.decode(Data(bytes: data, count: size))
        _ = String(describing: manifest)
    } catch is RegistryError {
        // A typed error is the expected outcome for malformed input.
    } catch {
        fatalError("untyped error from the Manifest JSON decoder: \(error)")
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
