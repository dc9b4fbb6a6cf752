import Dispatch

/// Maps `items` on `jobs` threads, keeping the input order in the output. Workers take the next item from a
/// shared counter, so a slow item does not hold up the rest.
public func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable (T) -> R) -> [R] {
    let parts = concurrentWorkers(items, jobs: jobs, state: { () }, { _, item in transform(item) }, finish: { _, done in done })
    // Each result put in its place: sorting them by offset moved large results around generically, which
    // took longer than the work itself on a cached scan.
    var placed = [R?](repeating: nil, count: items.count)
    for part in parts {
        for (index, result) in part { placed[index] = result }
    }
    return placed.map { $0! }
}

/// Runs `body` over `items` on `jobs` threads, each thread with a `State` of its own made by `state` (a
/// memo, say) that `body` may change; when a thread runs out of items, `finish` sums up its state and what
/// `body` returned for its items (with their offsets in `items`). Returns one summary per thread, in no set
/// order. Items are handed out one at a time from a shared counter, so a slow one does not hold up the rest.
public func concurrentWorkers<Item: Sendable, State, Result, Summary: Sendable>(
    _ items: [Item], jobs: Int, state: @Sendable () -> State, _ body: @Sendable (inout State, Item) -> Result,
    finish: @Sendable (State, [(index: Int, result: Result)]) -> Summary
) -> [Summary] {
    let workers = min(max(1, jobs), items.count)
    guard workers > 1 else {
        var local = state()
        let done = items.enumerated().map { (index: $0.offset, result: body(&local, $0.element)) }
        return [finish(local, done)]
    }
    let next = Locked(0)
    let summaries = Locked([Summary]())
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        var local = state()
        var done: [(index: Int, result: Result)] = []
        while true {
            let index = next.withLock { value -> Int in
                defer { value += 1 }
                return value
            }
            guard index < items.count else { break }
            done.append((index, body(&local, items[index])))
        }
        let summary = finish(local, done)
        summaries.withLock { $0.append(summary) }
    }
    return summaries.withLock { $0 }
}
