extension Array {
    /// The elements sorted by `areInIncreasingOrder`; the array itself, not a sorted copy, when one pass finds
    /// them in order already, as lists built in path order mostly are (copying thousands of findings or classes
    /// to sort them again cost more than the check).
    @inlinable
    public func sortedIfNeeded(by areInIncreasingOrder: (Element, Element) -> Bool) -> [Element] {
        zip(self, dropFirst()).allSatisfy { !areInIncreasingOrder($1, $0) } ? self : sorted(by: areInIncreasingOrder)
    }
}

extension Array where Element: Comparable {
    /// The elements sorted; the array itself when they already are (see `sortedIfNeeded(by:)`).
    @inlinable
    public func sortedIfNeeded() -> [Element] { sortedIfNeeded(by: <) }
}
