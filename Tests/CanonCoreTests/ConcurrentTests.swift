import CanonCore
import Foundation
import Testing

@Suite struct ConcurrentTests {
    /// Results come back in the input's order whatever the number of threads, with items that take longer
    /// than others and results large enough to be moved by reference counting.
    @Test(arguments: [1, 2, 8])
    func mapKeepsTheInputOrder(jobs: Int) {
        let items = Array(0..<1_000)
        let mapped = concurrentMap(items, jobs: jobs) { item -> (Int, [String]) in
            if item % 97 == 0 { usleep(200) }
            return (item, [String(item), "x"])
        }
        #expect(mapped.map(\.0) == items)
        #expect(mapped.map(\.1) == items.map { [String($0), "x"] })
        #expect(concurrentMap([Int](), jobs: jobs) { $0 }.isEmpty)
    }

    /// The nils are left out and the rest keep their order; the output alone owns the results: every object
    /// lives while the output does and goes with it (a slot left holding a result would outlive it, one
    /// destroyed twice would crash).
    @Test(arguments: [1, 2, 8])
    func compactMapKeepsOrderAndOwnsEachResultOnce(jobs: Int) {
        final class Tracked: Sendable {
            let value: Int
            let alive: Locked<Int>
            init(_ value: Int, alive: Locked<Int>) {
                self.value = value
                self.alive = alive
                alive.withLock { $0 += 1 }
            }
            deinit { alive.withLock { $0 -= 1 } }
        }
        let alive = Locked(0)
        let items = Array(0..<1_000)
        do {
            let kept = concurrentCompactMap(items, jobs: jobs) { item -> [Tracked]? in
                if item % 97 == 0 { usleep(200) }
                return item % 3 == 0 ? nil : [Tracked(item, alive: alive)]
            }
            #expect(kept.map { $0[0].value } == items.filter { $0 % 3 != 0 })
            #expect(alive.withLock { $0 } == kept.count)
        }
        #expect(alive.withLock { $0 } == 0)
        #expect(concurrentCompactMap([Int](), jobs: jobs) { $0 }.isEmpty)
        #expect(concurrentCompactMap(items, jobs: jobs) { _ -> Int? in nil }.isEmpty)
    }

    /// Every item of a tree found as it goes (each node's children are known only once it is visited) is
    /// visited once, whatever the number of threads; on one thread, depth first, the items a visit returns
    /// taken last one first.
    @Test(arguments: [1, 2, 8])
    func expandVisitsEveryItemOnce(jobs: Int) {
        // Node n has children 4n+1 ... 4n+4 below 2,000: a tree of 2,000 nodes, some leaves slow.
        let states = concurrentExpand([0], jobs: jobs, state: { [Int]() }) { visited, node -> [Int] in
            visited.append(node)
            if node % 89 == 0 { usleep(300) }
            return (1...4).map { 4 * node + $0 }.filter { $0 < 2_000 }.reversed()
        }
        #expect(states.count == (jobs == 1 ? 1 : jobs))
        let all = states.flatMap { $0 }
        #expect(all.count == 2_000)
        #expect(Set(all) == Set(0..<2_000))
        if jobs == 1 {
            var expected: [Int] = []
            func preorder(_ node: Int) {
                expected.append(node)
                for child in (1...4).map({ 4 * node + $0 }) where child < 2_000 { preorder(child) }
            }
            preorder(0)
            #expect(all == expected)
        }
        #expect(concurrentExpand([Int](), jobs: jobs, state: { 0 }) { count, _ -> [Int] in
            count += 1
            return []
        }.reduce(0, +) == 0)
    }
}
