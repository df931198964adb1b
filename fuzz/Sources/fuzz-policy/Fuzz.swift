import AccessControl
import FuzzSupport

/// The policy language: lexer, parser and compiler (types, domains, rules), as
/// `registryd policy check` and `PUT /v1/policies/{name}` run them.
@main
enum Target {
    static func main() {
        Fuzzer.run { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            do throws(PolicyError) {
                let set = try PolicySet.compile([PolicyDocument(name: "fuzz.policy", text: text)])
                _ = set.rules.count + set.limits.count + set.routes.count
            } catch {
                // Typed throws: the error is a PolicyError; render it as the command does.
                _ = error.description
            }
        }
    }
}
