/// What a registry write sees: the published state with the changes of the writes before it
/// in the same group commit (``QuadStore/groupedWrite(_:)``) laid over it. Those writes have not
/// committed yet, so they are not published, but the next write of the group must build on them
/// (the same id, the next change index).
struct StateView {
    /// A dictionary of the published state with pending changes over it (nil: removed).
    struct Overlaid<Key: Hashable, Value> {
        let published: [Key: Value]
        let overlay: [Key: Value?]

        subscript(key: Key) -> Value? {
            if let changed = overlay[key] { return changed }
            return published[key]
        }
    }

    let registrations: Overlaid<String, Registration>
    let leases: Overlaid<String, Int64>
    let hosts: Overlaid<String, HostRecord>
    let hostSeen: Overlaid<String, Int64>
    let pins: Overlaid<ServiceName, NamePin>
    private let names: NameIndex
    private let claims: [String: [String: Int]]
    private let claimChanges: [String: [String: Int]]
    /// Registrations per site (published state; see ``RegistrationTrust``).
    let sites: [String: Int]
    /// The published topic index (``Registry/State/topics``).
    let topics: [String: [String: [String: Int]]]
    private let changedRegistrations: [String: Registration?]
    /// The change index after the writes before this one.
    let index: Int64

    init(published state: Registry.State, before batch: Registry.Pending?) {
        registrations = Overlaid(published: state.registrations, overlay: batch?.registrations ?? [:])
        leases = Overlaid(published: state.leases, overlay: batch?.leases ?? [:])
        hosts = Overlaid(published: state.hosts, overlay: batch?.hosts ?? [:])
        hostSeen = Overlaid(published: state.hostSeen, overlay: (batch?.hostSeen ?? [:]).mapValues { Optional($0) })
        pins = Overlaid(published: state.pins, overlay: (batch?.pins ?? [:]).mapValues { Optional($0) })
        names = state.names
        claims = state.claims
        claimChanges = batch?.claimChanges ?? [:]
        sites = state.sites
        topics = state.topics
        changedRegistrations = batch?.registrations ?? [:]
        index = batch?.index ?? state.index
    }

    /// The pins that list the instance `id`, pending changes included.
    func pins(listing id: String) -> [NamePin] {
        var result: [ServiceName: NamePin] = [:]
        for (name, pin) in pins.published where pin.instances.contains(id) { result[name] = pin }
        for (name, pin) in pins.overlay {
            if let pin, pin.instances.contains(id) { result[name] = pin } else { result[name] = nil }
        }
        return Array(result.values)
    }

    /// How many registrations of each site claim `iri` (``RegistrationTrust``), pending
    /// changes included.
    func sites(claiming iri: String) -> [String: Int] {
        var counts = claims[iri] ?? [:]
        for (site, delta) in claimChanges[iri] ?? [:] { counts[site, default: 0] += delta }
        return counts.filter { $0.value > 0 }
    }

    /// A topic of a site other than `site` that overlaps `filter`, pending changes included,
    /// leaving out registration `id` (which the write replaces); nil when there is none.
    func otherSiteTopic(overlapping filter: MQTTTopicFilter, site: String, except id: String) -> (site: String, topic: String)? {
        // Topics of the registrations this write or the writes before it in the group replace
        // or remove are judged from those registrations' new versions below.
        var replaced: [String: [String: Int]] = [:]
        for other in Set(changedRegistrations.keys).union([id]) {
            guard let old = registrations.published[other], old.name.site != site else { continue }
            for topic in Registry.mqttTopics(of: old.manifest) { replaced[old.name.site, default: [:]][topic, default: 0] += 1 }
        }
        let buckets = filter.firstLevelIsWildcard ? Array(topics.values) : [filter.firstLevel, "+", "#"].compactMap { topics[$0] }
        for bucket in buckets {
            for (other, served) in bucket where other != site {
                for (topic, count) in served where count > replaced[other]?[topic] ?? 0 {
                    if MQTTTopicFilter(topic)?.overlaps(filter) == true { return (other, topic) }
                }
            }
        }
        for (other, registration) in changedRegistrations where other != id {
            guard let registration, registration.name.site != site else { continue }
            for topic in Registry.mqttTopics(of: registration.manifest) where MQTTTopicFilter(topic)?.overlaps(filter) == true {
                return (registration.name.site, topic)
            }
        }
        return nil
    }

    /// Ids of registrations that offer `name`, pending changes included.
    func registrations(offering name: ServiceName) -> Set<String> {
        var ids = names.registrations(offering: name)
        for (id, registration) in changedRegistrations {
            ids.remove(id)
            if let registration, NameIndex.names(of: registration).contains(name) { ids.insert(id) }
        }
        return ids
    }
}
