/// An error in assembling a registry.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateIdentifier(String)
    case invalidCode(rule: String, code: String)

    public var description: String {
        switch self {
        case .duplicateIdentifier(let id):
            "two detectors claim the rule id or code '\(id)'; give each detector its own id and code"
        case .invalidCode(let rule, let code):
            "rule '\(rule)' has code '\(code)', which is not its family prefix followed by three digits"
        }
    }
}

/// What a scan can use: the detectors it can run and the front ends that read its files. An immutable value,
/// built once and passed where it is needed.
public struct Registry: Sendable {
    /// The detector types, sorted by rule id.
    public let detectors: [any Detector.Type]
    /// The front ends, in the order they are asked whether they read a file; empty leaves the choice to the
    /// engine, whose default reads Python.
    public let frontEnds: [any FrontEnd]
    private let byKey: [String: Int]

    /// Builds a registry; ids and codes must be unique and codes well formed.
    public init(_ detectors: [any Detector.Type], frontEnds: [any FrontEnd] = []) throws(RegistryError) {
        let sorted = detectors.sorted { $0.description.id < $1.description.id }
        var byKey: [String: Int] = [:]
        for (offset, detector) in sorted.enumerated() {
            let description = detector.description
            let digits = description.code.dropFirst(description.family.codePrefix.count)
            guard description.code.hasPrefix(description.family.codePrefix), digits.count == 3,
                digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber)
            else { throw .invalidCode(rule: description.id, code: description.code) }
            for key in [description.id, description.code] {
                guard byKey.updateValue(offset, forKey: key) == nil else { throw .duplicateIdentifier(key) }
            }
        }
        self.detectors = sorted
        self.frontEnds = frontEnds
        self.byKey = byKey
    }

    /// A registry with more detectors added, such as a team's own beside the built-ins, and the same front ends.
    public func adding(_ more: [any Detector.Type]) throws(RegistryError) -> Registry {
        try Registry(detectors + more, frontEnds: frontEnds)
    }


    public var descriptions: [RuleDescription] { detectors.map { $0.description } }

    /// The detector whose id or code is `key`.
    public func detector(for key: String) -> (any Detector.Type)? {
        byKey[key].map { detectors[$0] }
    }

    /// All ids and codes, for suggestions.
    public var keys: [String] { byKey.keys.sorted() }
}
