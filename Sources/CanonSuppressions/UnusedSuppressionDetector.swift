import CanonCore

/// Reports inline suppressions that silence nothing, name a rule that does not exist, or (with
/// `require_reason`) give no reason.
public struct UnusedSuppressionDetector: Detector {
    public static let reviewsFindings = true

    public struct Options: DetectorOptions {
        /// Whether every suppression must give a reason after ` -- `.
        public var requireReason = false

        public init() {}

        enum CodingKeys: String, CodingKey {
            case requireReason = "require_reason"
        }
    }

    public static let description = RuleDescription(
        id: "unused_suppression",
        code: "SUP001",
        family: .suppressions,
        summary: "An inline suppression silences nothing",
        rationale: """
            A `# canon: ignore[rule] -- reason` comment (`//` in Swift) silences the named rules (ids or codes; \
            none named silences every rule) on its own line and the line after it; `# canon: ignore-file[rule]` \
            silences them in the whole file. Once the code is fixed the comment stays behind and silently \
            excuses the next problem that lands on its line, like ruff's RUF100. This rule reports a suppression \
            that silenced no finding of a rule that ran (a suppression naming several rules is reported for \
            each rule it names that it did not need), and a suppression naming a rule id or code that does not \
            exist (a typo silences nothing). Suppressions naming a rule that did not run (off, or left out by \
            `--select`) are not judged, nor are those naming `unused_suppression` itself. With \
            `require_reason`, a suppression without a reason after ` -- ` is reported too; it still silences \
            what it names. Delete the suppression, or correct the rule it names.
            """,
        defaultSeverity: .warning,
        options: [
            OptionDescription(
                "require_reason", "report suppressions that give no reason after ` -- ` (they still silence what they name)")
        ],
        triggeringExamples: [
            Example("class Money:  ↓# canon: ignore[duplicate_definition] -- moving to billing\n    pass\n"),
            Example("↓# canon: ignore\nclass Money:\n    pass\n"),
            Example("X = 1  ↓# canon: ignore[duplicate_defintion] -- typo in the rule id\n"),
            Example(files: [
                ExampleFile("billing/money.py", "class Money:  ↓# canon: ignore[DUP001, shared_class_state] -- one left\n    pass\n"),
                ExampleFile("legacy/money.py", "class Money:  # canon: ignore[DUP001] -- the copy goes in 2.0\n    pass\n"),
            ]),
            Example(
                files: [
                    ExampleFile("billing/money.py", "class Money:  ↓# canon: ignore[DUP001]\n    pass\n"),
                    ExampleFile("legacy/money.py", "# canon: ignore-file[duplicate_definition] -- the copy goes in 2.0\nclass Money:\n    pass\n"),
                ], options: "require_reason: true"),
        ],
        nonTriggeringExamples: [
            Example(files: [
                ExampleFile(
                    "billing/money.py",
                    "# canon: ignore[duplicate_definition] -- the copy in legacy goes in 2.0\nclass Money:\n    pass\n"),
                ExampleFile("legacy/money.py", "class Money:  # canon: ignore[DUP001] -- goes in 2.0\n    pass\n"),
            ]),
            Example(files: [
                ExampleFile("billing/money.py", "# canon: ignore-file[duplicate_definition]\n\n\nclass Money:\n    pass\n"),
                ExampleFile("legacy/money.py", "class Money:  # canon: ignore\n    pass\n"),
            ]),
            Example(
                "X = 1  # canon: ignore[unused_suppression] -- kept for a generated file\n",
                options: "require_reason: true"),
            Example("TEXT = \"# canon: ignore[duplicate_definition]\"\n"),
        ])

    private let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func detect(in context: DetectionContext) -> [Violation] {
        let findingsByPath = Dictionary(grouping: context.reviewedFindings, by: \.location.path)
        let names = context.settings.ruleNames
        let ownNames: Set<String> = [Self.description.id, Self.description.code]
        var violations: [Violation] = []
        let files = context.index.reportedPaths.map({ $0.sorted().compactMap(context.index.file(atPath:)) }) ?? context.index.files
        // By index, reading two fields: a file taken out of the list whole is copied, every one of its lists retained.
        for position in files.indices where !files[position].suppressions.isEmpty {
            let path = files[position].path
            let findings = findingsByPath[path] ?? []
            for suppression in files[position].suppressions {
                let location = SourceLocation(path: path, range: suppression.range)
                func report(_ message: String, subject: String) {
                    violations.append(Violation(location: location, message: message, subject: subject))
                }
                let directive = suppression.isFileLevel ? "ignore-file" : "ignore"
                let unknown = names.isEmpty ? [] : suppression.rules.filter { names[$0] == nil }
                for name in unknown {
                    let hint = Suggestions.closest(to: name, among: names.keys.sorted()).map { " (did you mean '\($0)'?)" } ?? ""
                    report(
                        "suppression names '\(name)', which is no rule\(hint), so it silences nothing; correct or remove it",
                        subject: "unknown \(name)")
                }
                if options.requireReason && suppression.reason == nil {
                    report(
                        "suppression gives no reason; say why after ' -- ' (# canon: \(directive)[...] -- reason)",
                        subject: "no reason")
                }
                guard !suppression.rules.contains(where: ownNames.contains) else { continue }
                let silenced = findings.filter { SuppressionMatching.silences(suppression, $0) }
                if suppression.rules.isEmpty {
                    if silenced.isEmpty && !context.reviewedRules.isEmpty {
                        report("suppression silences nothing; remove it", subject: "bare")
                    }
                    continue
                }
                for name in suppression.rules where context.reviewedRules.contains(name) && !unknown.contains(name) {
                    guard !silenced.contains(where: { $0.rule == name || $0.code == name }) else { continue }
                    report(
                        suppression.rules.count == 1
                            ? "suppression of \(name) silences nothing; remove it"
                            : "'\(name)' in this suppression silences nothing; remove it from the list",
                        subject: name)
                }
            }
        }
        return violations
    }
}
