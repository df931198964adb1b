import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `registryd` command: the semantic service registry daemon and its tools.
@main
struct Registryd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registryd",
        abstract: "A semantic service registry and attribute-based access service for IoT microservices.",
        discussion: """
            Services, devices and domains are stored as RDF and found with SPARQL; gateways ask \
            for binding decisions. Start with `registryd serve`, or `registryd demo` for examples.
            """,
        version: "0.1.0",
        subcommands: [Serve.self, Demo.self, Token.self, Policy.self, Import.self, Query.self, Update.self, Convert.self, Routes.self, Backup.self, Restore.self, Export.self, Cluster.self]
    )

    /// Runs the chosen command. A ``CommandFailure`` is printed as one line on standard error
    /// with exit status 1; ArgumentParser handles everything else (help, usage errors).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            writeToStandardError(failure.message + "\n")
            terminate(status: 1)
        } catch {
            exit(withError: error)
        }
    }
}

/// Writes to standard error unbuffered (the C `stderr` global is not concurrency-safe in Swift 6).
func writeToStandardError(_ text: String) {
    writeUnbuffered(text, toFileDescriptor: 2)
}

/// Writes to standard output unbuffered, so that a line reaches a pipe at once.
func writeToStandardOutput(_ text: String) {
    writeUnbuffered(text, toFileDescriptor: 1)
}

private func writeUnbuffered(_ text: String, toFileDescriptor descriptor: Int32) {
    var text = text
    text.withUTF8 { bytes in _ = write(descriptor, bytes.baseAddress, bytes.count) }
}

/// Ends the process (a free function, since inside a command `exit` names ArgumentParser's).
func terminate(status: Int32) -> Never {
    exit(status)
}
