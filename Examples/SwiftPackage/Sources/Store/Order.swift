/// An order, as the store keeps it.
public struct Order: Sendable {
    public var id: Int

    public init(id: Int) {
        self.id = id
    }
}
