import Foundation

/// A fixed set of threads for work that blocks: SQLite reads that run for seconds or wait for a
/// reader connection.
///
/// Such work must not run on Dispatch's global queues: on Linux the Swift concurrency runtime
/// schedules tasks on those same threads, so a few long reads there stall every task of the
/// process, request handlers and `/health` included (seen: `/health` taking 25 s behind 40
/// SPARQL queries that were timing out). Here at most `threads` reads run at once, the rest wait
/// in order, and the async callers are suspended, not blocking anything.
final class BlockingThreadPool: @unchecked Sendable {
    // @unchecked: `jobs`, `head` and `stopped` are only touched with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var stopped = false

    init(threads: Int, name: String) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in self.work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Queues `job`; it runs on one of the pool's threads, in submission order. After
    /// ``shutdown()`` it runs at once on the caller's thread (a closed store's reads fail fast).
    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        if stopped {
            condition.unlock()
            job()
            return
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads finish the queued jobs and exit.
    func shutdown() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count && !stopped { condition.wait() }
            guard head < jobs.count else {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}
