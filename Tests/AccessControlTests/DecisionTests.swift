import AccessControl
import Foundation
import JOSE
import JSON
import Testing

/// Decisions: default deny, forbid overrides permit, fail closed, windows, limits, credentials.
struct DecisionTests {
    static let policy = try! PolicySet.compile([PolicyDocument(name: "clinic.policy", text: """
        domain Rank = Nurse < AttendingDoctor < SeniorDoctor < ClinicDirector;
        attribute subject.rank  : Rank     from authority "hospital.example";
        attribute subject.shift : Interval from authority "hospital.example";
        attribute subject.role  : String   from authority "hospital.example", "fleet.example";
        attribute subject.teams : Set<String>;
        attribute context.emergency : Boolean;
        monitors: permit subscribe, call on "clinic.example/PatientMonitor/*"
          when subject.rank in [AttendingDoctor .. ClinicDirector]
           and now in hours 08:00-18:00 "Europe/Berlin" on Mon-Fri;
        shift: permit subscribe on "clinic.example/PatientMonitor/*" when now within subject.shift and subject.rank >= Nurse;
        settings: forbid call on "clinic.example/PatientMonitor/*" unless subject.rank >= SeniorDoctor or context.emergency == true;
        speed: forbid call on "vehicle.example/Platoon/*/setSpeed" unless subject.role == "PlatoonLeader";
        drive: permit call on "vehicle.example/**";
        ops: permit create on "clinic.example/**" when subject.teams contains "ops";
        limit subscribe on "clinic.example/**" to 10 msg/s, 64 KiB/s;
        limit subscribe on "clinic.example/PatientMonitor/*" to 20 msg/s, burst 5;
        """)])

    /// 2026-11-23 is a Monday; Berlin is UTC+1 in November.
    static let mondayNoon = Instant.parse("2026-11-23T11:00:00Z")!

    static func decide(_ api: String, _ action: Action, at time: Double = mondayNoon, _ attributes: [String: JSONValue],
                       context: [String: JSONValue] = [:], explain: Bool = false) -> Decision {
        let evidence = SubjectEvidence(subject: "s", registryAttributes: attributes, context: context, trusted: attributes)
        let bag = AttributeResolver.resolve(evidence, api: api, at: time, policies: policy, verifier: .none, ontology: nil)
        return DecisionPoint.decide(api: api, action: action, at: time, attributes: bag, policies: policy, explain: explain)
    }

    @Test func defaultDeny() {
        let decision = Self.decide("clinic.example/Pharmacy/orders", .call, ["rank": "ClinicDirector"])
        #expect(decision.effect == .deny)
        #expect(decision.reason == "no permit rule applies (default deny)")
    }

    @Test func rankRangeAndRecurringWindow() {
        #expect(Self.decide("clinic.example/PatientMonitor/bed1", .subscribe, ["rank": "Nurse"]).effect == .deny)
        let permit = Self.decide("clinic.example/PatientMonitor/bed1", .subscribe, ["rank": "AttendingDoctor"])
        #expect(permit.effect == .permit)
        #expect(permit.rules == ["monitors"])
        // Valid until 18:00 Berlin, 17:00 UTC: the end of the window that permitted it.
        #expect(permit.stableUntil == Instant.parse("2026-11-23T17:00:00Z"))
        // 17:30 UTC is 18:30 in Berlin in winter; in summer (UTC+2) 15:30 UTC is 17:30, inside.
        #expect(Self.decide("clinic.example/PatientMonitor/bed1", .subscribe, at: Instant.parse("2026-11-23T17:30:00Z")!, ["rank": "SeniorDoctor"]).effect == .deny)
        #expect(Self.decide("clinic.example/PatientMonitor/bed1", .subscribe, at: Instant.parse("2026-07-06T15:30:00Z")!, ["rank": "SeniorDoctor"]).effect == .permit)
        #expect(Self.decide("clinic.example/PatientMonitor/bed1", .subscribe, at: Instant.parse("2026-07-06T16:30:00Z")!, ["rank": "SeniorDoctor"]).effect == .deny)
        // Sunday.
        #expect(Self.decide("clinic.example/PatientMonitor/bed1", .subscribe, at: Instant.parse("2026-11-22T11:00:00Z")!, ["rank": "ClinicDirector"]).effect == .deny)
    }

    @Test func intervalsAndStability() {
        let shift: JSONValue = .object(["start": "2026-11-23T20:00:00Z", "end": "2026-11-24T06:00:00Z"])
        let night = Instant.parse("2026-11-23T23:00:00Z")!
        let decision = Self.decide("clinic.example/PatientMonitor/bed1", .subscribe, at: night, ["rank": "Nurse", "shift": shift])
        #expect(decision.effect == .permit)
        #expect(decision.stableUntil == Instant.parse("2026-11-24T06:00:00Z"))
        #expect(Self.decide("clinic.example/PatientMonitor/bed1", .subscribe, at: Instant.parse("2026-11-24T06:00:01Z")!, ["rank": "Nurse", "shift": shift]).effect == .deny)
        #expect(Self.decide("clinic.example/PatientMonitor/bed1", .subscribe, at: night, ["rank": "Nurse", "shift": "2026-11-23T20:00:00Z/2026-11-24T06:00:00Z"]).effect == .permit)
    }

    @Test func forbidOverridesPermitAndFailsClosed() {
        // `drive` permits every call on vehicle APIs, but setSpeed is forbidden unless PlatoonLeader.
        #expect(Self.decide("vehicle.example/Platoon/truck1/getSpeed", .call, [:]).effect == .permit)
        #expect(Self.decide("vehicle.example/Platoon/truck1/setSpeed", .call, ["role": "PlatoonLeader"]).effect == .permit)
        let follower = Self.decide("vehicle.example/Platoon/truck1/setSpeed", .call, ["role": "Follower"])
        #expect(follower.effect == .deny && follower.rules == ["speed"])
        // Without a role the `unless` cannot be evaluated: the forbid applies.
        let unknown = Self.decide("vehicle.example/Platoon/truck1/setSpeed", .call, [:], explain: true)
        #expect(unknown.effect == .deny)
        let speed = unknown.explanation?.rules.first { $0.rule == "speed" }
        #expect(speed?.applies == true)
        #expect(speed?.unless.first?.value == "unknown")
        #expect(speed?.unless.first?.reason == "subject.role: no value given")
        // A value of the wrong type is as good as missing.
        #expect(Self.decide("vehicle.example/Platoon/truck1/setSpeed", .call, ["role": 7]).effect == .deny)
    }

    @Test func kleeneLogicInConditions() {
        // `unless rank >= SeniorDoctor or emergency == true`: one true side is enough, even when
        // the other cannot be evaluated.
        #expect(Self.decide("clinic.example/PatientMonitor/bed1", .call, ["rank": "AttendingDoctor"], context: ["emergency": true]).effect == .permit)
        #expect(Self.decide("clinic.example/PatientMonitor/bed1", .call, ["rank": "AttendingDoctor"]).effect == .deny)
        #expect(Self.decide("clinic.example/PatientMonitor/bed1", .call, ["rank": "SeniorDoctor"]).effect == .permit)
        // A rank outside the domain never compares.
        #expect(Self.decide("clinic.example/PatientMonitor/bed1", .call, ["rank": "Janitor"], context: ["emergency": true]).effect == .deny)
    }

    @Test func setsAndLimits() {
        #expect(Self.decide("clinic.example/Pharmacy/orders", .create, ["teams": ["ops", "night"]]).effect == .permit)
        #expect(Self.decide("clinic.example/Pharmacy/orders", .create, ["teams": ["night"]]).effect == .deny)
        let permit = Self.decide("clinic.example/PatientMonitor/bed1", .subscribe, ["rank": "SeniorDoctor"])
        #expect(permit.constraints == Constraints(messagesPerSecond: 10, bytesPerSecond: 65536, burst: 5))
    }

    @Test func decisionsArePureFunctionsOfPolicyAttributesAndTime() {
        let first = Self.decide("clinic.example/PatientMonitor/bed2", .call, ["rank": "ClinicDirector"], explain: true)
        let second = Self.decide("clinic.example/PatientMonitor/bed2", .call, ["rank": "ClinicDirector"], explain: true)
        #expect(first.effect == second.effect && first.rules == second.rules && first.explanation == second.explanation)
    }
}

/// Credentials: only from the declared authority, signed, for this subject, in their validity.
struct CredentialTests {
    let hospital = try! SigningKey.generate(.edDSA)
    let insurer = try! SigningKey.generate(.es256)
    let now = Instant.parse("2026-11-23T11:00:00Z")!

    func credential(_ issuer: String, signedBy key: SigningKey, subject: String = "adam", expires: Double? = nil, _ attributes: [String: JSONValue]) throws -> String {
        let claims: [String: JSONValue] = ["iss": .string(issuer), "sub": .string(subject), "exp": .number(expires ?? now + 600), "attributes": .object(attributes)]
        return try CompactJWS.sign(payload: Array(try JSONEncoder().encode(claims)), with: key)
    }

    func decide(_ credentials: [String]) throws -> Decision {
        let verifier = try CredentialVerifier(authorities: [Authority(name: "hospital.example", keys: JWKSet(keys: [hospital.publicKey.jwk])),
                                                            Authority(name: "insurer.example", keys: JWKSet(keys: [insurer.publicKey.jwk]))])
        let api = "clinic.example/PatientMonitor/bed1"
        let bag = AttributeResolver.resolve(SubjectEvidence(subject: "adam", credentials: credentials), api: api, at: now,
                                            policies: DecisionTests.policy, verifier: verifier, ontology: nil)
        return DecisionPoint.decide(api: api, action: .subscribe, at: now, attributes: bag, policies: DecisionTests.policy, explain: true)
    }

    func reason(_ decision: Decision) -> String? {
        decision.explanation?.attributes.first { $0.attribute == "subject.rank" }?.problem
    }

    @Test func aValidCredentialPermitsAndBoundsTheExpiry() throws {
        let decision = try decide([try credential("hospital.example", signedBy: hospital, ["rank": "SeniorDoctor"])])
        #expect(decision.effect == .permit)
        #expect(decision.credentialsExpire == now + 600)
    }

    @Test func theWrongAuthorityIsNotAccepted() throws {
        let decision = try decide([try credential("insurer.example", signedBy: insurer, ["rank": "ClinicDirector"])])
        #expect(decision.effect == .deny)
        #expect(reason(decision)?.contains("the credential from insurer.example is not accepted") == true)
    }

    @Test func forgedExpiredAndForeignCredentialsAreRefused() throws {
        let forged = try decide([try credential("hospital.example", signedBy: insurer, ["rank": "ClinicDirector"])])
        #expect(forged.effect == .deny)
        #expect(reason(forged)?.contains("forged") == true)
        let expired = try decide([try credential("hospital.example", signedBy: hospital, expires: now - 1, ["rank": "ClinicDirector"])])
        #expect(expired.effect == .deny)
        #expect(reason(expired)?.contains("expired at 2026-11-23T10:59:59Z") == true)
        let someoneElse = try decide([try credential("hospital.example", signedBy: hospital, subject: "eve", ["rank": "ClinicDirector"])])
        #expect(someoneElse.effect == .deny)
        #expect(reason(someoneElse)?.contains("is about 'eve'") == true)
        let garbage = try decide(["not.a.jws"])
        #expect(garbage.effect == .deny)
    }
}
