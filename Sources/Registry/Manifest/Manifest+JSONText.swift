import JSON

// The manifest's own JSON writing: the text `Codable` gives through `CompactJSONEncoder`, with
// members in sorted key order, nil optionals left out and empty arrays written.

extension Manifest: CompactJSONWritable {
    public func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("category", category)
        writer.member("description", description)
        writer.member("devices", devices)
        writer.member("instance", instance)
        writer.member("introspect", introspect)
        writer.member("label", label)
        writer.member("name", name.value)
        writer.member("objects", objects)
        writer.member("types", types)
        writer.member("version", version)
        writer.endObject()
    }
}

extension InstanceSpec: CompactJSONWritable {
    public func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("check", check)
        if let checks { writer.member("checks", checks) }
        writer.member("health", health.rawValue)
        writer.member("host", host)
        writer.member("id", id)
        writer.member("tier", tier.rawValue)
        writer.member("ttlMilliseconds", ttlMilliseconds)
        writer.member("weight", weight)
        writer.endObject()
    }
}

extension HealthCheckSpec: CompactJSONWritable {
    public func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("body", body)
        writer.member("deregisterAfterMilliseconds", deregisterAfterMilliseconds)
        writer.member("failuresBeforeCritical", failuresBeforeCritical)
        writer.member("id", id)
        writer.member("intervalMilliseconds", intervalMilliseconds)
        writer.member("kind", kind?.rawValue)
        writer.member("service", service)
        writer.member("successesBeforePassing", successesBeforePassing)
        writer.member("timeoutMilliseconds", timeoutMilliseconds)
        writer.member("ttlMilliseconds", ttlMilliseconds)
        writer.member("url", url)
        writer.endObject()
    }
}

extension DeviceSpec: CompactJSONWritable {
    public func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("id", id)
        writer.member("iri", iri)
        writer.member("label", label)
        writer.member("location", location)
        writer.member("observes", observes)
        writer.member("types", types)
        writer.endObject()
    }
}

extension ObjectSpec: CompactJSONWritable {
    public func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("channels", channels)
        writer.member("description", description)
        writer.member("devices", devices)
        writer.member("label", label)
        writer.member("methods", methods)
        writer.member("name", name.value)
        writer.member("types", types)
        writer.endObject()
    }
}

extension MethodSpec: CompactJSONWritable {
    public func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("category", category)
        writer.member("description", description)
        writer.member("endpoints", endpoints)
        writer.member("inputs", inputs)
        writer.member("label", label)
        writer.member("name", name)
        writer.member("outputs", outputs)
        writer.member("preconditions", preconditions)
        writer.member("results", results)
        writer.member("sla", sla)
        writer.endObject()
    }
}

extension ChannelSpec: CompactJSONWritable {
    public func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("description", description)
        writer.member("endpoints", endpoints)
        writer.member("label", label)
        writer.member("name", name)
        writer.member("observes", observes)
        writer.member("schema", schema)
        writer.endObject()
    }
}

extension ParameterSpec: CompactJSONWritable {
    public func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("description", description)
        writer.member("name", name)
        writer.member("type", type)
        writer.endObject()
    }
}

extension SLASpec: CompactJSONWritable {
    public func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("availability", availability)
        writer.member("maxLatencyMs", maxLatencyMs)
        writer.member("maxRequestsPerSecond", maxRequestsPerSecond)
        writer.endObject()
    }
}

extension EndpointSpec: CompactJSONWritable {
    public func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("address", address)
        writer.member("contentType", contentType)
        writer.member("exchange", exchange)
        writer.member("httpMethod", httpMethod)
        writer.member("protocol", self.protocol.rawValue)
        writer.member("queue", queue)
        writer.member("routingKey", routingKey)
        writer.member("topic", topic)
        writer.endObject()
    }
}
