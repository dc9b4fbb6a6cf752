/// A place that another finding refers to, such as the other definitions of a duplicated class.
public struct RelatedLocation: Sendable, Hashable, Codable {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }
}

/// What a detector reports: a location, a message and optional related places, before the engine attaches
/// the rule's identity and configured severity.
public struct Violation: Sendable, Hashable {
    public var location: SourceLocation
    public var message: String
    public var related: [RelatedLocation]
    /// The subject of the finding (a symbol, qualified name or module), used for fingerprints.
    public var subject: String
    /// A severity that overrides the rule's configured one, for sites a rule always reports more softly.
    public var severityOverride: Severity?
    /// How the violation can be fixed, or why it cannot; nil when the rule offers no fixes.
    public var fix: Fixability?

    public init(
        location: SourceLocation, message: String, subject: String, related: [RelatedLocation] = [],
        severityOverride: Severity? = nil, fix: Fixability? = nil
    ) {
        self.location = location
        self.message = message
        self.subject = subject
        self.related = related
        self.severityOverride = severityOverride
        self.fix = fix
    }
}

/// One reported problem. Findings are sorted by path, line, column and rule before any reporter sees them.
public struct Finding: Sendable, Hashable, Codable, Comparable {
    public var rule: String
    public var code: String
    public var severity: Severity
    public var location: SourceLocation
    public var message: String
    public var subject: String
    public var related: [RelatedLocation]
    /// The line-independent identity of the finding (see `Fingerprint`); set by the engine from the file's text.
    public var fingerprint: String?
    /// GitHub's `primaryLocationLineHash` of the finding's first line (see `LineHash`); set by the engine.
    public var lineHash: String?
    /// How the finding can be fixed, or why it cannot; nil when its rule offers no fixes.
    public var fix: Fixability?

    /// Whether `canon fix` can fix it.
    public var isFixable: Bool { fix?.isFixable ?? false }

    public init(
        rule: String, code: String, severity: Severity, location: SourceLocation, message: String,
        subject: String, related: [RelatedLocation] = [], fingerprint: String? = nil, lineHash: String? = nil,
        fix: Fixability? = nil
    ) {
        self.rule = rule
        self.code = code
        self.severity = severity
        self.location = location
        self.message = message
        self.subject = subject
        self.related = related
        self.fingerprint = fingerprint
        self.lineHash = lineHash
        self.fix = fix
    }

    public static func < (lhs: Finding, rhs: Finding) -> Bool {
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        if lhs.rule != rhs.rule { return lhs.rule < rhs.rule }
        return lhs.message < rhs.message
    }
}

/// A rule and where it reported: what tells findings apart in practice, hashed in a few instructions where a
/// whole finding (its related locations and messages too) took thousands. Used to find a finding's fixes and
/// the findings a more specific rule supersedes.
public struct FindingSpot: Sendable, Hashable {
    public let rule: String
    public let location: SourceLocation

    public init(rule: String, location: SourceLocation) {
        self.rule = rule
        self.location = location
    }

    public init(_ finding: Finding) { self.init(rule: finding.rule, location: finding.location) }
}

/// A file that could not be read or parsed. The scan goes on without it.
public struct FileError: Sendable, Hashable, Codable, Comparable, Error {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(path: String, line: Int, column: Int = 1, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public static func < (lhs: FileError, rhs: FileError) -> Bool {
        (lhs.path, lhs.line, lhs.column, lhs.message) < (rhs.path, rhs.line, rhs.column, rhs.message)
    }
}

/// A file the scanner passed over on purpose (binary, too large, unreadable), reported as a notice.
public struct SkippedFile: Sendable, Hashable, Codable, Comparable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public static func < (lhs: SkippedFile, rhs: SkippedFile) -> Bool { (lhs.path, lhs.reason) < (rhs.path, rhs.reason) }
}
