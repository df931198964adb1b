import Foundation
import Testing
import Registry

/// Inputs found by the libFuzzer targets of `fuzz/` (kept under `Tests/Fuzz/regressions/<target>/`)
/// and hand-written hostile inputs for manifest and Thing Description decoding: each must return
/// or throw ``RegistryError``, never crash or hang.
struct FuzzRegressionTests {
    /// The time one input may take, as the fuzzers' `-timeout=10`.
    static let timeLimit = Duration.seconds(10)

    static func regressions(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/regressions/\(target)")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.sorted().compactMap { name in
            FileManager.default.contents(atPath: folder.appendingPathComponent(name).path).map { (name, Array($0)) }
        }
    }

    static let decoders: [(target: String, decode: @Sendable (Data) throws -> Void)] = [
        ("manifest", { _ = try ManifestDecoder.decode($0) }),
        ("thing-description", { _ = try ThingDescriptionDecoder.decode($0) }),
    ]

    /// nil when the input decoded, else the typed error; fails the test on an untyped error or
    /// when decoding took longer than ``timeLimit``.
    static func outcome(_ label: String, _ decode: (Data) throws -> Void, _ bytes: [UInt8]) -> RegistryError? {
        var thrown: (any Error)?
        let elapsed = ContinuousClock().measure {
            do { try decode(Data(bytes)) } catch { thrown = error }
        }
        #expect(elapsed < timeLimit, "\(label) took \(elapsed)")
        guard let thrown else { return nil }
        #expect(thrown is RegistryError, "\(label) threw an untyped error: \(thrown)")
        return thrown as? RegistryError
    }

    @Test func regressionInputsReturnOrThrowTypedErrors() {
        for (target, decode) in Self.decoders {
            for input in Self.regressions(target) {
                _ = Self.outcome("\(target)/\(input.name)", decode, input.bytes)
            }
        }
    }

    @Test func hostileInputsThrowTypedErrors() {
        let depth = 100_000
        let inputs: [(String, [UInt8])] = [
            ("nested arrays", Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)),
            ("nested objects", Array((String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)).utf8)),
            ("unclosed nesting", Array(String(repeating: #"{"name":["#, count: depth).utf8)),
            ("huge numbers", Array((#"{"name":"a.example/B","version":"1.0.0","weight":"# + String(repeating: "9", count: 10_000) + #","lease":1e999999}"#).utf8)),
            ("invalid UTF-8", Array(#"{"name":"a.example/"#.utf8) + [0xFF, 0xED, 0xA0, 0x80] + Array(#"","version":"1.0.0"}"#.utf8)),
            ("lone surrogate escape", Array(#"{"name":"a.example/\ud800","version":"1.0.0"}"#.utf8)),
        ]
        for (target, decode) in Self.decoders {
            for (label, bytes) in inputs {
                let error = Self.outcome("\(target): \(label)", decode, bytes)
                #expect(error != nil, "\(target): \(label) was accepted")
            }
        }
    }
}
