import CanonCore

/// A JSON value with deterministic rendering (keys sorted, two-space indentation), for the policy schema.
public indirect enum JSONValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral
{
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }

    /// The value as JSON text, keys sorted, ending without a newline.
    public func rendered(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return Self.quoted(value)
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            if items.allSatisfy(\.isScalar) { return "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]" }
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let entries):
            guard !entries.isEmpty else { return "{}" }
            return "{\n" + entries.keys.sorted().map { "\(inner)\(Self.quoted($0)): \(entries[$0]!.rendered(indent: inner))" }
                .joined(separator: ",\n") + "\n\(indent)}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// The JSON Schema of the policy file, generated from the policy model: the top-level keys the loader reads,
/// the project sections with their keys, and every registered rule with its options, their types and
/// defaults. `docs/policy.schema.json` is its output for the built-in rules (`swift run canon-policy-schema`).
public enum PolicySchema {
    /// The schema as JSON text, ending with a newline.
    public static func generate(registry: Registry) -> String {
        document(registry: registry).rendered() + "\n"
    }

    static func strings(_ description: String) -> JSONValue {
        ["type": "array", "items": ["type": "string"], "description": .string(description)]
    }

    static func document(registry: Registry) -> JSONValue {
        var rules: [String: JSONValue] = [:]
        var overrideRules: [String: JSONValue] = [:]
        var definitions: [String: JSONValue] = [
            "severity": [
                "description": "error, warning, note, or off (the rule does not run); YAML 1.1 reads a bare off as false",
                "enum": ["error", "warning", "note", "off", false],
            ]
        ]
        for detector in registry.detectors {
            let description = detector.description
            let defaults = defaultOptions(detector)
            var options: [String: JSONValue] = [:]
            for entry in defaults.entries ?? [] {
                var schema = schema(of: entry.value)
                if case .object(var fields) = schema {
                    fields["default"] = json(entry.value)
                    if let summary = description.options.first(where: { $0.key == entry.key })?.summary {
                        fields["description"] = .string(summary)
                    }
                    schema = .object(fields)
                }
                options[entry.key] = schema
            }
            var own = options
            own["severity"] = ["$ref": "#/$defs/severity"]
            own["include"] = strings("globs of the only paths where the rule reports")
            own["exclude"] = strings("globs of paths where the rule never reports")
            var scoped = options
            scoped["severity"] = ["$ref": "#/$defs/severity"]
            let summary = JSONValue.string("\(description.code): \(description.summary) (default severity \(description.defaultSeverity.rawValue))")
            definitions["rule.\(description.id)"] = [
                "type": ["object", "null"], "additionalProperties": false, "properties": .object(own), "description": summary,
            ]
            definitions["override.\(description.id)"] = [
                "type": ["object", "null"], "additionalProperties": false, "properties": .object(scoped), "description": summary,
            ]
            for key in [description.id, description.code] {
                rules[key] = ["$ref": .string("#/$defs/rule.\(description.id)")]
                overrideRules[key] = ["$ref": .string("#/$defs/override.\(description.id)")]
            }
        }
        var properties: [String: JSONValue] = [
            "version": ["const": 1, "description": "the policy format version"],
            "extends": ["type": "string", "description": "default, or a policy file (relative to this one) laid over the default first"],
            "include": strings("globs of files to scan, relative to the scan root; replaces the inherited list"),
            "exclude": strings("globs of files and folders to leave out; replaces the inherited list"),
            "max_file_size": ["type": "integer", "minimum": 1, "description": "files larger than this many bytes are skipped"],
            "baseline": [
                "type": "string", "minLength": 1,
                "description": "a baseline file (relative to this policy) of known findings that scans report only as baselined",
            ],
            "rules": [
                "type": "object", "additionalProperties": false, "properties": .object(rules),
                "description": "rule settings by id or code",
            ],
            "overrides": [
                "type": "array",
                "description": "path-scoped rule settings; each matching entry is laid over the last, so the last match wins",
                "items": [
                    "type": "object", "additionalProperties": false, "required": ["files", "rules"],
                    "properties": [
                        "files": strings("globs of paths relative to the scan root"),
                        "rules": ["type": "object", "additionalProperties": false, "properties": .object(overrideRules)],
                    ],
                ],
            ],
        ]
        for (key, schema) in ProjectSections.schemas { properties[key] = schema }
        let known = Set(properties.keys)
        precondition(known == Set(PolicyLoader.topLevelKeys), "the schema and the loader disagree on the top-level keys")
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Canon policy (.canon.yml)",
            "description": "Generated by `swift run canon-policy-schema`; do not edit by hand.",
            "type": "object",
            "additionalProperties": false,
            "properties": .object(properties),
            "$defs": .object(definitions),
        ]
    }

    private static func defaultOptions<D: Detector>(_ type: D.Type) -> ConfigNode { D.Options.defaultNode }

    /// The schema of a value shaped like `node`: its type, and for lists the type of their items (strings when
    /// the default list is empty).
    static func schema(of node: ConfigNode) -> JSONValue {
        switch node.value {
        case .scalar(.null): return [:]
        case .scalar(.bool): return ["type": "boolean"]
        case .scalar(.int): return ["type": "integer"]
        case .scalar(.double): return ["type": "number"]
        case .scalar(.string): return ["type": "string"]
        case .sequence(let items): return ["type": "array", "items": items.first.map(schema(of:)) ?? ["type": "string"]]
        case .mapping(let entries):
            return [
                "type": "object", "additionalProperties": false,
                "properties": .object(Dictionary(entries.map { ($0.key, schema(of: $0.value)) }, uniquingKeysWith: { $1 })),
            ]
        }
    }

    static func json(_ node: ConfigNode) -> JSONValue {
        switch node.value {
        case .scalar(.null): .null
        case .scalar(.bool(let value)): .bool(value)
        case .scalar(.int(let value)): .int(value)
        case .scalar(.double(let value)): .double(value)
        case .scalar(.string(let value)): .string(value)
        case .sequence(let items): .array(items.map(json))
        case .mapping(let entries): .object(Dictionary(entries.map { ($0.key, json($0.value)) }, uniquingKeysWith: { $1 }))
        }
    }
}
