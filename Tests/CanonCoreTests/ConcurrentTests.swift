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
}
