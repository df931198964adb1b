import Foundation
import FuzzSupport
import Registry

/// W3C WoT Thing Description decoding (`ThingDescriptionDecoder.decode`), the body of `POST /v1/services`.
@main
enum Target {
    static func main() {
        Fuzzer.run { bytes in
            Fuzzer.expectingOnly(RegistryError.self, from: "Thing Description decoder") {
                _ = String(describing: try ThingDescriptionDecoder.decode(Data(buffer: bytes)))
            }
        }
    }
}
