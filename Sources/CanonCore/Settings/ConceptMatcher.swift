/// A concept of the policy with its pattern compiled: which symbol names are the concept.
public struct ConceptMatcher: Sendable {
    public let concept: Concept
    private let pattern: NamePatterns

    public init(_ concept: Concept) {
        self.concept = concept
        self.pattern = NamePatterns(concept.pattern.map { [$0] } ?? [])
    }

    /// Whether a symbol of this name is the concept: one of its `symbols`, or a full match of its `pattern`.
    public func matches(_ name: String) -> Bool { concept.symbols.contains(name) || pattern.matches(name) }
}
