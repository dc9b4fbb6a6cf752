import Foundation

/// A structure computed from a project index that several rules read (a class hierarchy, a name resolver):
/// `DetectionContext.derived(_:)` builds it once per index and hands the same value to every rule, so rules that
/// run at the same time do not each build their own.
///
/// It must depend only on the index's files, never on `reportedPaths`.
public protocol IndexDerived: Sendable {
    init(index: ProjectIndex)
}

/// A derived value that can follow a one-file change of its index (`ProjectIndex.replace`), so a server
/// checking one edited file does not build it again from the whole project.
public protocol FollowsFileChanges: Sendable {
    /// This value for `index`: the index it was built from with `old` replaced by `new` (same path and
    /// module). Nil when the change reaches too far; the value is then built again.
    func replacing(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) -> Self?

    /// `replacing(_:with:in:)` in place, so that a value nothing else holds is not copied; false when the
    /// value must be built again. By default it calls `replacing(_:with:in:)`.
    mutating func replace(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) -> Bool

    /// Lets go of the index this value was built from (a copy it keeps to read), before that index changes
    /// and `replace(_:with:in:)` is called with the new one: an index nothing else holds is updated in
    /// place rather than copied. By default it does nothing.
    mutating func detach()
}

extension FollowsFileChanges {
    public mutating func detach() {}

    public mutating func replace(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) -> Bool {
        guard let next = replacing(old, with: new, in: index) else { return false }
        self = next
        return true
    }
}

/// An `IndexDerived` value that can follow a one-file change of its index.
public protocol IncrementallyDerived: IndexDerived, FollowsFileChanges {}

/// A structure computed from a project index and some parameters (a rule's options), such as the import
/// graph a rule reads as its options shape it: `DetectionContext.derived(_:parameters:)` builds one per index
/// and parameters, and a server carries it over one-file changes as it does `IncrementallyDerived` values.
///
/// It must depend only on the index's files and the parameters, never on `reportedPaths`.
public protocol ParameterizedDerived: FollowsFileChanges {
    associatedtype Parameters: Hashable & Sendable
    init(index: ProjectIndex, parameters: Parameters)
}

/// The values derived from one index, each built once, on first request. A store can be carried over to the
/// index that replaces one file of its own (`replacing(_:with:)`), keeping what can follow the change.
public final class DerivedValues: @unchecked Sendable {
    // Sendable is sound: `slots` is only read or written while `lock` is held, and each slot's value only
    // while the slot's own lock is held (see `Slot`).
    private let lock = NSLock()
    private var slots: [Key: Slot] = [:]

    /// A value's type, and the parameters it was built with (nil for an `IndexDerived` value).
    private struct Key: Hashable {
        var type: ObjectIdentifier
        var parameters: AnyHashable?
    }

    /// One value and the lock that its first builder holds while building it, so that a second rule asking
    /// at the same time waits for it rather than building it again. A carried-over slot holds how to update
    /// the previous value instead, run on first request like a build.
    private final class Slot: @unchecked Sendable {
        // Sendable is sound: `value` and `pending` are only read or written while `lock` is held.
        let lock = NSLock()
        var value: (any Sendable)?
        var pending: (@Sendable (ProjectIndex) -> (any Sendable)?)?
    }

    /// An empty store.
    public init() {}

    func value<T: IndexDerived>(_ type: T.Type, index: ProjectIndex) -> T {
        value(Key(type: ObjectIdentifier(type), parameters: nil), index: index) { T(index: index) }
    }

    func value<T: ParameterizedDerived>(_ type: T.Type, parameters: T.Parameters, index: ProjectIndex) -> T {
        value(Key(type: ObjectIdentifier(type), parameters: AnyHashable(parameters)), index: index) {
            T(index: index, parameters: parameters)
        }
    }

    private func value<T: Sendable>(_ key: Key, index: ProjectIndex, build: () -> T) -> T {
        lock.lock()
        let slot: Slot
        if let existing = slots[key] {
            slot = existing
        } else {
            slot = Slot()
            slots[key] = slot
        }
        lock.unlock()
        slot.lock.lock()
        defer { slot.lock.unlock() }
        if let value = slot.value as? T { return value }
        if let pending = slot.pending {
            slot.pending = nil
            if let value = pending(index) as? T {
                slot.value = value
                return value
            }
        }
        let value = build()
        slot.value = value
        return value
    }

    /// A store for the index that is this one's with `old` replaced by `new` (call it before the index
    /// changes, so the values let go of it first): each value built so far that is
    /// `FollowsFileChanges` is updated on first request, from the value here; the
    /// others are built again. The values are moved out of this store (which builds them again if it is
    /// still asked for them), so that updating one in place does not copy it.
    public func replacing(_ old: FileFacts, with new: FileFacts) -> DerivedValues {
        let next = DerivedValues()
        lock.lock()
        let current = slots
        lock.unlock()
        for (key, slot) in current {
            slot.lock.lock()
            defer { slot.lock.unlock() }
            // A value never requested since the last change is left to be built when it is.
            let carried = Slot()
            guard let value = slot.value as? any FollowsFileChanges else { continue }
            carried.pending = Self.carry(value, old, new)
            slot.value = nil
            next.slots[key] = carried
        }
        return next
    }

    private static func carry<T: FollowsFileChanges>(_ value: T, _ old: FileFacts, _ new: FileFacts) -> @Sendable (ProjectIndex) -> (any Sendable)? {
        var value = value
        value.detach()
        let moved = Moved(value)
        return { index in moved.update { $0.replace(old, with: new, in: index) } }
    }

    /// A value on its way to the store that follows a change, held only here so it can be updated in place.
    private final class Moved<T: Sendable>: @unchecked Sendable {
        // Sendable is sound: `value` is only read or written by `update`, which the one pending closure
        // holding this object calls at most once, under its slot's lock.
        private var value: T?

        init(_ value: T) { self.value = value }

        func update(_ change: (inout T) -> Bool) -> (any Sendable)? {
            guard var updated = value else { return nil }
            value = nil
            return change(&updated) ? updated : nil
        }
    }
}

/// A value built on first use by whichever thread asks first; threads asking meanwhile wait for it. Asked for on
/// another thread at once, it is built there while its owner goes on (the symbol table, the default policy).
package final class Lazy<Value: Sendable>: @unchecked Sendable {
    // Sendable is sound: `value` and `build` are only read or written while `lock` is held; `build` is
    // Sendable and dropped once it has run.
    private let lock = NSLock()
    private var built: Value?
    private var build: (@Sendable () -> Value)?

    package init(_ build: @escaping @Sendable () -> Value) {
        self.build = build
    }

    /// The value if it has been built, without building it.
    var ifBuilt: Value? {
        lock.lock()
        defer { lock.unlock() }
        return built
    }

    /// The value if it has been built, moved out so that the caller holds the only copy; this `Lazy` then
    /// builds it again with `rebuild` if it is asked for it.
    func take(rebuilding rebuild: @escaping @Sendable () -> Value) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        guard let taken = built else { return nil }
        built = nil
        build = rebuild
        return taken
    }

    /// Changes the value in place if it has been built; does nothing otherwise.
    func modifyIfBuilt(_ change: (inout Value) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        if built != nil { change(&built!) }
    }

    package var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let value = build!()
        built = value
        build = nil
        return value
    }
}
