/// The typed options of a detector: `Codable` so they decode from the policy and encode as its defaults, with
/// every property given a default by `init()`.
public protocol DetectorOptions: Codable, Sendable, Equatable {
    init()
}

/// The options of a detector that has none.
public struct NoOptions: DetectorOptions {
    public init() {}
}

/// A rule: a value built from its options that reads the project index and reports violations.
///
/// Conforming types are small structs, one per file, whose static `description` carries the rule's identity,
/// its documentation and its examples.
public protocol Detector: Sendable {
    associatedtype Options: DetectorOptions = NoOptions

    static var description: RuleDescription { get }

    init(options: Options)

    /// Reports every violation in the project. The engine attaches the rule's id, code and severity, drops
    /// violations outside the files being reported, and sorts the result.
    func detect(in context: DetectionContext) -> [Violation]
}

/// What a detector reads: the whole project's index and the policy's project-wide declarations.
public struct DetectionContext: Sendable {
    public var index: ProjectIndex
    public var settings: ProjectSettings

    public init(index: ProjectIndex, settings: ProjectSettings = ProjectSettings()) {
        self.index = index
        self.settings = settings
    }
}
