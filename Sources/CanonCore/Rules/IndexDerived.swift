import Foundation

/// A structure computed from a project index that several rules read (a class hierarchy, a name resolver):
/// `DetectionContext.derived(_:)` builds it once per index and hands the same value to every rule, so rules that
/// run at the same time do not each build their own.
///
/// It must depend only on the index's files, never on `reportedPaths`.
public protocol IndexDerived: Sendable {
    init(index: ProjectIndex)
}

/// The values derived from one index, each built once, on first request.
final class DerivedValues: @unchecked Sendable {
    // Sendable is sound: `slots` is only read or written while `lock` is held, and each slot's value only
    // while the slot's own lock is held (see `Slot`).
    private let lock = NSLock()
    private var slots: [ObjectIdentifier: Slot] = [:]

    /// One value and the lock that its first builder holds while building it, so that a second rule asking
    /// at the same time waits for it rather than building it again.
    private final class Slot: @unchecked Sendable {
        // Sendable is sound: `value` is only read or written while `lock` is held.
        let lock = NSLock()
        var value: (any Sendable)?
    }

    func value<T: IndexDerived>(_ type: T.Type, index: ProjectIndex) -> T {
        lock.lock()
        let slot: Slot
        if let existing = slots[ObjectIdentifier(type)] {
            slot = existing
        } else {
            slot = Slot()
            slots[ObjectIdentifier(type)] = slot
        }
        lock.unlock()
        slot.lock.lock()
        defer { slot.lock.unlock() }
        if let value = slot.value as? T { return value }
        let value = T(index: index)
        slot.value = value
        return value
    }
}

/// A value built on first use by whichever thread asks first; threads asking meanwhile wait for it.
final class Lazy<Value: Sendable>: @unchecked Sendable {
    // Sendable is sound: `value` and `build` are only read or written while `lock` is held; `build` is
    // Sendable and dropped once it has run.
    private let lock = NSLock()
    private var built: Value?
    private var build: (@Sendable () -> Value)?

    init(_ build: @escaping @Sendable () -> Value) {
        self.build = build
    }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let value = build!()
        built = value
        build = nil
        return value
    }
}
