import AccessControl
import Testing

/// The policy language: what parses, and that every error names its line and column.
struct PolicyLanguageTests {
    static func compile(_ text: String) throws(PolicyError) -> PolicySet {
        try PolicySet.compile([PolicyDocument(name: "test.policy", text: text)])
    }

    /// The error a text gets, as `line:column: message`.
    static func error(_ text: String) -> String? {
        do {
            _ = try compile(text)
            return nil
        } catch {
            return "\(error.location.line):\(error.location.column): \(error.message)"
        }
    }

    static let header = """
        domain Rank = Nurse < AttendingDoctor < SeniorDoctor < ClinicDirector;
        attribute subject.rank : Rank from authority "hospital.example";
        attribute subject.shift : Interval from authority "hospital.example";
        attribute subject.teams : Set<String>;
        attribute subject.age : Integer;
        attribute context.site : String;

        """

    @Test func theDesignExampleCompiles() throws {
        let set = try Self.compile(Self.header + """
            prefix sosa: <http://www.w3.org/ns/sosa/>;
            permit subscribe, call on "clinic.example/PatientMonitor/*"
              when subject.rank in [AttendingDoctor .. ClinicDirector]
               and subject.shift within [2026-11-23T08:00:00Z .. 2026-11-23T18:00:00Z]
               and now within subject.shift;
            forbid call on "vehicle.example/Platoon/*/setSpeed" unless context.site == "PlatoonLeader";
            permit create, destroy on "clinic.example/**" when "ops" in subject.teams or resource is sosa:Sensor;
            limit subscribe on "clinic.example/PatientMonitor/*" to 10 msg/s, 64 KiB/s, burst 5;
            route "snac.asu.edu/Recommender" to version "2.1" weight 90, version "2.0" weight 10;
            route "old.example/Weather" redirect "https://weather.example/";
            """)
        #expect(set.rules.count == 3)
        #expect(set.limits.first?.constraints == Constraints(messagesPerSecond: 10, bytesPerSecond: 65536, burst: 5))
        #expect(set.route(for: "snac.asu.edu/Recommender")?.targets.map(\.weight) == [90, 10])
        #expect(set.route(for: "old.example/Weather")?.redirect == "https://weather.example/")
        #expect(set.domains.map(\.members) == [["Nurse", "AttendingDoctor", "SeniorDoctor", "ClinicDirector"]])
    }

    @Test func syntaxErrorsNameLineAndColumn() {
        #expect(Self.error("permit call on \"a\"\n  when subject.rank >;") == "2:22: expected an attribute, 'now' or a value, found ';'")
        #expect(Self.error("permit cal on \"a\";") == "1:8: unknown action 'cal' (call, provide, publish, subscribe, create, destroy, any)")
        #expect(Self.error("permit call on \"a\" when x == \"open;") == "1:30: unterminated string")
        #expect(Self.error("allow call on \"a\";")?.hasPrefix("1:1: expected a statement") == true)
        #expect(Self.error("limit create on \"a\" to 1 msg/s;")?.hasPrefix("1:1: limits apply to traffic") == true)
        #expect(Self.error("limit call on \"a\" to 1 furlong/s;") == "1:24: unknown unit 'furlong' (msg, B, KiB, MiB)")
    }

    @Test func validationErrorsNameLineAndColumn() {
        let h = Self.header
        let line = h.split(separator: "\n", omittingEmptySubsequences: false).count
        // Unknown attribute.
        #expect(Self.error(h + "permit call on \"a\" when subject.grade == 1;") == "\(line):25: unknown attribute subject.grade (declare it with `attribute subject.grade : Type ...;`)")
        // A value outside its domain.
        #expect(Self.error(h + "permit call on \"a\" when subject.rank >= Janitor;") == "\(line):41: 'Janitor' is not in domain Rank (Nurse < AttendingDoctor < SeniorDoctor < ClinicDirector)")
        // Type mismatches.
        #expect(Self.error(h + "permit call on \"a\" when subject.age == \"old\";") == "\(line):40: type mismatch: Integer compared with String")
        #expect(Self.error(h + "permit call on \"a\" when subject.teams < 3;") == "\(line):41: type mismatch: Set<String> compared with Integer")
        #expect(Self.error(h + "permit call on \"a\" when context.site in hours 08:00-10:00;") == "\(line):25: `in hours` applies to a time, not String")
        // Rules that can never apply.
        #expect(Self.error(h + "permit call on \"a\" when subject.rank in [SeniorDoctor .. Nurse];") == "\(line):42: the range [SeniorDoctor .. Nurse] is empty, so this can never hold")
        #expect(Self.error(h + "r: permit call on \"a\" when context.site == \"x\" and context.site == \"y\";") == "\(line):1: rule 'r' can never apply: its condition is false whatever the request")
        #expect(Self.error(h + "permit call on \"a\" when now in hours 09:00-09:00;")?.hasSuffix("the window is empty (it starts when it ends)") == true)
        #expect(Self.error(h + "permit call on \"a\" when now in hours 09:00-17:00 \"Mars/Olympus\";")?.hasSuffix("unknown time zone \"Mars/Olympus\"") == true)
        // Sources: a subject attribute never comes from the request.
        #expect(Self.error("attribute subject.rank : String from request;") == "1:1: a subject's attributes never come from the request; use `from authority` or `from registry`")
        #expect(Self.error("attribute resource.level : Integer;")?.hasPrefix("1:1: resource attributes come from the resource's RDF") == true)
        #expect(Self.error("domain Rank = A < B;\ndomain Rank = C < D;") == "2:1: domain 'Rank' is declared twice")
        #expect(Self.error("permit call on \"a/**\" when resource is sosa:Sensor;") == "1:40: unknown prefix 'sosa:' (declare it with `prefix sosa: <...>;`)")
    }

    @Test func errorsNameTheDocumentTheyAreIn() {
        do {
            _ = try PolicySet.compile([PolicyDocument(name: "a.policy", text: "attribute subject.x : Integer;"),
                                       PolicyDocument(name: "b.policy", text: "permit call on \"a\" when subject.y == 1;")])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "b.policy:1:25: unknown attribute subject.y (declare it with `attribute subject.y : Type ...;`)")
        }
    }

    @Test func apiPatterns() throws {
        let one = try #require(APIPattern("clinic.example/PatientMonitor/*"))
        #expect(one.matches("clinic.example/PatientMonitor/bed1"))
        #expect(!one.matches("clinic.example/PatientMonitor/bed1/configure"))
        #expect(!one.matches("clinic.example/PatientMonitor"))
        let glob = try #require(APIPattern("vehicle.example/Platoon/*/set*"))
        #expect(glob.matches("vehicle.example/Platoon/truck-7/setSpeed"))
        #expect(!glob.matches("vehicle.example/Platoon/truck-7/getSpeed"))
        let any = try #require(APIPattern("clinic.example/**"))
        #expect(any.matches("clinic.example/a/b/c"))
        #expect(!any.matches("clinic.examples/a"))
        let middle = try #require(APIPattern("a/**/z"))
        #expect(middle.matches("a/z") && middle.matches("a/b/c/z") && !middle.matches("a/b/c"))
        #expect(APIPattern("a//b") == nil)
    }

    @Test func instantsParseAndFormat() {
        #expect(Instant.parse("2026-11-23T08:00:00Z") == 1_795_420_800)
        #expect(Instant.parse("2026-11-23T09:00:00+01:00") == 1_795_420_800)
        #expect(Instant.parse("2024-02-29T00:00:00.5Z") == 1_709_164_800.5)
        #expect(Instant.parse("2026-02-29T00:00:00Z") == nil)
        #expect(Instant.parse("2026-11-23 08:00:00Z") == nil)
        #expect(Instant.format(1_795_420_800) == "2026-11-23T08:00:00Z")
    }
}
