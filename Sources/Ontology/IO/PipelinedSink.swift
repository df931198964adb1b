import Dispatch
import Synchronization

/// Hands triples to a consumer on another thread in batches, so that producing them (parsing)
/// and consuming them (serializing, storing) run on two cores at once.
///
/// At most `maxBatchesInFlight` batches wait for the consumer, which bounds memory whatever the
/// size of the input. An error thrown by the consumer is rethrown by the next ``add(_:)`` or by
/// ``finish()``, and the remaining batches are dropped.
///
/// ```swift
/// let sink = PipelinedSink { batch in for triple in batch { try writer.write(triple) } }
/// try parser.parse(fileAtPath: path) { try sink.add($0) }
/// try sink.finish()
/// ```
public final class PipelinedSink: @unchecked Sendable {
    // @unchecked: `batch` is touched only by the producer thread, `consumer` only on `queue`
    // (one batch at a time, in order), and `failure` only under its mutex.
    private var batch: [Triple] = []
    private let batchSize: Int
    private let consumer: ([Triple]) throws -> Void
    private let queue = DispatchQueue(label: "registryd.pipelined-sink")
    private let slots: DispatchSemaphore
    private let failure = Mutex<(any Error)?>(nil)

    /// - Parameters:
    ///   - batchSize: how many triples travel together (amortizes the hand-over).
    ///   - maxBatchesInFlight: how many full batches may wait for the consumer.
    ///   - consumer: called on a background thread, one batch at a time, in order.
    public init(batchSize: Int = 4096, maxBatchesInFlight: Int = 4, consumer: @escaping ([Triple]) throws -> Void) {
        self.batchSize = batchSize
        self.consumer = consumer
        self.slots = DispatchSemaphore(value: maxBatchesInFlight)
        batch.reserveCapacity(batchSize)
    }

    /// Adds one triple; may block while the consumer catches up.
    @inline(__always)
    public func add(_ triple: Triple) throws {
        batch.append(triple)
        if batch.count >= batchSize { try send() }
    }

    /// Sends what is left, waits until the consumer has taken everything, and rethrows its error.
    public func finish() throws {
        try send()
        queue.sync {}
        if let error = failure.withLock({ $0 }) { throw error }
    }

    private func send() throws {
        if let error = failure.withLock({ $0 }) { throw error }
        guard !batch.isEmpty else { return }
        let full = batch
        batch = []
        batch.reserveCapacity(batchSize)
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard failure.withLock({ $0 == nil }) else { return }
            do {
                try consumer(full)
            } catch {
                failure.withLock { $0 = error }
            }
        }
    }
}
