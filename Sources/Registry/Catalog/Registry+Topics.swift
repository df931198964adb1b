extension Registry {
    /// The MQTT topics (or filters) a manifest's channels are served on.
    static func mqttTopics(of manifest: Manifest) -> Set<String> {
        var topics: Set<String> = []
        for operation in manifest.operations where operation.kind == .channel {
            for endpoint in operation.endpoints where endpoint.protocol == .mqtt {
                if let topic = endpoint.topic { topics.insert(topic) }
            }
        }
        return topics
    }

    /// The bucket of the topic index a topic goes in: its first level.
    static func topicBucket(_ topic: String) -> String {
        String(topic.prefix { $0 != "/" })
    }

    /// Refuses MQTT topics that overlap a topic a live registration of another site serves a
    /// channel on: a topic, like an IRI (``RegistrationTrust``), is first come, first served,
    /// so that a tenant cannot put its channel, and its policies, on another tenant's messages
    /// (nor make the broker deny them: a topic name needs every channel's permit).
    static func checkTopics(of manifest: Manifest, site: String, id: String, state: StateView) throws {
        for topic in mqttTopics(of: manifest).sorted() {
            guard let filter = MQTTTopicFilter(topic) else { continue }
            if let conflict = state.otherSiteTopic(overlapping: filter, site: site, except: id) {
                throw RegistryError(.notOwned, "the registration serves a channel on the MQTT topic `\(topic)`, which overlaps `\(conflict.topic)`, served by a registration of the site `\(conflict.site)`")
            }
        }
    }

    /// One event channel served on an MQTT topic (or filter), as a broker gateway judges it.
    public struct TopicChannel: Sendable, Hashable {
        /// The channel's full API name (`site/Object/channel`).
        public var channel: ServiceName
        /// The topic or filter its manifest names.
        public var topic: String
    }

    /// The channels whose MQTT endpoints serve what `filter` names: for a concrete topic, the
    /// channels whose topic matches it; for a subscription filter (`+`, `#`), the channels whose
    /// topic some topic of the filter matches. Only the instances that serve the channel's
    /// name count: a pin (`PUT /v1/resolve/pin`, a live migration's flip) leaves out the others,
    /// so after the flip the source's topic is no longer the channel's and the target's is.
    /// Broken instances still count: a topic does not become anyone's because its owner is
    /// down. Sorted by name.
    ///
    /// A scan of the live registrations: a broker asks once per client and topic and caches
    /// the answer (`gateways/mosquitto`), so this is not on a message's path.
    public func channels(servingTopic filter: MQTTTopicFilter) -> [TopicChannel] {
        state.withLock { state in
            var found: Set<TopicChannel> = []
            for registration in state.registrations.values {
                for operation in registration.manifest.operations where operation.kind == .channel {
                    if let pin = Self.pin(deciding: operation.name, in: state.pins), !pin.instances.isEmpty,
                       !pin.instances.contains(registration.id) { continue }
                    for endpoint in operation.endpoints where endpoint.protocol == .mqtt {
                        guard let topic = endpoint.topic, let served = MQTTTopicFilter(topic) else { continue }
                        let serves = filter.hasWildcards ? served.overlaps(filter) : served.matches(filter.text)
                        if serves { found.insert(TopicChannel(channel: operation.name, topic: topic)) }
                    }
                }
            }
            return found.sorted { ($0.channel.value, $0.topic) < ($1.channel.value, $1.topic) }
        }
    }
}
