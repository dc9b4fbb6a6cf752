import Canon

/// Scans an in-memory tree with `rules` enabled (each with its options), under `policy`'s top-level sections.
func scan(_ files: [String: String], rules: [String], policy: String = "", options: [String: String] = [:]) throws -> ScanResult {
    try ExampleRunner(registry: BuiltinRules.registry()).scan(
        files.map { ($0.key, Array($0.value.utf8)) }, policy: policy,
        rules: Dictionary(uniqueKeysWithValues: rules.map { ($0, options[$0] ?? "") }))
}

extension Finding {
    /// `path:line:column rule`, for compact expectations.
    var spot: String { "\(location.path):\(location.range.line):\(location.range.column) \(rule)" }
}
