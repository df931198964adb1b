import Ontology

/// IRIs of the project's ontologies (`ontologies/microservice.rdf`, `ontologies/service-profile.rdf`).
public enum MS {
    public static let namespace = "https://w3id.org/registryd/ms#"
    /// The named graph the microservice ontology is loaded into.
    public static let graph = "https://w3id.org/registryd/ms"

    public static let Microservice = namespace + "Microservice"
    public static let ServiceInstance = namespace + "ServiceInstance"
    public static let VirtualObject = namespace + "VirtualObject"
    public static let Method = namespace + "Method"
    public static let EventChannel = namespace + "EventChannel"
    public static let Endpoint = namespace + "Endpoint"
    public static let Host = namespace + "Host"

    public static let name = namespace + "name"
    public static let version = namespace + "version"
    public static let site = namespace + "site"
    public static let hasInstance = namespace + "hasInstance"
    public static let registrationId = namespace + "registrationId"
    public static let hasVirtualObject = namespace + "hasVirtualObject"
    public static let hasMethod = namespace + "hasMethod"
    public static let hasEventChannel = namespace + "hasEventChannel"
    public static let hasEndpoint = namespace + "hasEndpoint"
    public static let servedBy = namespace + "servedBy"
    public static let `protocol` = namespace + "protocol"
    public static let address = namespace + "address"
    public static let httpMethod = namespace + "httpMethod"
    public static let topic = namespace + "topic"
    public static let exchange = namespace + "exchange"
    public static let queue = namespace + "queue"
    public static let routingKey = namespace + "routingKey"
    public static let contentType = namespace + "contentType"
    public static let deploymentTier = namespace + "deploymentTier"
    public static let hostName = namespace + "hostName"
    public static let runsOn = namespace + "runsOn"
    public static let healthStatus = namespace + "healthStatus"
    public static let weight = namespace + "weight"
    public static let leaseSeconds = namespace + "leaseSeconds"
    public static let exposes = namespace + "exposes"
    public static let publishesProperty = namespace + "publishesProperty"
    public static let messageSchema = namespace + "messageSchema"
    public static let introspectURL = namespace + "introspectURL"
    public static let architecture = namespace + "architecture"
    public static let operatingSystem = namespace + "operatingSystem"
    public static let location = namespace + "location"
    public static let hostStatus = namespace + "hostStatus"
    public static let Online = namespace + "Online"
    public static let Offline = namespace + "Offline"

    /// The individual for a deployment tier.
    public static func tier(_ tier: DeploymentTier) -> String {
        switch tier {
        case .device: namespace + "DeviceTier"
        case .edge: namespace + "EdgeTier"
        case .fog: namespace + "FogTier"
        case .cloud: namespace + "CloudTier"
        }
    }

    /// The individual for a health status.
    public static func health(_ status: HealthStatus) -> String {
        switch status {
        case .ok: namespace + "Healthy"
        case .degraded: namespace + "Degraded"
        case .broken: namespace + "Broken"
        }
    }

    /// The endpoint class of a protocol mapping.
    public static func endpointClass(_ proto: EndpointProtocol) -> String {
        switch proto {
        case .rest: namespace + "RESTEndpoint"
        case .coap: namespace + "CoAPEndpoint"
        case .mqtt: namespace + "MQTTEndpoint"
        case .amqp: namespace + "AMQPEndpoint"
        case .other: namespace + "Endpoint"
        }
    }
}

/// IRIs of the service profile ontology (after OWL-S / WSMO).
public enum SP {
    public static let namespace = "https://w3id.org/registryd/profile#"
    public static let graph = "https://w3id.org/registryd/profile"

    public static let Input = namespace + "Input"
    public static let Output = namespace + "Output"
    public static let Precondition = namespace + "Precondition"
    public static let Result = namespace + "Result"
    public static let ServiceLevelAgreement = namespace + "ServiceLevelAgreement"
    public static let category = namespace + "category"
    public static let hasInput = namespace + "hasInput"
    public static let hasOutput = namespace + "hasOutput"
    public static let parameterName = namespace + "parameterName"
    public static let parameterType = namespace + "parameterType"
    public static let hasPrecondition = namespace + "hasPrecondition"
    public static let hasResult = namespace + "hasResult"
    public static let expression = namespace + "expression"
    public static let hasSLA = namespace + "hasSLA"
    public static let maxLatencyMs = namespace + "maxLatencyMs"
    public static let availability = namespace + "availability"
    public static let maxRequestsPerSecond = namespace + "maxRequestsPerSecond"
}

/// The prefixes a manifest may use in compact IRIs (`sosa:Sensor`).
public enum ManifestPrefixes {
    public static let all: [String: String] = [
        "sosa": "http://www.w3.org/ns/sosa/",
        "ssn": "http://www.w3.org/ns/ssn/",
        "iot-lite": "http://purl.oclc.org/NET/UNIS/fiware/iot-lite#",
        "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
        "qu": "http://purl.org/NET/ssnx/qu/qu#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "schema": "https://schema.org/",
        "ms": MS.namespace,
        "sp": SP.namespace,
    ]

    /// Expands `sosa:Sensor` to an IRI; returns an absolute IRI unchanged; nil otherwise.
    public static func expand(_ text: String, extra: [String: String] = [:]) -> String? {
        if let colon = text.firstIndex(of: ":") {
            let prefix = String(text[..<colon])
            let local = text[text.index(after: colon)...]
            if let namespace = extra[prefix] ?? all[prefix], !local.hasPrefix("//") {
                let iri = namespace + local
                return IRI.isAbsolute(iri) ? iri : nil
            }
            return IRI.isAbsolute(text) ? text : nil
        }
        return nil
    }
}
