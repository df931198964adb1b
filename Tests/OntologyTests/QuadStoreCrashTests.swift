#if os(Linux)
import Glibc
import Testing
@testable import Ontology

/// `kill -9` during imports and updates, with a real process: everything acknowledged is there
/// after restart, and no half-written import or transaction is visible.
///
/// The test re-runs its own test binary as the child, with `REGISTRYD_CRASH_CHILD` naming the
/// store directory; in the child only ``child()`` runs. It loops: bulk-load a file into graph
/// `g<i>`, then replace graph `current` and insert a batch into the default graph in one
/// transaction, appending a line to `acks` after each commit. The parent kills it with SIGKILL.
struct QuadStoreCrashTests {
    static let ex = "http://example.org/"
    static let childDirectory = getenv("REGISTRYD_CRASH_CHILD").map { String(cString: $0) }
    static let linesPerLoad = 20_000

    @Test(.enabled(if: childDirectory != nil, "runs only as the child of acknowledgedWritesSurviveKill9"))
    func child() throws {
        let directory = try #require(Self.childDirectory)
        let store = try QuadStore(directory: directory + "/data")
        let file = directory + "/load.nt"
        let acks = open(directory + "/acks", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        func acknowledge(_ line: String) {
            // After the commit returned: the parent may count on it from now on.
            let bytes = Array((line + "\n").utf8)
            _ = bytes.withUnsafeBytes { write(acks, $0.baseAddress, $0.count) }
        }
        for round in 0..<10_000 {
            try store.bulkLoad(fileAtPath: file, format: .nTriples, graph: .iri(Self.ex + "g\(round)"))
            acknowledge("load \(round)")
            try store.write { transaction throws in
                try transaction.replace(graph: .iri(Self.ex + "current"), with: Self.batch(round).map(\.triple))
                try transaction.insert(Self.batch(round))
            }
            acknowledge("write \(round)")
        }
    }

    static func batch(_ round: Int) -> [Quad] {
        (0..<20).map { Quad(.iri(ex + "round\(round)/s\($0)"), IRI(ex + "p"), .literal(Literal("\(round)", datatype: XSD.integer))) }
    }

    @Test(.enabled(if: childDirectory == nil), arguments: [150, 400])
    func acknowledgedWritesSurviveKill9(afterMilliseconds delay: Int) throws {
        let directory = try TemporaryDirectory()
        var text = ""
        for i in 0..<Self.linesPerLoad { text += "<\(Self.ex)s\(i)> <\(Self.ex)p> _:b\(i % 500) .\n" }
        _ = directory.write("load.nt", text)
        let pid = try Self.spawnChild(directory: directory.path)
        // Let it acknowledge a few rounds, then kill it at some point inside the next ones.
        let deadline = ContinuousClock.now + .seconds(60)
        while Self.acknowledgements(directory.path).count < 6 && ContinuousClock.now < deadline { usleep(5_000) }
        usleep(useconds_t(delay * 1_000))
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let acks = Self.acknowledgements(directory.path)
        try #require(acks.count >= 6, "the child acknowledged too little; see \(directory.path)/child.log")

        let store = try QuadStore(directory: directory.path + "/data")
        defer { store.close() }
        try store.read { snapshot throws in
            #expect(try snapshot.connection.scalarText("PRAGMA integrity_check") == "ok")
            let graphs = try snapshot.namedGraphs()
            let loads = acks.filter { $0.hasPrefix("load ") }.count
            let writes = acks.filter { $0.hasPrefix("write ") }.count
            // Every acknowledged load is complete; an unacknowledged one is complete or absent.
            for round in 0...loads {
                let count = try snapshot.quads(in: .named(.iri(Self.ex + "g\(round)"))).count
                if round < loads {
                    #expect(count == Self.linesPerLoad)
                } else {
                    #expect(count == 0 || count == Self.linesPerLoad)
                }
            }
            // Each write committed as a whole: the default graph holds whole batches, at least
            // the acknowledged ones, and `current` holds exactly the last committed batch.
            let defaultGraph = try snapshot.quads(in: .defaultGraph)
            #expect(defaultGraph.count % 20 == 0)
            #expect(defaultGraph.count / 20 >= writes && defaultGraph.count / 20 <= writes + 1)
            let current = try snapshot.quads(in: .named(.iri(Self.ex + "current")))
            #expect(Set(current.map(\.triple)) == Set(Self.batch(defaultGraph.count / 20 - 1).map(\.triple)))
            #expect(graphs.count <= loads + 2)
            // The maintained statistics agree with the data.
            #expect(try snapshot.quadCount() == snapshot.count(matching: EncodedQuadPattern()))
        }
    }

    static func acknowledgements(_ directory: String) -> [String] {
        guard let bytes = try? RDFParser.readFile(atPath: directory + "/acks") else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Starts this test binary again with only ``child()`` enabled.
    static func spawnChild(directory: String) throws -> pid_t {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw OntologyError(.io, "cannot find the test binary") }
        let executable = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let arguments = [executable, "--testing-library", "swift-testing", "--filter", "QuadStoreCrashTests/child"]
        var environment = ["REGISTRYD_CRASH_CHILD=\(directory)"]
        var index = 0
        while let entry = environ[index] {
            let variable = String(cString: entry)
            if !variable.hasPrefix("REGISTRYD_CRASH_CHILD=") { environment.append(variable) }
            index += 1
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, directory + "/child.log", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard status == 0 else { throw OntologyError(.io, "cannot start the child: \(String(cString: strerror(status)))") }
        return pid
    }
}
#endif
