import CanonCore

extension Engine {
    /// Maps `items` on `jobs` threads, keeping the input order in the output (see `concurrentMap`).
    public static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable (T) -> R) -> [R] {
        concurrentMap(items, jobs: jobs, transform)
    }
}
