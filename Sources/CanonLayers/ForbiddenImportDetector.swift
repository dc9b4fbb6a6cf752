import CanonCore

/// Reports imports that a `forbidden:` contract rules out, and imports between modules that an
/// `independence:` contract declares independent.
public struct ForbiddenImportDetector: Detector {
    public typealias Options = ContractOptions

    public static let description = RuleDescription(
        id: "forbidden_import",
        code: "LAY002",
        family: .layers,
        summary: "A module imports what a contract forbids it to",
        rationale: """
            Once a concept is consolidated, the old home must not come back: the legacy package must not be \
            imported again, the domain must not import the web framework, two features must not reach into \
            each other. A `forbidden:` contract says that modules matching `from` must not import modules \
            matching `to` (patterns cover the modules inside a matched package; `to` may name packages outside \
            the project); with `indirect: true` a chain through other modules counts too, as in \
            import-linter's default. An `independence:` contract lists sibling modules that must not import \
            each other, directly or through other modules. Import what you need from its one home, or list a \
            deliberate exception under the contract's `except` (`importer -> imported`).
            """,
        defaultSeverity: .error,
        options: [ContractOptions.importKindsOption],
        triggeringExamples: [
            Example(
                files: [
                    ExampleFile("app/legacy/websocket.py", "class Manager:\n    pass\n"),
                    ExampleFile("app/chat/room.py", "from app.legacy.websocket import ↓Manager\n"),
                    ExampleFile("app/chat/lobby.py", "import ↓app.legacy\n"),
                ],
                policy: "forbidden:\n  - name: no-legacy\n    from: [app]\n    to: [app.legacy]\n    message: use app.websocket instead"),
            Example(
                files: [
                    ExampleFile("app/domain/order.py", "from app.web import ↓forms\n"),
                    ExampleFile("app/web/forms.py", "import django.forms\n"),
                ],
                policy: "forbidden:\n  - name: pure-domain\n    from: [app.domain]\n    to: [django]\n    indirect: true"),
            Example(
                files: [
                    ExampleFile("plugins/mail/send.py", "from plugins.sms import ↓send\n"),
                    ExampleFile("plugins/sms/send.py", "X = 1\n"),
                    ExampleFile("plugins/push/send.py", "X = 1\n"),
                ],
                policy: "independence:\n  - name: plugins\n    modules: [plugins.*]"),
        ],
        nonTriggeringExamples: [
            Example(
                files: [
                    ExampleFile("app/legacy/websocket.py", "from app.websocket import Manager\n"),
                    ExampleFile("app/websocket.py", "class Manager:\n    pass\n"),
                    ExampleFile("app/chat/room.py", "from app.websocket import Manager\n"),
                    ExampleFile("app/chat/old.py", "from app.legacy.websocket import Manager\n"),
                ],
                policy: "forbidden:\n  - name: no-legacy\n    from: [app]\n    to: [app.legacy]\n    except: ['app.chat.old -> app.legacy.websocket']"),
            Example(
                files: [
                    ExampleFile("app/domain/order.py", "from app.web import forms\n"),
                    ExampleFile("app/web/forms.py", "import django.forms\n"),
                ],
                policy: "forbidden:\n  - name: pure-domain\n    from: [app.domain]\n    to: [django]"),
            Example(
                files: [
                    ExampleFile("plugins/mail/send.py", "from plugins.common import send\n"),
                    ExampleFile("plugins/sms/send.py", "from plugins.common import send\n"),
                    ExampleFile("plugins/common.py", "def send():\n    pass\n"),
                ],
                policy: "independence:\n  - name: plugins\n    modules: [plugins.mail, plugins.sms]"),
        ])

    private let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func detect(in context: DetectionContext) -> [Violation] {
        let kinds = Set(options.importKinds)
        var violations: [Violation] = []
        for contract in context.settings.forbiddenContracts {
            let graph = ModuleGraph.excusing(contract.exceptions, index: context.index, kinds: kinds)
            let target = { (module: String) in contract.to.contains { $0.covers(module) } }
            let breaches = graph.breaches(
                from: { module in !target(module) && contract.from.contains { $0.covers(module) } }, to: target,
                indirect: contract.indirect)
            let reason = contract.message ?? "contract '\(contract.name)' forbids it"
            violations += breaches.map { $0.violation(contract: contract.name, reason: reason) }
        }
        for contract in context.settings.independenceContracts {
            let graph = ModuleGraph.excusing(contract.exceptions, index: context.index, kinds: kinds)
            let (modules, missing) = graph.expand(
                contract.modules, what: "module", contract: contract.name, mark: contract.mark, context: context)
            violations += missing
            for importer in modules {
                for imported in modules where imported != importer {
                    violations += graph.breaches(of: importer, importing: imported, amid: modules).map {
                        $0.violation(
                            contract: contract.name,
                            reason: "\(importer) and \(imported) must stay independent (contract '\(contract.name)')")
                    }
                }
            }
        }
        return violations
    }
}
