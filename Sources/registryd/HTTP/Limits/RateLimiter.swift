import Foundation
import Synchronization

/// Per-caller token buckets (`--rate-limit` requests per second with `--rate-burst`): each
/// caller, a token or an anonymous client's address, may spend `burst` requests at once and
/// regains `rate` per second.
final class RateLimiter: Sendable {
    let rate: Double
    let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = Double(max(1, burst))
    }

    /// Spends one request of `caller`'s allowance; nil when allowed, else the seconds until one
    /// is available again.
    func spend(_ caller: String, now: Double = Date().timeIntervalSince1970) -> Double? {
        buckets.withLock { buckets in
            var bucket = buckets[caller] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, now - bucket.updated) * rate)
            bucket.updated = now
            defer {
                buckets[caller] = bucket
                // Idle callers' buckets are full again; forgetting them keeps the map bounded.
                if buckets.count > 10_000 { buckets = buckets.filter { now - $0.value.updated < burst / rate } }
            }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) / rate }
            bucket.tokens -= 1
            return nil
        }
    }
}
