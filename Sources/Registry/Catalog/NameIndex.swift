/// Which registrations offer each name: service names, virtual object names and the full
/// names of methods and channels.
struct NameIndex: Sendable {
    private(set) var ids: [ServiceName: Set<String>] = [:]

    static func names(of registration: Registration) -> Set<ServiceName> {
        var names: Set<ServiceName> = [registration.manifest.name]
        for object in registration.manifest.objects { names.insert(object.name) }
        for operation in registration.manifest.operations { names.insert(operation.name) }
        return names
    }

    mutating func add(_ registration: Registration) {
        for name in Self.names(of: registration) { ids[name, default: []].insert(registration.id) }
    }

    mutating func remove(_ registration: Registration) {
        for name in Self.names(of: registration) {
            ids[name]?.remove(registration.id)
            if ids[name]?.isEmpty == true { ids[name] = nil }
        }
    }

    func registrations(offering name: ServiceName) -> Set<String> {
        ids[name] ?? []
    }
}
