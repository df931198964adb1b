import CFuzzerDriver
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What every fuzz target shares: handing control to libFuzzer and the typed-error rule.
///
/// SwiftPM renames an executable's `main`, so a target cannot rely on libFuzzer's own; each one's
/// `@main` calls ``Fuzzer/run(_:)``, which starts libFuzzer's driver with `body` as the input
/// callback (`LLVMFuzzerRunDriver`).
public enum Fuzzer {
    nonisolated(unsafe) private static var body: ((UnsafeBufferPointer<UInt8>) -> Void)?

    /// Runs libFuzzer with the command line's arguments, calling `body` with each input.
    public static func run(_ body: @escaping (UnsafeBufferPointer<UInt8>) -> Void) -> Never {
        Fuzzer.body = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzerTestOneInput(data, size) })
    }

    static func test(_ bytes: UnsafeBufferPointer<UInt8>) {
        body?(bytes)
    }

    /// Runs `parse`; an error of type `E` is the expected outcome for malformed input, any other
    /// error is a bug (the parsers promise typed errors), reported as a crash.
    public static func expectingOnly<E: Error>(_ type: E.Type, from parser: String, _ parse: () throws -> Void) {
        do {
            try parse()
        } catch is E {
            return
        } catch {
            fatalError("untyped error from the \(parser): \(error)")
        }
    }
}

/// libFuzzer's input callback, which its runtime links against by this name.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    Fuzzer.test(UnsafeBufferPointer(start: data, count: size))
    return 0
}
