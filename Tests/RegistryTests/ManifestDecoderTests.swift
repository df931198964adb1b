import Foundation
import JSON
import Testing
@testable import Registry

/// The JSON manifest format of `docs/manifest.md`: the examples, strict field checking with
/// JSON paths in messages, value rules, defaults, CURIEs and the introspect object.
struct ManifestDecoderTests {
    static let sosa = "http://www.w3.org/ns/sosa/"
    static let xsd = "http://www.w3.org/2001/XMLSchema#"

    /// A manifest with one object holding one method on `endpoint`.
    static func withEndpoint(_ endpoint: String) -> String {
        """
        {"name": "snac.asu.edu/Weather", "version": "1.0.0",
         "objects": [{"name": "snac.asu.edu/Weather/station1",
                      "methods": [{"name": "getForecast", "endpoints": [\(endpoint)]}]}]}
        """
    }

    /// A manifest with the given `instance` object.
    static func withInstance(_ instance: String) -> String {
        #"{"name": "snac.asu.edu/Weather", "version": "1.0.0", "instance": \#(instance)}"#
    }

    /// The error decoding `json` throws (recording an issue when it does not throw).
    static func error(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> RegistryError? {
        #expect(throws: RegistryError.self, sourceLocation: sourceLocation) { try Manifests.decode(json) }
    }

    /// Checks that decoding fails with `code` and a message containing each of `fragments`.
    static func expectFailure(_ json: String, _ code: RegistryError.Code, _ fragments: String...,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = error(json, sourceLocation: sourceLocation) else { return }
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.message.contains(fragment), "`\(fragment)` not in: \(error.message)", sourceLocation: sourceLocation)
        }
    }

    // MARK: Examples

    @Test func everyExampleManifestDecodes() throws {
        let files = try Paths.exampleManifests()
        #expect(files.count >= 9, "examples found: \(files.map(\.lastPathComponent))")
        for file in files {
            let manifest: Manifest
            do {
                manifest = try ManifestDecoder.decode(Data(contentsOf: file))
            } catch {
                Issue.record("\(file.lastPathComponent): \(error)")
                continue
            }
            // The names of everything a manifest offers are valid, unique names under the service's site.
            let names = manifest.objects.map(\.name) + manifest.operations.map(\.name)
            #expect(Set(names).count == names.count, "\(file.lastPathComponent) repeats a name")
            #expect(names.allSatisfy { $0.site == manifest.name.site }, "\(file.lastPathComponent)")
            #expect(!manifest.operations.isEmpty, "\(file.lastPathComponent) offers nothing")
            // Every term is an absolute IRI once read (CURIEs expanded).
            let terms = manifest.types + manifest.devices.flatMap { $0.types + $0.observes + [$0.iri] }
                + manifest.objects.flatMap { $0.types + $0.methods.flatMap { ($0.inputs + $0.outputs).compactMap(\.type) } }
            for term in terms {
                #expect(term.contains("://") || term.hasPrefix("urn:"), "\(file.lastPathComponent): `\(term)`")
            }
            if let introspect = manifest.introspect {
                let own = try #require(manifest.objects.first { $0.name == manifest.name }, "\(file.lastPathComponent)")
                #expect(own.methods.filter { $0.name == "introspect" }.map { $0.endpoints.map(\.address) } == [[introspect]])
            }
        }
    }

    @Test func wristbandExampleReadsAsDocumented() throws {
        let manifest = try Manifests.example("examples/weight-management/wristband.json")
        #expect(manifest.name.value == "snac.asu.edu/Wristband")
        #expect(manifest.name.site == "snac.asu.edu")
        #expect(manifest.version == "0.9.1")
        #expect(manifest.label == "Activity wristband")
        #expect(manifest.category == "health")
        #expect(manifest.instance.id == "wristband-edb15825")
        #expect(manifest.instance.tier == .device)
        #expect(manifest.instance.host == "wristband-edb15825")
        #expect(manifest.instance.weight == 100)
        #expect(manifest.instance.health == .ok)
        #expect(manifest.instance.ttlMilliseconds == nil)

        let device = try #require(manifest.devices.first)
        #expect(manifest.devices.count == 1)
        #expect(device.id == "wristband-edb15825")
        #expect(device.iri == "urn:registryd:device:wristband-edb15825")
        #expect(device.types == ["http://example.org/weight-management#Wristband"])
        #expect(device.observes.count == 3)

        // The introspect object comes first, then the manifest's own object.
        #expect(manifest.objects.map(\.name.value) == ["snac.asu.edu/Wristband", "snac.asu.edu/device/edb15825-92e2-e7b1-7c97-ddd102258a70"])
        let object = manifest.objects[1]
        #expect(object.types == ["http://purl.oclc.org/NET/UNIS/fiware/iot-lite#VirtualEntity"])
        #expect(object.devices == ["wristband-edb15825"])
        #expect(object.methods.map(\.name) == ["getBattery", "setSamplingInterval"])
        #expect(object.methods[0].outputs == [ParameterSpec(name: "percent", type: Self.xsd + "integer", description: nil)])
        #expect(object.methods[1].inputs == [ParameterSpec(name: "seconds", type: Self.xsd + "integer", description: "1 to 60.")])
        #expect(object.methods[1].results == ["The heartRate channel publishes at the new interval."])
        #expect(object.channels.map(\.name) == ["heartRate", "stepCount", "caloriesBurned"])
        let heartRate = object.channels[0]
        #expect(heartRate.observes == "http://example.org/weight-management#HeartRate")
        let schema = try #require(heartRate.schema)
        #expect(try JSONValue.parse(Array(schema.utf8)) == JSONValue.object([
            "type": .string("object"), "required": .array([.string("t"), .string("bpm")]),
            "properties": .object(["t": .object(["type": .string("integer"), "description": .string("Unix time, seconds")]),
                                   "bpm": .object(["type": .string("integer")])]),
        ]))
        let mqtt = heartRate.endpoints[0]
        #expect(mqtt.protocol == .mqtt)
        #expect(mqtt.address == "mqtt://192.168.1.20:1883")
        #expect(mqtt.topic == "wristband/edb15825/heartRate")
        #expect(mqtt.contentType == "application/cbor")
        #expect(heartRate.endpoints[1].protocol == .coap)
        #expect(manifest.protocols == [.coap, .mqtt, .rest])
        #expect(manifest.operations.map(\.name.value).contains("snac.asu.edu/device/edb15825-92e2-e7b1-7c97-ddd102258a70/heartRate"))
    }

    @Test func weatherExampleHasSLAAndAMQP() throws {
        let manifest = try Manifests.example("examples/weight-management/weather.json")
        #expect(manifest.types == ["https://schema.org/WebAPI"])
        let object = try #require(manifest.objects.first { $0.name.value == "snac.asu.edu/Weather/phoenix" })
        let forecast = try #require(object.methods.first { $0.name == "getForecast" })
        #expect(forecast.sla == SLASpec(maxLatencyMs: 300, availability: 0.995, maxRequestsPerSecond: 20))
        #expect(forecast.endpoints.first?.httpMethod == "GET")
        let current = try #require(object.methods.first { $0.name == "getCurrent" })
        #expect(current.endpoints.first?.httpMethod == "GET", "method defaults to GET")
        let amqp = try #require(object.channels.first?.endpoints.first)
        #expect(amqp.protocol == .amqp)
        #expect(amqp.address == "amqp://mq.snac.asu.edu")
        #expect(amqp.exchange == "weather")
        #expect(amqp.routingKey == "phoenix.forecast")
        #expect(amqp.queue == nil)
    }

    @Test func minimalManifestGetsTheDefaults() throws {
        let manifest = try Manifests.decode(#"{"name": "snac.asu.edu/Weather", "version": "1.2.0"}"#)
        #expect(manifest.instance == InstanceSpec())
        #expect(manifest.instance.id == nil)
        #expect(manifest.instance.tier == .cloud)
        #expect(manifest.instance.weight == 100)
        #expect(manifest.instance.health == .ok)
        #expect(manifest.instance.ttlMilliseconds == nil)
        #expect(manifest.objects.isEmpty, "no introspect URL, no introspect object")
        #expect(manifest.devices.isEmpty)
        // null counts as absent
        let nulls = try Manifests.decode(#"{"name": "snac.asu.edu/Weather", "version": "1.2.0", "label": null, "instance": null}"#)
        #expect(nulls.label == nil)
        #expect(nulls.instance == InstanceSpec())
    }

    // MARK: Unknown fields

    @Test func unknownFieldsAreRejectedWithTheirPath() {
        Self.expectFailure(Self.withEndpoint(#"{"protocol": "rest", "ur": "http://10.0.0.5/forecast"}"#),
                           .unknownField, "`objects[0].methods[0].endpoints[0].ur`")
        Self.expectFailure(#"{"name": "snac.asu.edu/Weather", "version": "1.0.0", "nmae": "x"}"#, .unknownField, "`nmae`")
        Self.expectFailure(Self.withInstance(#"{"id": "w1", "lease": "30s"}"#), .unknownField, "`instance.lease`")
        Self.expectFailure("""
            {"name": "snac.asu.edu/Weather", "version": "1.0.0",
             "objects": [{"name": "snac.asu.edu/Weather/a"},
                         {"name": "snac.asu.edu/Weather/b", "methods": [{"name": "m", "endpoint": []}]}]}
            """, .unknownField, "`objects[1].methods[0].endpoint`")
        Self.expectFailure("""
            {"name": "snac.asu.edu/Weather", "version": "1.0.0", "devices": [{"id": "d1", "kind": "sensor"}]}
            """, .unknownField, "`devices[0].kind`")
        Self.expectFailure("""
            {"name": "snac.asu.edu/Weather", "version": "1.0.0",
             "objects": [{"name": "snac.asu.edu/Weather/a", "methods": [{"name": "m", "sla": {"latency": 5}}]}]}
            """, .unknownField, "`objects[0].methods[0].sla.latency`")
        Self.expectFailure("""
            {"name": "snac.asu.edu/Weather", "version": "1.0.0",
             "objects": [{"name": "snac.asu.edu/Weather/a", "methods": [{"name": "m", "inputs": [{"name": "x", "unit": "s"}]}]}]}
            """, .unknownField, "`objects[0].methods[0].inputs[0].unit`")
        // A field of another endpoint shape is unknown too.
        Self.expectFailure(Self.withEndpoint(#"{"protocol": "coap", "uri": "coap://h/x", "topic": "t"}"#),
                           .unknownField, "`objects[0].methods[0].endpoints[0].topic`")
    }

    @Test func channelSchemaIsFreeForm() throws {
        let manifest = try Manifests.decode("""
            {"name": "snac.asu.edu/Weather", "version": "1.0.0",
             "objects": [{"name": "snac.asu.edu/Weather/a",
                          "channels": [{"name": "c", "schema": {"anything": [1, {"goes": true}], "b": null}}]}]}
            """)
        #expect(manifest.objects[0].channels[0].schema == #"{"anything":[1,{"goes":true}],"b":null}"#)
    }

    // MARK: Types and required fields

    @Test func wrongTypesAreInvalid() {
        Self.expectFailure(#"{"name": 5, "version": "1.0.0"}"#, .invalidManifest, "`name`", "expected a string")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": 1.0}"#, .invalidManifest, "`version`")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "objects": {}}"#, .invalidManifest, "`objects`", "expected an array")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "types": ["sosa:Sensor", 7]}"#, .invalidManifest, "`types[1]`")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "objects": ["x"]}"#, .invalidManifest, "`objects[0]`", "expected an object")
        Self.expectFailure(Self.withInstance(#""edge""#), .invalidManifest, "`instance`")
        Self.expectFailure(Self.withInstance(#"{"weight": "100"}"#), .invalidManifest, "`instance.weight`")
        Self.expectFailure(Self.withInstance(#"{"weight": 10001}"#), .invalidManifest, "`instance.weight`")
        Self.expectFailure(Self.withInstance(#"{"weight": -1}"#), .invalidManifest, "`instance.weight`")
        Self.expectFailure(Self.withInstance(#"{"weight": 1.5}"#), .invalidManifest, "`instance.weight`")
        Self.expectFailure(Self.withInstance(#"{"id": "has space"}"#), .invalidManifest, "`instance.id`")
        Self.expectFailure(Self.withInstance(#"{"id": ".."}"#), .invalidManifest, "`instance.id`")
        Self.expectFailure(Self.withInstance(#"{"host": "a/b"}"#), .invalidManifest, "`instance.host`")
        Self.expectFailure("[1, 2]", .invalidManifest, "`manifest`", "expected an object")
        Self.expectFailure("""
            {"name": "snac.asu.edu/Weather", "version": "1.0.0",
             "objects": [{"name": "snac.asu.edu/Weather/a", "methods": [{"name": "m", "sla": {"availability": 1.5}}]}]}
            """, .invalidManifest, "`objects[0].methods[0].sla.availability`")
        #expect(Self.error("{not json")?.code == .syntax)
        #expect(Self.error("")?.code == .syntax)
    }

    @Test func nameAndVersionAreRequiredAndChecked() {
        Self.expectFailure(#"{"version": "1.0.0"}"#, .invalidManifest, "`name`", "required")
        Self.expectFailure(#"{"name": "snac.asu.edu/Weather"}"#, .invalidManifest, "`version`", "required")
        Self.expectFailure(#"{"name": "snac.asu.edu/Weather", "version": ""}"#, .invalidManifest, "`version`")
        Self.expectFailure(#"{"name": "snac.asu.edu/Weather", "version": "1.0 beta"}"#, .invalidManifest, "`version`")
        Self.expectFailure(#"{"name": "snac.asu.edu/Weather", "version": "\#(String(repeating: "1", count: 65))"}"#, .invalidManifest, "`version`")
        #expect(throws: Never.self) { try Manifests.decode(#"{"name": "snac.asu.edu/Weather", "version": "1.0.0-rc.1+build_7"}"#) }
        Self.expectFailure(#"{"name": "Weather", "version": "1.0.0"}"#, .invalidName, "`name`")
        Self.expectFailure(#"{"name": "snac.asu.edu/../Weather", "version": "1.0.0"}"#, .invalidName, "`name`")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "objects": [{"name": "snac.asu.edu/W/a b"}]}"#,
                           .invalidName, "`objects[0].name`")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "objects": [{"label": "no name"}]}"#,
                           .invalidManifest, "`objects[0].name`", "required")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "objects": [{"name": "snac.asu.edu/W/a", "methods": [{"name": "a/b"}]}]}"#,
                           .invalidName, "`objects[0].methods[0].name`")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "objects": [{"name": "snac.asu.edu/W/a", "channels": [{"name": ".."}]}]}"#,
                           .invalidName, "`objects[0].channels[0].name`")
    }

    @Test func tierAndHealthMustBeKnown() throws {
        Self.expectFailure(Self.withInstance(#"{"tier": "mobile"}"#), .invalidManifest, "`instance.tier`", "mobile")
        Self.expectFailure(Self.withInstance(#"{"tier": "Edge"}"#), .invalidManifest, "`instance.tier`")
        Self.expectFailure(Self.withInstance(#"{"health": "sick"}"#), .invalidManifest, "`instance.health`", "sick")
        Self.expectFailure(Self.withInstance(#"{"health": true}"#), .invalidManifest, "`instance.health`")
        // Small integers are numbers, not booleans.
        #expect(try Manifests.decode(Self.withInstance(#"{"weight": 0}"#)).instance.weight == 0)
        #expect(try Manifests.decode(Self.withInstance(#"{"weight": 1}"#)).instance.weight == 1)
        #expect(try Manifests.decode(Self.withInstance(#"{"weight": 10000}"#)).instance.weight == 10_000)
        for tier in DeploymentTier.allCases {
            #expect(try Manifests.decode(Self.withInstance(#"{"tier": "\#(tier.rawValue)"}"#)).instance.tier == tier)
        }
        for health in HealthStatus.allCases {
            #expect(try Manifests.decode(Self.withInstance(#"{"health": "\#(health.rawValue)"}"#)).instance.health == health)
        }
    }

    // MARK: Leases

    @Test(arguments: [
        (#""500ms""#, 500), (#""30s""#, 30_000), (#""1.5s""#, 1_500), (#""5m""#, 300_000), (#""1h""#, 3_600_000),
        ("12", 12_000), (#""90""#, 90_000), ("0.1", 100), (#""100ms""#, 100), ("31536000", 31_536_000_000),
    ] as [(String, Int64)])
    func ttlForms(ttl: String, milliseconds: Int64) throws {
        let manifest = try Manifests.decode(Self.withInstance(#"{"ttl": \#(ttl)}"#))
        #expect(manifest.instance.ttlMilliseconds == milliseconds)
    }

    @Test(arguments: [#""abc""#, #""-5s""#, #""10ms""#, #""99ms""#, "-5", "0", "0.05", #""""#, #""5 s""#, #""5d""#,
                      #""1e3s""#, #""366d""#, "31536001", #""8761h""#, "true", "[30]"])
    func badTTLIsRejected(ttl: String) {
        Self.expectFailure(Self.withInstance(#"{"ttl": \#(ttl)}"#), .invalidManifest, "`instance.ttl`")
    }

    @Test func leaseDurationText() {
        #expect(LeaseDuration.milliseconds("5m") == 300_000)
        #expect(LeaseDuration.milliseconds("5ms") == 5)
        #expect(LeaseDuration.milliseconds("nope") == nil)
        #expect(LeaseDuration.text(30_000) == "30s")
        #expect(LeaseDuration.text(1_500) == "1500ms")
    }

    // MARK: Endpoints

    @Test func endpointShapes() throws {
        let rest = try Manifests.decode(Self.withEndpoint(#"{"protocol": "rest", "url": "https://h.example/x", "method": "POST", "contentType": "application/json"}"#))
        let endpoint = try #require(rest.objects.first?.methods.first?.endpoints.first)
        #expect(endpoint.protocol == .rest)
        #expect(endpoint.address == "https://h.example/x")
        #expect(endpoint.httpMethod == "POST")
        #expect(endpoint.contentType == "application/json")
        let defaulted = try Manifests.decode(Self.withEndpoint(#"{"protocol": "rest", "url": "http://h/x"}"#))
        #expect(defaulted.objects[0].methods[0].endpoints[0].httpMethod == "GET")
        for uri in ["coap://h/x", "coaps://h/x", "coap+tcp://h/x", "coaps+tcp://h/x"] {
            let coap = try Manifests.decode(Self.withEndpoint(#"{"protocol": "coap", "uri": "\#(uri)"}"#))
            #expect(coap.objects[0].methods[0].endpoints[0] == EndpointSpec(protocol: .coap, address: uri))
        }
        for broker in ["mqtt://h:1883", "mqtts://h", "ws://h/mqtt", "wss://h/mqtt", "tcp://h:1883", "ssl://h:8883"] {
            let mqtt = try Manifests.decode(Self.withEndpoint(#"{"protocol": "mqtt", "broker": "\#(broker)", "topic": "a/b"}"#))
            #expect(mqtt.objects[0].methods[0].endpoints[0].address == broker)
            #expect(mqtt.objects[0].methods[0].endpoints[0].topic == "a/b")
        }
        let amqp = try Manifests.decode(Self.withEndpoint(#"{"protocol": "amqp", "broker": "amqps://h", "queue": "q"}"#))
        #expect(amqp.objects[0].methods[0].endpoints[0].queue == "q")
        #expect(amqp.objects[0].methods[0].endpoints[0].exchange == nil)
        let exchange = try Manifests.decode(Self.withEndpoint(#"{"protocol": "amqp", "broker": "amqp://h", "exchange": "x", "routingKey": "k"}"#))
        #expect(exchange.objects[0].methods[0].endpoints[0].exchange == "x")
        #expect(exchange.objects[0].methods[0].endpoints[0].routingKey == "k")
    }

    @Test(arguments: [
        (#"{"protocol": "rest", "url": "ftp://h/x"}"#, "url"),
        (#"{"protocol": "rest", "url": "coap://h/x"}"#, "url"),
        (#"{"protocol": "rest", "url": "/relative/x"}"#, "url"),
        (#"{"protocol": "rest", "url": "http://h/a b"}"#, "url"),
        (#"{"protocol": "rest"}"#, "url"),
        (#"{"protocol": "rest", "url": "http://h/x", "method": "FETCH"}"#, "method"),
        (#"{"protocol": "rest", "url": "http://h/x", "method": "get"}"#, "method"),
        (#"{"protocol": "coap", "uri": "http://h/x"}"#, "uri"),
        (#"{"protocol": "coap", "uri": "mqtt://h/x"}"#, "uri"),
        (#"{"protocol": "mqtt", "broker": "http://h", "topic": "t"}"#, "broker"),
        (#"{"protocol": "mqtt", "broker": "amqp://h", "topic": "t"}"#, "broker"),
        (#"{"protocol": "mqtt", "broker": "mqtt://h"}"#, "topic"),
        (#"{"protocol": "mqtt", "broker": "mqtt://h", "topic": ""}"#, "topic"),
        (#"{"protocol": "amqp", "broker": "mqtt://h", "exchange": "x"}"#, "broker"),
        (#"{"protocol": "amqp", "broker": "http://h", "queue": "q"}"#, "broker"),
        (#"{"protocol": "grpc", "url": "http://h"}"#, "protocol"),
        (#"{"url": "http://h"}"#, "protocol"),
        (#""http://h/x""#, "protocol"),
    ] as [(String, String)])
    func badEndpointIsRejected(endpoint: String, field: String) {
        Self.expectFailure(Self.withEndpoint(endpoint), .invalidManifest, "`objects[0].methods[0].endpoints[0].\(field)`")
    }

    @Test func amqpNeedsAnExchangeOrAQueue() {
        Self.expectFailure(Self.withEndpoint(#"{"protocol": "amqp", "broker": "amqp://h"}"#),
                           .invalidManifest, "`objects[0].methods[0].endpoints[0]`", "exchange", "queue")
        Self.expectFailure(Self.withEndpoint(#"{"protocol": "amqp", "broker": "amqp://h", "routingKey": "k"}"#),
                           .invalidManifest, "`objects[0].methods[0].endpoints[0]`")
    }

    @Test func introspectMustBeHTTP() {
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "introspect": "coap://h/introspect"}"#, .invalidManifest, "`introspect`")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "introspect": "introspect"}"#, .invalidManifest, "`introspect`")
    }

    // MARK: Duplicates and references

    @Test func duplicatesAreRejected() {
        Self.expectFailure("""
            {"name": "snac.asu.edu/W", "version": "1",
             "objects": [{"name": "snac.asu.edu/W/a"}, {"name": "snac.asu.edu/W/b"}, {"name": "snac.asu.edu/W/a"}]}
            """, .invalidManifest, "`objects[2].name`", "snac.asu.edu/W/a")
        Self.expectFailure("""
            {"name": "snac.asu.edu/W", "version": "1",
             "objects": [{"name": "snac.asu.edu/W/a", "methods": [{"name": "get"}, {"name": "get"}]}]}
            """, .invalidManifest, "`objects[0].methods[1].name`", "get")
        Self.expectFailure("""
            {"name": "snac.asu.edu/W", "version": "1",
             "objects": [{"name": "snac.asu.edu/W/a", "channels": [{"name": "c"}, {"name": "c"}]}]}
            """, .invalidManifest, "`objects[0].channels[1].name`")
        // A method and a channel of one object share the names below the object.
        Self.expectFailure("""
            {"name": "snac.asu.edu/W", "version": "1",
             "objects": [{"name": "snac.asu.edu/W/a", "methods": [{"name": "temp"}], "channels": [{"name": "temp"}]}]}
            """, .invalidManifest, "`objects[0].channels[0].name`", "temp")
        Self.expectFailure("""
            {"name": "snac.asu.edu/W", "version": "1", "devices": [{"id": "d1"}, {"id": "d1"}]}
            """, .invalidManifest, "`devices[1].id`", "d1")
    }

    @Test func sameMemberNameInTwoObjectsIsFine() throws {
        let manifest = try Manifests.decode("""
            {"name": "snac.asu.edu/W", "version": "1",
             "objects": [{"name": "snac.asu.edu/W/a", "methods": [{"name": "get"}]},
                         {"name": "snac.asu.edu/W/b", "methods": [{"name": "get"}]}]}
            """)
        #expect(manifest.operations.map(\.name.value) == ["snac.asu.edu/W/a/get", "snac.asu.edu/W/b/get"])
    }

    @Test func objectDevicesMustNameManifestDevices() throws {
        Self.expectFailure("""
            {"name": "snac.asu.edu/W", "version": "1", "devices": [{"id": "d1"}],
             "objects": [{"name": "snac.asu.edu/W/a", "devices": ["d1", "d2"]}]}
            """, .invalidManifest, "`objects[0].devices[1]`", "d2")
        Self.expectFailure("""
            {"name": "snac.asu.edu/W", "version": "1", "objects": [{"name": "snac.asu.edu/W/a", "devices": ["d1"]}]}
            """, .invalidManifest, "`objects[0].devices[0]`")
        // Device ids are matched exactly as written, also when they are CURIEs.
        let manifest = try Manifests.decode("""
            {"name": "snac.asu.edu/W", "version": "1", "devices": [{"id": "sosa:thermo1"}, {"id": "urn:dev:2"}],
             "objects": [{"name": "snac.asu.edu/W/a", "devices": ["sosa:thermo1", "urn:dev:2"]}]}
            """)
        #expect(manifest.devices.map(\.iri) == [Self.sosa + "thermo1", "urn:dev:2"])
        #expect(manifest.objects[0].devices == ["sosa:thermo1", "urn:dev:2"])
        Self.expectFailure("""
            {"name": "snac.asu.edu/W", "version": "1", "devices": [{"id": "sosa:thermo1"}],
             "objects": [{"name": "snac.asu.edu/W/a", "devices": ["http://www.w3.org/ns/sosa/thermo1"]}]}
            """, .invalidManifest, "`objects[0].devices[0]`")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "devices": [{"id": "my device"}]}"#,
                           .invalidManifest, "`devices[0].id`")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "devices": [{"label": "no id"}]}"#,
                           .invalidManifest, "`devices[0].id`", "required")
    }

    // MARK: CURIEs

    @Test func compactIRIsAreExpanded() throws {
        let manifest = try Manifests.decode("""
            {"name": "snac.asu.edu/W", "version": "1", "types": ["sosa:Platform", "iot-lite:Service", "schema:WebAPI", "http://example.org/x#Y"],
             "devices": [{"id": "t1", "types": ["sosa:Sensor", "ssn:System"], "observes": ["qu:temperature", "geo:Point"]}],
             "objects": [{"name": "snac.asu.edu/W/a", "types": ["ms:VirtualObject", "owl:Thing", "rdfs:Resource"],
                          "methods": [{"name": "m", "inputs": [{"name": "x", "type": "xsd:decimal"}],
                                       "outputs": [{"name": "y", "type": "sp:Output"}]}],
                          "channels": [{"name": "c", "observes": "rdf:value"}]}]}
            """)
        #expect(manifest.types == [Self.sosa + "Platform", "http://purl.oclc.org/NET/UNIS/fiware/iot-lite#Service",
                                   "https://schema.org/WebAPI", "http://example.org/x#Y"])
        #expect(manifest.devices[0].types == [Self.sosa + "Sensor", "http://www.w3.org/ns/ssn/System"])
        #expect(manifest.devices[0].observes == ["http://purl.org/NET/ssnx/qu/qu#temperature", "http://www.w3.org/2003/01/geo/wgs84_pos#Point"])
        #expect(manifest.objects[0].types == [MS.VirtualObject, "http://www.w3.org/2002/07/owl#Thing", "http://www.w3.org/2000/01/rdf-schema#Resource"])
        #expect(manifest.objects[0].methods[0].inputs[0].type == Self.xsd + "decimal")
        #expect(manifest.objects[0].methods[0].outputs[0].type == SP.Output)
        #expect(manifest.objects[0].channels[0].observes == "http://www.w3.org/1999/02/22-rdf-syntax-ns#value")
    }

    @Test func termsWithoutAKnownPrefixMustBeAbsoluteIRIs() throws {
        // Neither a CURIE with a known prefix nor an IRI: rejected, naming the field.
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "types": ["Sensor"]}"#, .invalidManifest, "`types[0]`")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "types": ["1wm:Sensor"]}"#, .invalidManifest, "`types[0]`")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "types": ["sosa:Bad Sensor"]}"#, .invalidManifest, "`types[0]`")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "devices": [{"id": "d", "types": ["<http://x/y>"]}]}"#,
                           .invalidManifest, "`devices[0].types[0]`")
        Self.expectFailure(#"{"name": "snac.asu.edu/W", "version": "1", "devices": [{"id": "d", "observes": ["HeartRate"]}]}"#,
                           .invalidManifest, "`devices[0].observes[0]`")
        Self.expectFailure("""
            {"name": "snac.asu.edu/W", "version": "1",
             "objects": [{"name": "snac.asu.edu/W/a", "channels": [{"name": "c", "observes": "HeartRate"}]}]}
            """, .invalidManifest, "`objects[0].channels[0].observes`")
        Self.expectFailure("""
            {"name": "snac.asu.edu/W", "version": "1",
             "objects": [{"name": "snac.asu.edu/W/a", "methods": [{"name": "m", "inputs": [{"name": "x", "type": "integer"}]}]}]}
            """, .invalidManifest, "`objects[0].methods[0].inputs[0].type`")
        // An unknown prefix is not expanded: `wm:Wristband` is kept as an IRI of scheme `wm:`
        // (docs/manifest.md §1.1), so it never stands for the domain class.
        let manifest = try Manifests.decode(#"{"name": "snac.asu.edu/W", "version": "1", "types": ["wm:Wristband"]}"#)
        #expect(manifest.types == ["wm:Wristband"])
        #expect(ManifestPrefixes.expand("wm:Wristband") == "wm:Wristband")
        #expect(ManifestPrefixes.expand("sosa:Sensor") == Self.sosa + "Sensor")
        #expect(ManifestPrefixes.expand("Sensor") == nil)
    }

    // MARK: The introspect object

    @Test func introspectAddsTheServiceObject() throws {
        let manifest = try Manifests.decode("""
            {"name": "snac.asu.edu/Weather", "version": "1.2.0", "introspect": "http://10.0.0.5:8080/introspect",
             "objects": [{"name": "snac.asu.edu/Weather/station1", "methods": [{"name": "getForecast"}]}]}
            """)
        #expect(manifest.objects.map(\.name.value) == ["snac.asu.edu/Weather", "snac.asu.edu/Weather/station1"])
        let own = manifest.objects[0]
        #expect(own.methods.map(\.name) == ["introspect"])
        var expected = EndpointSpec(protocol: .rest, address: "http://10.0.0.5:8080/introspect")
        expected.httpMethod = "GET"
        expected.contentType = "application/json"
        #expect(own.methods[0].endpoints == [expected])
        #expect(manifest.operations.first?.name.value == "snac.asu.edu/Weather/introspect")
        #expect(manifest.operations.first?.kind == .method)
    }

    @Test func introspectJoinsAnObjectOfTheServiceName() throws {
        let manifest = try Manifests.decode("""
            {"name": "snac.asu.edu/Weather", "version": "1.2.0", "introspect": "https://w.example/introspect",
             "objects": [{"name": "snac.asu.edu/Weather/station1"},
                         {"name": "snac.asu.edu/Weather", "label": "own", "methods": [{"name": "status"}]}]}
            """)
        #expect(manifest.objects.map(\.name.value) == ["snac.asu.edu/Weather/station1", "snac.asu.edu/Weather"])
        #expect(manifest.objects[1].label == "own")
        #expect(manifest.objects[1].methods.map(\.name) == ["status", "introspect"])

        // An object that already has an `introspect` member keeps its own.
        let own = try Manifests.decode("""
            {"name": "snac.asu.edu/Weather", "version": "1.2.0", "introspect": "https://w.example/introspect",
             "objects": [{"name": "snac.asu.edu/Weather", "methods": [{"name": "introspect",
                          "endpoints": [{"protocol": "coap", "uri": "coap://w.example/introspect"}]}]}]}
            """)
        #expect(own.objects.count == 1)
        #expect(own.objects[0].methods.count == 1)
        #expect(own.objects[0].methods[0].endpoints.map(\.protocol) == [.coap])
    }
}

/// Rules of docs/manifest.md across fields (found missing by these tests, then fixed).
struct ManifestDecoderBugTests {
    /// Members of one object share their names; the added `introspect` method is no exception.
    @Test
    func introspectIsNotAddedBesideAChannelOfThatName() throws {
        let manifest = try Manifests.decode("""
            {"name": "snac.asu.edu/Weather", "version": "1.0.0", "introspect": "http://10.0.0.5/introspect",
             "objects": [{"name": "snac.asu.edu/Weather",
                          "channels": [{"name": "introspect",
                                        "endpoints": [{"protocol": "mqtt", "broker": "mqtt://h", "topic": "weather/introspect"}]}]}]}
            """)
        // docs/manifest.md §1.1: the method is added "unless it has an `introspect` member already".
        #expect(manifest.objects.count == 1)
        #expect(manifest.objects[0].methods.map(\.name) == [])
        let names = manifest.operations.map(\.name)
        #expect(Set(names).count == names.count, "two members named \(names)")
    }

    /// docs/manifest.md §1.1: `sla` is `{"maxLatencyMs": ≥0, "availability": 0…1, "maxRequestsPerSecond": ≥0}`.
    @Test
    func negativeSLAFiguresAreRejected() {
        for field in ["maxLatencyMs", "maxRequestsPerSecond"] {
            ManifestDecoderTests.expectFailure("""
                {"name": "snac.asu.edu/W", "version": "1",
                 "objects": [{"name": "snac.asu.edu/W/a", "methods": [{"name": "m", "sla": {"\(field)": -5}}]}]}
                """, .invalidManifest, "`objects[0].methods[0].sla.\(field)`")
        }
    }

    /// Full names of methods and channels are names too: at most 256 characters, or they could
    /// never be resolved (`resolve` takes a checked ``ServiceName``).
    @Test
    func memberFullNamesRespectTheLengthLimit() throws {
        // The object's name is exactly 256 bytes: valid; its method's full name is 268 bytes.
        let object = "snac.asu.edu/" + String(repeating: "o", count: 243)
        #expect(try ServiceName(object).value.utf8.count == 256)
        #expect(throws: RegistryError.self) { try ServiceName(object + "/getForecast") }
        ManifestDecoderTests.expectFailure("""
            {"name": "snac.asu.edu/W", "version": "1",
             "objects": [{"name": "\(object)", "methods": [{"name": "getForecast"}]}]}
            """, .invalidName, "`objects[0].methods[0].name`")
    }
}
