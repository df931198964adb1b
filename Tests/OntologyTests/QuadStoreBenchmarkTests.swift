#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Ontology

/// The load measurement behind `bench/load.sh`, skipped unless `REGISTRYD_BENCH_FILE` names a
/// file to load. Run it on a release build:
///
/// ```sh
/// REGISTRYD_BENCH_FILE=bench/data/iot-25000.rdf \
///   swift test -c release --filter QuadStoreBenchmarkTests
/// ```
///
/// `REGISTRYD_BENCH_DIR` keeps the store in that directory (emptied first) instead of a
/// temporary one. Prints one line: `registryd load: N triples in S s = T triples/s, B bytes`.
struct QuadStoreBenchmarkTests {
    static var file: String? { getenv("REGISTRYD_BENCH_FILE").map { String(cString: $0) } }

    @Test(.enabled(if: file != nil, "set REGISTRYD_BENCH_FILE to run the load benchmark"))
    func bulkLoadSpeedAndSize() throws {
        let file = try #require(Self.file)
        let temporary = try TemporaryDirectory()
        let directory = getenv("REGISTRYD_BENCH_DIR").map { String(cString: $0) } ?? temporary.path + "/data"
        let format = RDFFormat(fileName: file) ?? .rdfXML
        let clock = ContinuousClock()
        let start = clock.now
        let store = try QuadStore(directory: directory)
        let phases = PhaseLog(start: start)
        let result = try store.bulkLoad(fileAtPath: file, format: format) { progress in phases.record(progress.phase) }
        store.close()
        let elapsed = clock.now - start
        phases.record(nil)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var bytes = 0
        for suffix in ["", "-wal", "-shm"] {
            var info = stat()
            if stat(directory + "/store.sqlite" + suffix, &info) == 0 { bytes += Int(info.st_size) }
        }
        let rate = Int(Double(result.triplesParsed) / seconds)
        print("registryd load: \(result.triplesParsed) triples in \(String(format3(seconds))) s = \(rate) triples/s, \(bytes) bytes"
              + " (\(result.quadsAdded) quads, \(result.termsAdded) terms)")
        print("registryd load phases: " + phases.summary)
        #expect(result.quadsAdded > 0)
    }

    /// When each phase of the load began, to show where the time goes.
    final class PhaseLog: @unchecked Sendable {
        // @unchecked: progress is reported on the loading thread only, and read after the load.
        private let start: ContinuousClock.Instant
        private var marks: [(String, ContinuousClock.Instant)] = []

        init(start: ContinuousClock.Instant) {
            self.start = start
            marks = [("open", start)]
        }

        func record(_ phase: BulkLoadProgress.Phase?) {
            let name = phase.map { "\($0)" } ?? "close"
            if marks.last?.0 != name { marks.append((name, ContinuousClock.now)) }
        }

        var summary: String {
            zip(marks, marks.dropFirst()).map { current, next in
                let duration = next.1 - current.1
                let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
                return "\(current.0) \(milliseconds) ms"
            }.joined(separator: ", ")
        }
    }

    private func format3(_ value: Double) -> String {
        let scaled = Int((value * 1000).rounded())
        return "\(scaled / 1000).\(String(scaled % 1000).leftPadded(to: 3))"
    }
}
