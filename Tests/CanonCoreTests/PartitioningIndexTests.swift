import CanonCore
import Testing

@Suite struct PartitioningIndexTests {
    @Test(arguments: [[Int](), [1], [1, 1, 1], [1, 2, 2, 3, 5, 8, 8, 8, 13], Array(0..<100).map { $0 / 3 }])
    func givesTheBoundsALinearSearchGives(sorted: [Int]) {
        for x in -1...(sorted.last ?? 0) + 1 {
            #expect(sorted.partitioningIndex { $0 >= x } == (sorted.firstIndex { $0 >= x } ?? sorted.endIndex))
            #expect(sorted.partitioningIndex { $0 > x } == (sorted.firstIndex { $0 > x } ?? sorted.endIndex))
        }
    }

    @Test func searchesASliceByItsOwnIndices() {
        let slice = [9, 1, 4, 6, 9, 0][1..<5]
        #expect(slice.partitioningIndex { $0 >= 5 } == 3)
        #expect(slice.partitioningIndex { $0 >= 10 } == 5)
        #expect(slice.partitioningIndex { _ in true } == 1)
    }
}
