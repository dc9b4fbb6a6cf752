/// A value behind one reference, shared by the copies of the struct that holds it until one of them changes
/// it (copy on write, as an array's elements are): for values with many strings and lists that are copied far
/// more often than changed, such as a file's facts and a finding, where a copy retained, and later released,
/// each of their references.
///
/// The holder reads through `value` and changes through `unique(_:)`, which copies the box first when another
/// holder shares it.
@usableFromInline final class CopyOnWrite<Value>: @unchecked Sendable {
    // Sendable is sound: a box is changed only through `unique(_:)`, which returns it only when
    // `isKnownUniquelyReferenced` found the caller its only holder (else it is copied first); so a box that two
    // holders, or two threads, can see is never changed. Exclusivity is left unchecked for the same reason: no
    // access to a box overlaps a change of it, and a checked one cost a call on each read.
    @usableFromInline @exclusivity(unchecked) var value: Value

    @inlinable init(_ value: Value) {
        self.value = value
    }

    /// `box`, made its holder's own first (a copy of the value in a new box) if another holder shares it: for a
    /// change.
    @inlinable static func unique(_ box: inout CopyOnWrite) -> CopyOnWrite {
        if !isKnownUniquelyReferenced(&box) { box = CopyOnWrite(box.value) }
        return box
    }
}
