import Foundation
import FuzzSupport
import Registry

/// Manifest JSON decoding (`ManifestDecoder.decode`), the body of `POST /v1/services`.
@main
enum Target {
    static func main() {
        Fuzzer.run { bytes in
            Fuzzer.expectingOnly(RegistryError.self, from: "manifest JSON decoder") {
                _ = String(describing: try ManifestDecoder.decode(Data(buffer: bytes)))
            }
        }
    }
}
