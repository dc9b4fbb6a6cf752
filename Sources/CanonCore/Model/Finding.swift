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
    /// The stored fields, kept in a `CopyOnWrite` box: findings are copied as they are gathered, kept, sorted and
    /// superseded. Its equality, hash and coding are the finding's.
    @usableFromInline struct Fields: Sendable, Hashable, Codable {
        @usableFromInline var rule: String
        @usableFromInline var code: String
        @usableFromInline var severity: Severity
        @usableFromInline var location: SourceLocation
        @usableFromInline var message: String
        @usableFromInline var subject: String
        @usableFromInline var related: [RelatedLocation]
        @usableFromInline var fingerprint: String?
        @usableFromInline var lineHash: String?
        @usableFromInline var fix: Fixability?
    }

    @usableFromInline var box: CopyOnWrite<Fields>

    /// The fields, to change: copied first if another value shares them.
    @inlinable var unique: Fields {
        @inline(__always) _read { yield box.value }
        _modify { yield &CopyOnWrite.unique(&box).value }
    }

    /// The id of the rule that reported it.
    @inlinable public var rule: String {
        @inline(__always) get { box.value.rule }
        _modify { yield &unique.rule }
    }
    /// The rule's short code.
    @inlinable public var code: String {
        @inline(__always) get { box.value.code }
        _modify { yield &unique.code }
    }
    /// How severe it is, as the policy configures its rule.
    @inlinable public var severity: Severity {
        @inline(__always) get { box.value.severity }
        _modify { yield &unique.severity }
    }
    /// Where it is.
    @inlinable public var location: SourceLocation {
        @inline(__always) get { box.value.location }
        _modify { yield &unique.location }
    }
    /// What is wrong, and what to do.
    @inlinable public var message: String {
        @inline(__always) get { box.value.message }
        _modify { yield &unique.message }
    }
    /// The symbol, qualified name or module it is about, for fingerprints.
    @inlinable public var subject: String {
        @inline(__always) get { box.value.subject }
        _modify { yield &unique.subject }
    }
    /// Other places the finding refers to.
    @inlinable public var related: [RelatedLocation] {
        @inline(__always) get { box.value.related }
        _modify { yield &unique.related }
    }
    /// The line-independent identity of the finding (see `Fingerprint`); set by the engine from the file's text.
    @inlinable public var fingerprint: String? {
        @inline(__always) get { box.value.fingerprint }
        _modify { yield &unique.fingerprint }
    }
    /// GitHub's `primaryLocationLineHash` of the finding's first line (see `LineHash`); set by the engine.
    @inlinable public var lineHash: String? {
        @inline(__always) get { box.value.lineHash }
        _modify { yield &unique.lineHash }
    }
    /// How the finding can be fixed, or why it cannot; nil when its rule offers no fixes.
    @inlinable public var fix: Fixability? {
        @inline(__always) get { box.value.fix }
        _modify { yield &unique.fix }
    }

    /// Whether `canon fix` can fix it.
    public var isFixable: Bool { fix?.isFixable ?? false }

    public init(
        rule: String, code: String, severity: Severity, location: SourceLocation, message: String,
        subject: String, related: [RelatedLocation] = [], fingerprint: String? = nil, lineHash: String? = nil,
        fix: Fixability? = nil
    ) {
        box = CopyOnWrite(
            Fields(
                rule: rule, code: code, severity: severity, location: location, message: message, subject: subject,
                related: related, fingerprint: fingerprint, lineHash: lineHash, fix: fix))
    }

    public static func < (lhs: Finding, rhs: Finding) -> Bool {
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        if lhs.rule != rhs.rule { return lhs.rule < rhs.rule }
        return lhs.message < rhs.message
    }

    public static func == (lhs: Finding, rhs: Finding) -> Bool { lhs.box === rhs.box || lhs.box.value == rhs.box.value }

    public func hash(into hasher: inout Hasher) { box.value.hash(into: &hasher) }

    public init(from decoder: any Decoder) throws { box = CopyOnWrite(try Fields(from: decoder)) }

    public func encode(to encoder: any Encoder) throws { try box.value.encode(to: encoder) }
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
