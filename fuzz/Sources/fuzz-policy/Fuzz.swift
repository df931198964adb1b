import CFuzzerDriver
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AccessControl

/// The policy language: lexer, parser and compiler (types, domains, rules), as
/// `registryd policy check` and `PUT /v1/policies/{name}` run them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let set = try PolicySet.compile([PolicyDocument(name: "fuzz.policy", text: text)])
        _ = set.rules.count + set.limits.count + set.routes.count
    } catch {
        // Typed throws: the error is a PolicyError; render it as the command does.
        _ = error.description
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
