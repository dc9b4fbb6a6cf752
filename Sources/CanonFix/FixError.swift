/// Why one file's fixes were not applied. The run goes on with the other files.
public struct FixFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what happens next, said of the file (`is read-only; left as it is`).
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
