import Dispatch

extension Engine {
    /// Maps `items` on `jobs` threads, keeping the input order in the output. Workers take the next item from a
    /// shared counter, so a slow item does not hold up the rest.
    public static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable (T) -> R) -> [R] {
        let workers = min(max(1, jobs), items.count)
        guard workers > 1 else { return items.map(transform) }
        let next = Locked(0)
        let results = Locked([(Int, R)]())
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var local: [(Int, R)] = []
            while true {
                let index = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard index < items.count else { break }
                local.append((index, transform(items[index])))
            }
            results.withLock { $0.append(contentsOf: local) }
        }
        return results.withLock { $0 }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
