import CanonCore

/// Reports allowlist entries of the policy that no longer match anything: an `except` entry of a contract that
/// matches no import, or an `ignore_names` / `ignore_symbols` / `allow` entry of a rule that suppresses nothing.
public struct StaleAllowlistEntryDetector: Detector {
    public static let readsAllowlistAudit = true

    public static let description = RuleDescription(
        id: "stale_allowlist_entry",
        code: "LAY004",
        family: .layers,
        summary: "An allowlist entry of the policy matches nothing",
        rationale: """
            Allowlists are debts written down: each `except` of a contract, each `ignore_names`, \
            `ignore_symbols` or `allow` entry of a rule excuses one known exception. When the code is fixed the \
            entry stays behind, silently excusing the next import or name that happens to match it. This rule \
            points at every entry that no longer matches, on its line in the policy file, so the allowlist \
            shrinks as the code is fixed. An `except` entry is stale when no import of the project (of any \
            kind) matches it; a rule's entry is stale when the rule reports exactly the same without it. \
            Entries under `overrides:` are not judged. Delete the entry.
            """,
        defaultSeverity: .warning,
        triggeringExamples: [
            Example(
                files: [
                    ExampleFile("app/api/views.py", "X = 1\n"),
                    ExampleFile("app/core/money.py", "from app.api import views\n"),
                ],
                policy: """
                    layers:
                      - name: architecture
                        layers: [app.api, app.core]
                        except:
                          - app.core.money -> app.api.views
                          - ↓app.core.tax -> app.api.views
                    forbidden:
                      - name: no-legacy
                        from: [app]
                        to: [app.legacy]
                        except: [↓app.core.money -> app.legacy]
                    """)
        ],
        nonTriggeringExamples: [
            Example(
                files: [
                    ExampleFile("app/api/views.py", "X = 1\n"),
                    ExampleFile("app/core/money.py", "from app.api import views\n"),
                    ExampleFile("plugins/mail.py", "from plugins import sms\n"),
                    ExampleFile("plugins/sms.py", "X = 1\n"),
                ],
                policy: """
                    layers:
                      - name: architecture
                        layers: [app.api, app.core]
                        except: [app.core.* -> app.api.views]
                    independence:
                      - name: plugins
                        modules: [plugins.mail, plugins.sms]
                        except: [plugins.mail -> plugins.sms]
                    """)
        ])

    public init(options: NoOptions) {}

    public func detect(in context: DetectionContext) -> [Violation] {
        let settings = context.settings
        let contracts: [(kind: String, name: String, exceptions: [ImportException])] =
            settings.layerContracts.map { ("layers", $0.name, $0.exceptions) }
            + settings.forbiddenContracts.map { ("forbidden", $0.name, $0.exceptions) }
            + settings.independenceContracts.map { ("independence", $0.name, $0.exceptions) }
        var violations: [Violation] = []
        if contracts.contains(where: { !$0.exceptions.isEmpty }) {
            let graph = ModuleGraph(index: context.index, kinds: Set(ImportKind.allCases))
            for contract in contracts {
                for exception in contract.exceptions where !graph.matches(exception) {
                    guard let mark = exception.mark else { continue }
                    violations.append(Violation(
                        location: context.location(of: mark, length: exception.text.count),
                        message: "'except' entry '\(exception.text)' of \(contract.kind) contract '\(contract.name)' matches no import; remove it",
                        subject: "\(contract.kind) \(contract.name): \(exception.text)"))
                }
            }
        }
        for entry in context.unusedAllowlistEntries {
            violations.append(Violation(
                location: context.location(of: entry.mark, length: entry.value.count),
                message: "'\(entry.key)' entry '\(entry.value)' of rule \(entry.rule) suppresses nothing; remove it",
                subject: "\(entry.rule).\(entry.key): \(entry.value)"))
        }
        return violations
    }
}
