import AccessControl
import ArgumentParser
import Foundation
import JSON

extension Policy {
    /// `registryd policy bench` (hidden): in-process decision latency on a generated clinic
    /// (the Fig. 4 rules, many subjects and APIs), for `bench/decisions.sh`.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Measure in-process decision latency.", shouldDisplay: false)

        @Option var subjects = 2000
        @Option var apis = 50
        @Option var requests = 200_000
        @Option var seed: UInt64 = 42

        /// The rules of `examples/policies/telemedicine/clinic.policy`.
        static let policy = """
            domain Rank = Nurse < AttendingDoctor < SeniorDoctor < ClinicDirector;
            attribute subject.rank   : Rank     from authority "hospital.example";
            attribute subject.shift  : Interval from authority "hospital.example";
            attribute subject.ward   : String   from authority "hospital.example";
            attribute subject.domain : String   from authority "hospital.example";
            monitors: permit subscribe, call on "clinic.example/PatientMonitor/*"
              when subject.rank in [AttendingDoctor .. ClinicDirector]
               and now in hours 08:00-18:00 "Europe/Berlin" on Mon-Fri;
            on-shift: permit subscribe on "clinic.example/PatientMonitor/*"
              when subject.rank >= AttendingDoctor and now within subject.shift and subject.ward == "cardiology";
            settings: forbid call on "clinic.example/PatientMonitor/*/configure" unless subject.rank >= SeniorDoctor;
            staff: permit create, destroy on "clinic.example/**" when subject.domain == "clinic.example";
            limit subscribe on "clinic.example/PatientMonitor/*" to 10 msg/s, 64 KiB/s, burst 20;
            """

        func run() async throws {
            let set = try PolicySet.compile([PolicyDocument(name: "bench.policy", text: Self.policy)])
            var random = SplitMix(seed: seed)
            let ranks = ["Nurse", "AttendingDoctor", "SeniorDoctor", "ClinicDirector"]
            let wards = ["cardiology", "oncology", "neurology", "pediatrics", "surgery"]
            let week = 1_795_392_000.0  // 2026-11-23T00:00:00Z, a Monday
            // Subjects' attributes resolved once, as an engine's entity store would hold them.
            let bags: [AttributeBag] = (0..<subjects).map { _ in
                let start = week + Double(random.next(upTo: 7 * 24)) * 3600
                var attributes: [String: JSONValue] = [
                    "rank": .string(ranks[random.next(upTo: ranks.count)]),
                    "ward": .string(wards[random.next(upTo: wards.count)]),
                    "shift": .object(["start": .string(Instant.format(start)), "end": .string(Instant.format(start + 10 * 3600))]),
                ]
                if random.next(upTo: 10) == 0 { attributes["domain"] = .string("clinic.example") }
                let evidence = SubjectEvidence(subject: "s", trusted: attributes)
                return AttributeResolver.resolve(evidence, api: "", at: week, policies: set, verifier: .none, ontology: nil)
            }
            let names: [String] = (0..<apis).map { index in
                switch index % 5 {
                case 0, 1, 2: "clinic.example/PatientMonitor/bed-\(index)"
                case 3: "clinic.example/PatientMonitor/bed-\(index)/configure"
                default: "clinic.example/Pharmacy/orders-\(index)"
                }
            }
            let actions: [Action] = [.subscribe, .call, .create]
            let work = (0..<requests).map { _ in
                (random.next(upTo: subjects), random.next(upTo: apis), random.next(upTo: actions.count), week + Double(random.next(upTo: 7 * 86_400)))
            }
            var permits = 0
            for (subject, api, action, time) in work.prefix(10_000) {  // warm-up
                if DecisionPoint.decide(api: names[api], action: actions[action], at: time, attributes: bags[subject], policies: set).effect == .permit { permits += 0 }
            }
            var samples: [Double] = []
            samples.reserveCapacity(requests)
            let clock = ContinuousClock()
            for (subject, api, action, time) in work {
                let start = clock.now
                let decision = DecisionPoint.decide(api: names[api], action: actions[action], at: time, attributes: bags[subject], policies: set)
                let elapsed = clock.now - start
                if decision.effect == .permit { permits += 1 }
                samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
            }
            samples.sort()
            let median = samples[samples.count / 2]
            let p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
            writeToStandardOutput(String(format: "registryd in-process: median %.2f µs, p99 %.2f µs over %d decisions (%d subjects, %d APIs, %d%% permit)\n",
                                         median, p99, requests, subjects, apis, permits * 100 / max(1, requests)))
        }
    }
}

/// A small deterministic generator, so runs decide the same requests.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(upTo bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
