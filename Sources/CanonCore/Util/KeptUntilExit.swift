/// Keeps `value` alive until the process exits, never freeing it. For the large values of a command-line run
/// that ends right after using them (a scan's facts, index and findings): the system takes their memory back
/// at once at exit, where freeing them object by object cost a tenth of a large scan.
public func keepUntilExit<Value>(_ value: Value) {
    _ = Unmanaged.passRetained(KeptUntilExit(value))
}

private final class KeptUntilExit<Value> {
    let value: Value

    init(_ value: Value) { self.value = value }
}
