import Dispatch
import Foundation

/// Maps `items` on `jobs` threads, keeping the input order in the output. Workers take the next item from a
/// shared counter, so a slow item does not hold up the rest.
public func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable (T) -> R) -> [R] {
    let workers = min(max(1, jobs), items.count)
    guard workers > 1 else { return items.map(transform) }
    // Each result is made in its place in the output: gathered per thread and put in place after, every result
    // was copied twice and destroyed twice on the calling thread, which for a file's facts (twenty-odd
    // references) took longer than the work itself on a cached scan.
    return [R](unsafeUninitializedCapacity: items.count) { buffer, initialized in
        let slots = Slots(base: buffer.baseAddress!)
        let next = Locked(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            takeEach(of: items, from: next) { index, item in (slots.base + index).initialize(to: transform(item)) }
        }
        initialized = items.count
    }
}

/// Maps `items` on `jobs` threads as `concurrentMap` does, leaving out the nils; the results are moved, not
/// copied, into the output.
public func concurrentCompactMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable (T) -> R?) -> [R] {
    var mapped = concurrentMap(items, jobs: jobs, transform)
    // No room is made for nothing: an array made with none is the shared empty one, whose count
    // `unsafeUninitializedCapacity` would write from several threads at once.
    guard !mapped.isEmpty else { return [] }
    return mapped.withUnsafeMutableBufferPointer { slots in
        let all = [R](unsafeUninitializedCapacity: slots.count) { buffer, initialized in
            for index in slots.indices {
                if let value = slots.moveElement(from: index) {
                    buffer.initializeElement(at: initialized, to: value)
                    initialized += 1
                }
            }
        }
        // The slots were moved from; they are filled with nil again for the array to destroy.
        slots.initialize(repeating: nil)
        return all
    }
}

/// The output buffer of `concurrentMap`, handed to its workers.
private struct Slots<R>: @unchecked Sendable {
    // Sendable is sound: each offset is taken from the locked counter by one worker only, so no two threads write
    // one slot, and the buffer is read only after `concurrentPerform` has returned, when every worker is done.
    let base: UnsafeMutablePointer<R>
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
        takeEach(of: items, from: next) { index, item in done.append((index, body(&local, item))) }
        let summary = finish(local, done)
        summaries.withLock { $0.append(summary) }
    }
    return summaries.withLock { $0 }
}

/// Calls `body` with each item no other worker has taken, and its offset, taking offsets one at a time from the
/// shared counter `next`. Items are read in place from the array's buffer: read through the array's subscript,
/// a file's facts were copied (twenty-odd retains, as many releases) for each call.
private func takeEach<Item>(of items: [Item], from next: Locked<Int>, _ body: (_ index: Int, _ item: Item) -> Void) {
    items.withUnsafeBufferPointer { items in
        while true {
            let index = next.withLock { value -> Int in
                defer { value += 1 }
                return value
            }
            guard index < items.count else { return }
            body(index, items[index])
        }
    }
}

/// Runs `body` on each of `roots` and on every item it returns, until none is left, on `jobs` threads (a walk
/// of a tree whose branches are found as it goes). Each thread keeps a `State` made by `state` that `body` may
/// change; the states are returned, one per thread, in no set order. Items wait on one stack, the last added
/// taken first: on one thread the walk is depth first, taking the items `body` returns last one first.
public func concurrentExpand<Item: Sendable, State: Sendable>(
    _ roots: [Item], jobs: Int, state: @Sendable () -> State, _ body: @Sendable (inout State, Item) -> [Item]
) -> [State] {
    guard jobs > 1 else {
        var local = state()
        var stack = roots
        while let item = stack.popLast() { stack.append(contentsOf: body(&local, item)) }
        return [local]
    }
    let work = WorkStack(roots)
    let states = Locked([State]())
    DispatchQueue.concurrentPerform(iterations: jobs) { _ in
        var local = state()
        while let item = work.take() { work.finish(adding: body(&local, item)) }
        states.withLock { $0.append(local) }
    }
    return states.withLock { $0 }
}

/// The items of `concurrentExpand` waiting to be taken, and how many threads are working on one: a thread
/// finding none waits while another may still add some.
private final class WorkStack<Item: Sendable>: @unchecked Sendable {
    // Sendable is sound: `items` and `busy` are only read or written while `condition` is locked.
    private let condition = NSCondition()
    private var items: [Item]
    private var busy = 0

    init(_ items: [Item]) { self.items = items }

    /// The next item; nil once the stack is empty and no thread is working on one.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty {
            if busy == 0 { return nil }
            condition.wait()
        }
        busy += 1
        return items.removeLast()
    }

    /// Ends the work on an item, adding the items it gave.
    func finish(adding found: [Item]) {
        condition.lock()
        defer { condition.unlock() }
        items.append(contentsOf: found)
        busy -= 1
        if !found.isEmpty || busy == 0 { condition.broadcast() }
    }
}
