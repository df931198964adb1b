/// Runs async jobs one after another, in the order they were submitted (an actor alone would
/// interleave them at every `await`).
actor SerialWriter {
    private var tail: Task<Void, Never>?

    func run<T: Sendable>(_ job: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tail
        let task = Task {
            await previous?.value
            return try await job()
        }
        tail = Task { _ = try? await task.value }
        return try await task.value
    }
}
