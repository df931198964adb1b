#if canImport(Glibc)
import Glibc
#endif

/// How many malloc arenas the daemon's threads share.
///
/// glibc gives threads up to eight arenas per core, and an arena's freed memory mostly stays
/// in the process. The daemon's threads (event loops, Swift's pool, store readers, the writer)
/// each come to fill their own arena to its high-water mark, so resident memory rises for
/// minutes under a steady load. In a first pair of 10-minute soaks (`bench/soak.py`) growth
/// after warm-up was +13.3% with 16 arenas and +6.5% with two; later runs with two varied from
/// +5.3% to +15% (RELIABILITY.md §3), so this narrows the growth without settling it.
enum MallocArenas {
    static let daemonLimit: Int32 = 2
    /// `M_ARENA_MAX` of `<malloc.h>`, which the Glibc module does not import.
    private static let arenaMaxParameter: Int32 = -8

    /// Limits the arenas, unless `MALLOC_ARENA_MAX` is set in the environment (glibc then
    /// already applied the operator's choice). Call before the daemon starts its threads.
    static func limitForDaemon() {
        #if canImport(Glibc)
        guard getenv("MALLOC_ARENA_MAX") == nil,
              let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMaxParameter, daemonLimit)
        #endif
    }
}
