import CanonCore

/// Reports imports that break a layered architecture declared under `layers:`: a lower layer importing a
/// higher one, directly or through modules outside the layers, or independent siblings importing each other.
public struct LayerViolationDetector: Detector {
    public typealias Options = ContractOptions

    public static let description = RuleDescription(
        id: "layer_violation",
        code: "LAY001",
        family: .layers,
        summary: "A lower layer imports a higher one",
        rationale: """
            A layered architecture keeps each concept at one level: the API layer calls services, services use \
            the core, and nothing reaches back up. Once a lower layer imports a higher one the layers become a \
            tangle, a change at the top can break the bottom, and the same concept starts to live at two \
            levels. Each contract under `layers:` lists layers from highest to lowest (`a | b` for siblings \
            that must not import each other, `a : b` for siblings that may, `(a)` for a layer that may be \
            missing); with `containers` the layering applies inside each container package, and `exhaustive` \
            requires every child of a container to be in a layer. As in import-linter, a chain through modules \
            outside the layers counts too: the finding is on the import by which the lower layer enters it. \
            A layer that does not exist is reported on its line in the policy. Move the code down a layer, pass \
            what it needs as a parameter, or list the import under the contract's `except`.
            """,
        defaultSeverity: .error,
        options: [ContractOptions.importKindsOption],
        triggeringExamples: [
            Example(
                files: [
                    ExampleFile("app/api/views.py", "from app.services import billing\n"),
                    ExampleFile("app/services/billing.py", "from app.core import money\n"),
                    ExampleFile("app/core/money.py", "from app.api.views import ↓render\n"),
                ],
                policy: "layers:\n  - name: architecture\n    layers: [app.api, app.services, app.core]"),
            Example(
                files: [
                    ExampleFile("app/api/views.py", "X = 1\n"),
                    ExampleFile("app/core/money.py", "def convert():\n    import ↓app.utils.helpers\n"),
                    ExampleFile("app/utils/helpers.py", "from app.api import views\n"),
                ],
                policy: "layers:\n  - name: architecture\n    layers: [app.api, app.core]"),
            Example(
                files: [
                    ExampleFile("shop/orders/api.py", "from . import models\n"),
                    ExampleFile("shop/orders/models.py", "from .api import ↓router\n"),
                    ExampleFile("shop/billing/api.py", "X = 1\n"),
                    ExampleFile("shop/billing/models.py", "import ↓shop.billing.api\n"),
                ],
                policy: "layers:\n  - name: per-app\n    containers: [shop.orders, shop.billing]\n    layers: [api, models]"),
            Example(
                files: [
                    ExampleFile("app/payments.py", "from app import ↓shipping\n"),
                    ExampleFile("app/shipping.py", "X = 1\n"),
                ],
                policy: "layers:\n  - name: features\n    layers: ['app.payments | app.shipping']"),
        ],
        nonTriggeringExamples: [
            Example(
                files: [
                    ExampleFile("app/api/views.py", "from app.services import billing\nfrom app.core import money\n"),
                    ExampleFile("app/services/billing.py", "from app.core.money import convert\n"),
                    ExampleFile(
                        "app/core/money.py",
                        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.api.views import Request\n\n\ndef convert():\n    pass\n"),
                ],
                policy: "layers:\n  - name: architecture\n    layers: [app.api, app.services, app.core]"),
            Example(
                files: [
                    ExampleFile("app/api/views.py", "X = 1\n"),
                    ExampleFile("app/core/money.py", "from app.api import views\n"),
                ],
                policy: "layers:\n  - name: architecture\n    layers: [app.api, app.core]\n    except: ['app.core.money -> app.api.views']"),
            Example(
                files: [
                    ExampleFile("app/payments.py", "from app import shipping\n"),
                    ExampleFile("app/shipping.py", "X = 1\n"),
                ],
                policy: "layers:\n  - name: features\n    layers: ['app.payments : app.shipping']"),
        ])

    private let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func detect(in context: DetectionContext) -> [Violation] {
        var violations: [Violation] = []
        for contract in context.settings.layerContracts {
            let graph = ModuleGraph.excusing(contract.exceptions, index: context.index, kinds: Set(options.importKinds))
            let (found, missing) = graph.expand(
                contract.containers, what: "container", contract: contract.name, mark: contract.mark, context: context)
            violations += missing
            var containers: [String?] = found
            if contract.containers.isEmpty { containers = [nil] }
            for container in containers {
                violations += check(contract, container: container, graph: graph, context: context)
            }
        }
        return violations
    }

    private func check(_ contract: LayersContract, container: String?, graph: ModuleGraph, context: DetectionContext) -> [Violation] {
        func full(_ member: Layer.Member) -> String { container.map { "\($0).\(member.name)" } ?? member.name }
        var violations: [Violation] = []
        var present: [[String]] = []
        for layer in contract.layers {
            var names: [String] = []
            for member in layer.members {
                if graph.projectModules.contains(full(member)) {
                    names.append(full(member))
                } else if !member.isOptional, let mark = layer.mark {
                    let place = container.map { " in container '\($0)'" } ?? ""
                    violations.append(Violation(
                        location: context.location(of: mark, length: 1),
                        message: "layer '\(member.name)' of contract '\(contract.name)' does not exist\(place) (no module \(full(member))); fix the name, or write '(\(member.name))' if it may be missing",
                        subject: "\(contract.name): \(full(member))"))
                }
            }
            present.append(names)
        }
        let everyLayer = present.flatMap { $0 }
        func report(lower: String, higher: String, why: String) {
            violations += graph.breaches(of: lower, importing: higher, amid: everyLayer).map {
                $0.violation(contract: contract.name, reason: "\(why) (contract '\(contract.name)')")
            }
        }
        for (high, highers) in present.enumerated() {
            for higher in highers {
                for lowers in present.dropFirst(high + 1) {
                    for lower in lowers {
                        report(lower: lower, higher: higher, why: "layer \(lower) must not import the higher layer \(higher)")
                    }
                }
                guard contract.layers[high].isIndependent else { continue }
                for sibling in highers where sibling != higher {
                    report(lower: sibling, higher: higher, why: "layer \(sibling) must not import its independent sibling \(higher)")
                }
            }
        }
        if contract.exhaustive, let container {
            let declared = Set(contract.layers.flatMap { $0.members.map(\.name) } + contract.exhaustiveIgnores)
            let children = graph.projectModules.filter { $0.hasPrefix(container + ".") && !$0.dropFirst(container.count + 1).contains(".") }
            for child in children.sorted() where !declared.contains(String(child.dropFirst(container.count + 1))) {
                guard let file = ModuleGraph.firstFile(of: child, in: context.index) else { continue }
                violations.append(Violation(
                    location: SourceLocation(path: file.path, range: SourceRange(line: 1, column: 1, endLine: 1, endColumn: 1)),
                    message: "module '\(child)' is in no layer of exhaustive contract '\(contract.name)'; add it to a layer or to 'exhaustive_ignores'",
                    subject: "\(contract.name): \(child)"))
            }
        }
        return violations
    }
}
