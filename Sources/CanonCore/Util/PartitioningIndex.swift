extension RandomAccessCollection {
    /// The first index whose element `belongs` to the second part, in a collection that is partitioned by it
    /// (every element for which it is false comes before every element for which it is true); `endIndex` when
    /// none does. A binary search: over a sorted collection, `{ $0 >= x }` gives the lower bound of `x` and
    /// `{ $0 > x }` its upper bound.
    @inlinable
    public func partitioningIndex(where belongs: (Element) throws -> Bool) rethrows -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if try belongs(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}
