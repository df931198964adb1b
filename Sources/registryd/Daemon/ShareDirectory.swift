import Foundation

/// Where registryd finds the files it ships besides the binary: `ontologies/` (loaded on first
/// start) and `examples/` (for `demo`).
///
/// Looked up in order: `$REGISTRYD_SHARE`; the directories above the executable (a build inside
/// a checkout: `.build/release/registryd` finds the checkout's root); `/usr/local/share/registryd`
/// and `/usr/share/registryd` (an installed copy).
enum ShareDirectory {
    static func locate() -> String? {
        let fileManager = FileManager.default
        func holdsOntologies(_ directory: String) -> Bool {
            fileManager.fileExists(atPath: directory + "/ontologies/microservice.rdf")
        }
        if let given = ProcessInfo.processInfo.environment["REGISTRYD_SHARE"], holdsOntologies(given) { return given }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        if let executable = Bundle.main.executableURL { directory = executable.resolvingSymlinksInPath().deletingLastPathComponent() }
        for _ in 0..<6 {
            if holdsOntologies(directory.path) { return directory.path }
            directory.deleteLastPathComponent()
        }
        for candidate in ["/usr/local/share/registryd", "/usr/share/registryd"] where holdsOntologies(candidate) {
            return candidate
        }
        return nil
    }
}
