import Foundation
import JSON
import Testing
@testable import Registry

/// W3C WoT Thing Descriptions read as manifests (docs/manifest.md §5).
struct ThingDescriptionDecoderTests {
    static let xsd = "http://www.w3.org/2001/XMLSchema#"
    static let thingID = "urn:uuid:5c3f9a52-8d1e-4b7a-9f0e-2a41c6d7e813"

    static func airQuality(_ overrides: ThingDescriptionDecoder.Overrides = .init()) throws -> Manifest {
        try ThingDescriptionDecoder.decode(Paths.data("examples/td/air-quality.td.json"), overrides: overrides)
    }

    /// A small TD with the given extra top-level members (JSON text without braces).
    static func thing(_ members: String, context: String = #""https://www.w3.org/2022/wot/td/v1.1""#) -> Data {
        Data("""
            {"@context": \(context), "title": "Lamp", "securityDefinitions": {"nosec_sc": {"scheme": "nosec"}},
             "security": ["nosec_sc"], \(members)}
            """.utf8)
    }

    static func method(_ manifest: Manifest, _ name: String) throws -> MethodSpec {
        try #require(manifest.objects.first?.methods.first { $0.name == name }, "no method \(name)")
    }

    @Test func airQualityMapsToMethodsChannelsAndEndpoints() throws {
        let manifest = try Self.airQuality(.init(name: .test("clinic.example/AirQualityWard3")))
        #expect(manifest.name.value == "clinic.example/AirQualityWard3")
        #expect(manifest.version == "1.0.0")
        #expect(manifest.label == "AirQualityWard3")
        #expect(manifest.description?.hasPrefix("Air quality monitor of ward 3") == true)
        #expect(manifest.instance.id == "urn-uuid-5c3f9a52-8d1e-4b7a-9f0e-2a41c6d7e813")
        #expect(manifest.instance.tier == .cloud)
        #expect(manifest.instance.weight == 100)

        // One virtual object of the service's name.
        #expect(manifest.objects.count == 1)
        let object = try #require(manifest.objects.first)
        #expect(object.name == manifest.name)
        // Properties and actions are methods, events are channels.
        #expect(Set(object.methods.map(\.name)) == ["co2", "pm25", "temperature", "calibrate"])
        #expect(object.channels.map(\.name) == ["highCO2"])

        let co2 = try Self.method(manifest, "co2")
        #expect(co2.category == "property")
        #expect(co2.label == "CO2 concentration")
        #expect(co2.outputs == [ParameterSpec(name: "co2", type: Self.xsd + "integer", description: nil)])
        #expect(co2.endpoints.map(\.protocol) == [.rest, .coap])
        #expect(co2.endpoints[0].address == "http://ward3-gw.clinic.example:8081/air/co2")
        #expect(co2.endpoints[0].httpMethod == "GET")
        #expect(co2.endpoints[0].contentType == "application/json")
        #expect(co2.endpoints[1].address == "coap://ward3-gw.clinic.example/air/co2")
        #expect(co2.endpoints[1].contentType == "application/cbor")
        #expect(try Self.method(manifest, "pm25").outputs.first?.type == Self.xsd + "double")
        // A readproperty form without htv:methodName is a GET.
        #expect(try Self.method(manifest, "temperature").endpoints.map(\.httpMethod) == ["GET"])

        let calibrate = try Self.method(manifest, "calibrate")
        #expect(calibrate.category == "action")
        #expect(calibrate.inputs.map(\.name) == ["input"])
        #expect(calibrate.outputs.map(\.name) == ["output"])
        #expect(calibrate.endpoints.map(\.protocol) == [.rest])
        #expect(calibrate.endpoints.first?.httpMethod == "POST")
        #expect(calibrate.endpoints.first?.address == "http://ward3-gw.clinic.example:8081/air/calibrate")

        let event = try #require(object.channels.first)
        #expect(event.label == "High CO2")
        let mqtt = try #require(event.endpoints.first)
        #expect(event.endpoints.count == 1)
        #expect(mqtt.protocol == .mqtt)
        #expect(mqtt.address == "mqtt://broker.example:1883")
        #expect(mqtt.topic == "clinic/ward3/air/highCO2")
        #expect(mqtt.contentType == "application/json")
        let schema = try JSONValue.parse(Array(try #require(event.schema).utf8))
        guard case .object(let fields) = schema else {
            Issue.record("schema is not an object")
            return
        }
        #expect(fields["type"] == .string("object"))

        // The Thing is a device typed with its @type, CURIEs expanded with the @context prefixes.
        let device = try #require(manifest.devices.first)
        #expect(manifest.devices.count == 1)
        #expect(device.iri == Self.thingID)
        #expect(device.types == ["http://www.w3.org/ns/sosa/Sensor", "http://example.org/clinic#AirQualityMonitor"])
        #expect(device.label == "AirQualityWard3")
        #expect(object.devices == [device.id])
        #expect(manifest.protocols == [.coap, .mqtt, .rest])
        #expect(manifest.operations.map(\.name.value).contains("clinic.example/AirQualityWard3/highCO2"))
    }

    @Test func nameComesFromTheFirstFormHostWithoutOverride() throws {
        let manifest = try Self.airQuality()
        #expect(manifest.name.value == "ward3-gw.clinic.example/AirQualityWard3")
        #expect(manifest.objects.first?.name == manifest.name)
    }

    @Test func overridesSetTheInstance() throws {
        var instance = InstanceSpec()
        instance.id = "ward3-air"
        instance.tier = .edge
        instance.host = "ward3-gw"
        instance.ttlMilliseconds = 30_000
        let manifest = try Self.airQuality(.init(name: .test("clinic.example/Air"), instance: instance))
        #expect(manifest.name.value == "clinic.example/Air")
        #expect(manifest.instance == instance)
        // Without an id in the overrides, the TD's id is used.
        var tierOnly = InstanceSpec()
        tierOnly.tier = .fog
        let other = try Self.airQuality(.init(instance: tierOnly))
        #expect(other.instance.tier == .fog)
        #expect(other.instance.id == "urn-uuid-5c3f9a52-8d1e-4b7a-9f0e-2a41c6d7e813")
    }

    @Test func aDocumentWithoutTheTDContextIsRejected() throws {
        var json = try JSONValue.parse(Array(Paths.data("examples/td/air-quality.td.json")))
        guard case .object(var fields) = json else { throw RegistryError(.invalidManifest, "not an object") }
        fields["@context"] = .array([.string("https://schema.org/"), .object(["sosa": .string("http://www.w3.org/ns/sosa/")])])
        json = .object(fields)
        let error = #expect(throws: RegistryError.self) { try ThingDescriptionDecoder.decode(json) }
        #expect(error?.code == .invalidManifest)
        #expect(error?.message.contains("@context") == true)
        fields["@context"] = nil
        let missing = #expect(throws: RegistryError.self) { try ThingDescriptionDecoder.decode(.object(fields)) }
        #expect(missing?.code == .invalidManifest)
        // A plain manifest is not a TD either.
        #expect(throws: RegistryError.self) { try ThingDescriptionDecoder.decode(Paths.data("examples/weight-management/weather.json")) }
        // TD 1.0 is accepted.
        #expect(throws: Never.self) {
            try ThingDescriptionDecoder.decode(Self.thing(#""properties": {"on": {"type": "boolean", "forms": [{"href": "http://h/on"}]}}"#,
                                                          context: #""https://www.w3.org/2019/wot/td/v1""#))
        }
    }

    @Test func relativeHrefNeedsABase() throws {
        let relative = #""properties": {"on": {"type": "boolean", "forms": [{"href": "lamp/on"}]}}"#
        let error = #expect(throws: RegistryError.self) { try ThingDescriptionDecoder.decode(Self.thing(relative)) }
        #expect(error?.code == .invalidManifest)
        #expect(error?.message.contains("`properties.on.forms[0].href`") == true)

        let manifest = try ThingDescriptionDecoder.decode(Self.thing(#""base": "http://gw.example:8080/things/", "# + relative))
        let endpoint = try #require(manifest.objects.first?.methods.first?.endpoints.first)
        #expect(endpoint.address == "http://gw.example:8080/things/lamp/on")
        #expect(endpoint.httpMethod == "GET")
        #expect(manifest.objects.first?.methods.first?.outputs.first?.type == Self.xsd + "boolean")
        // The name's site is the base's host.
        #expect(manifest.name.value == "gw.example/Lamp")
        #expect(manifest.version == "0")

        let badBase = #expect(throws: RegistryError.self) { try ThingDescriptionDecoder.decode(Self.thing(#""base": "things/", "# + relative)) }
        #expect(badBase?.message.contains("`base`") == true)
    }

    @Test func formsMapByScheme() throws {
        let manifest = try ThingDescriptionDecoder.decode(Self.thing("""
            "properties": {"level": {"type": "number", "forms": [
                {"href": "http://h/level", "op": "writeproperty"},
                {"href": "https://h/level2", "op": ["readproperty", "writeproperty"]}]}},
            "actions": {"toggle": {"forms": [{"href": "coaps://h/toggle"}, {"href": "http://h/toggle"}]}},
            "events": {"moved": {"forms": [{"href": "mqtts://b.example:8883/lamp/moved"}]},
                       "any": {"forms": [{"href": "mqtt://b.example"}]},
                       "filtered": {"forms": [{"href": "mqtt://b.example/x", "mqv:filter": "lamp/+"}]},
                       "queued": {"forms": [{"href": "amqp://q.example:5672/alerts"}]},
                       "topic": {"forms": [{"href": "amqps://q.example"}]},
                       "longpoll": {"forms": [{"href": "http://h/events/longpoll"}]}}
            """))
        let object = try #require(manifest.objects.first)
        let level = try Self.method(manifest, "level")
        #expect(level.endpoints.map(\.httpMethod) == ["PUT", "GET"])
        #expect(level.endpoints.map(\.protocol) == [.rest, .rest])
        let toggle = try Self.method(manifest, "toggle")
        #expect(toggle.endpoints.map(\.protocol) == [.coap, .rest])
        #expect(toggle.endpoints[1].httpMethod == "POST")
        #expect(toggle.inputs.isEmpty)

        func channel(_ name: String) throws -> EndpointSpec {
            let endpoint = object.channels.first { $0.name == name }?.endpoints.first
            return try #require(endpoint, "no channel \(name)")
        }
        #expect(try channel("moved").address == "mqtts://b.example:8883")
        #expect(try channel("moved").topic == "lamp/moved")
        #expect(try channel("any").topic == "#")
        #expect(try channel("filtered").topic == "lamp/+")
        #expect(try channel("queued").protocol == .amqp)
        #expect(try channel("queued").address == "amqp://q.example:5672")
        #expect(try channel("queued").exchange == "alerts")
        #expect(try channel("topic").exchange == "amq.topic")
        #expect(try channel("longpoll").httpMethod == "GET")
        // Without base and with a title that is not a name, the site is the first form's host.
        #expect(manifest.name.value == "h/Lamp")
    }

    @Test func unusableTDsAreRejected() {
        func failure(_ data: Data, _ code: RegistryError.Code, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let error = #expect(throws: RegistryError.self, sourceLocation: sourceLocation) { try ThingDescriptionDecoder.decode(data) }
            #expect(error?.code == code, sourceLocation: sourceLocation)
            #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")", sourceLocation: sourceLocation)
        }
        failure(Self.thing(#""properties": {"on": {"forms": [{"href": "relative/on"}]}}"#), .invalidManifest, "`properties.on.forms[0].href`")
        failure(Self.thing(#""properties": {"on": {"forms": []}}"#), .invalidManifest, "`properties.on.forms`")
        failure(Self.thing(#""properties": {"on": {}}"#), .invalidManifest, "`properties.on.forms`")
        failure(Data(#"{"@context": "https://www.w3.org/2022/wot/td/v1.1"}"#.utf8), .invalidManifest, "`title`")
        failure(Data("[]".utf8), .invalidManifest, "JSON object")
        failure(Data("{".utf8), .syntax, "JSON")
    }

    /// What TD 1.1 allows and the registry has no mapping of its own for is kept, not refused.
    @Test func whatTheTDSpecificationAllowsIsAccepted() throws {
        let manifest = try ThingDescriptionDecoder.decode(Self.thing(#"""
            "@type": ["Lamp", "sosa:Actuator"], "version": {"instance": "1 0"},
            "properties": {
              "o n": {"forms": [{"href": "http://h/x"}]},
              "o_n": {"forms": [{"href": "http://h/y"}]},
              "..": {"forms": [{"href": "modbus+tcp://h:502/1/40001"}, {"href": "ws://h/ws"}]},
              "item": {"uriVariables": {"id": {"type": "string"}}, "forms": [{"href": "http://h/items/{id}{?fields}"}]},
              "relative": {"forms": [{"href": "items/{id}"}]}
            }
            """#), overrides: .init(documentURL: "http://dir.example/things/lamp"))
        let methods = Dictionary(uniqueKeysWithValues: manifest.objects[0].methods.map { ($0.name, $0) })
        #expect(Set(methods.keys) == ["o-n", "o_n", "--", "item", "relative"])
        #expect(methods["--"]?.endpoints.map(\.protocol) == [.other, .other])
        #expect(methods["--"]?.endpoints.map(\.address) == ["modbus+tcp://h:502/1/40001", "ws://h/ws"])
        #expect(methods["item"]?.endpoints.first?.address == "http://h/items/{id}{?fields}")
        #expect(methods["item"]?.endpoints.first?.protocol == .rest)
        #expect(methods["relative"]?.endpoints.first?.address == "http://dir.example/things/items/{id}")
        #expect(manifest.version == "0")
        // A plain term is left out of the device's types; the prefixed one expands.
        #expect(manifest.devices.first?.types == ["http://www.w3.org/ns/sosa/Actuator"])
    }

    @Test func thingTypeWithoutAbsoluteIdGetsAMintedDevice() throws {
        let manifest = try ThingDescriptionDecoder.decode(Self.thing("""
            "id": "lamp 7", "@type": ["Thing", "sosa:Actuator"],
            "properties": {"on": {"forms": [{"href": "http://h/on"}]}}
            """, context: #"["https://www.w3.org/2022/wot/td/v1.1", {"sosa": "http://www.w3.org/ns/sosa/"}]"#))
        let device = try #require(manifest.devices.first)
        #expect(device.types == ["http://www.w3.org/ns/sosa/Actuator"], "Thing is dropped")
        #expect(device.iri.hasPrefix("urn:registryd:device:"))
        #expect(manifest.instance.id == "lamp-7")
        // A TD without @type has no device.
        let plain = try ThingDescriptionDecoder.decode(Self.thing(#""properties": {"on": {"forms": [{"href": "http://h/on"}]}}"#))
        #expect(plain.devices.isEmpty)
        #expect(plain.objects.first?.devices == [])
    }

    /// docs/manifest.md §5 maps a TD to the same manifest model, in which a REST method is one of
    /// GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS (§1.1); `htv:methodName` is taken as it is.
    @Test
    func htvMethodNameIsChecked() {
        for method in ["FETCH", "get", "GET\\r\\nX-Injected: 1", ""] {
            let error = #expect(throws: RegistryError.self) {
                try ThingDescriptionDecoder.decode(Self.thing(
                    #""actions": {"go": {"forms": [{"href": "http://h/go", "htv:methodName": "\#(method)"}]}}"#))
            }
            #expect(error?.code == .invalidManifest, "\(method.debugDescription)")
            #expect(error?.message.contains("`actions.go.forms[0]") == true)
        }
    }
}
