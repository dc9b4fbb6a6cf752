import Foundation

/// A value shared between threads behind a lock.
///
/// It uses `NSLock` (a pthread mutex) rather than `Synchronization.Mutex`: the thread sanitizer models pthread
/// mutexes, but not the futex calls inside the precompiled `Mutex`, and reports false races on it.
public final class Locked<Value>: @unchecked Sendable {
    // Sendable is sound: `value` is private and only touched inside `withLock`, under `lock`.
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value; throws what `body` throws.
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
