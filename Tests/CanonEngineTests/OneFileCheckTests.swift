import Canon
import Foundation
import Testing

/// A one-file check of a kept project (what `canon serve`'s `scanFile` runs, with the symbol table and the
/// rules' derived values carried over the edit) must report exactly what a full scan of the edited project
/// reports in that file.
@Suite struct OneFileCheckTests {
    static let project: [String: String] = [
        "pkg/__init__.py": "from pkg.models import Order\nfrom pkg.util import *\n\n__all__ = ['Order', 'helper']\n",
        "pkg/models.py": """
            import pkg.registry


            class Order:
                items = []

                def add(self, x):
                    self.items.append(x)


            class Base:
                _instance = None

                @classmethod
                def instance(cls):
                    if cls._instance is None:
                        cls._instance = cls()
                    return cls._instance


            class Child(Base):
                pass

            """,
        "pkg/util.py": "from pkg import models\n\n\ndef helper():\n    return 1\n\n\nCACHE = {}\n\n\ndef put(k, v):\n    CACHE[k] = v\n",
        "pkg/registry.py": """
            from pkg.models import Order


            class Registry:
                def __init__(self):
                    self.items = {}

                def add(self, k):
                    self.items[k] = 1


            REGISTRY = Registry()

            """,
        "app/a.py": "from pkg import Order\nfrom pkg.util import helper\n",
        "app/b.py": "from pkg.models import Order\nimport pkg.models as m\n\nx = m.Order\n",
        "app/c.py": "from pkg.registry import Order\nfrom pkg.missing import Nope\nfrom pkg.models import Gone\n\n\nclass Child:\n    pass\n",
        "pkg/track.py": """
            class Tracker:
                def __init__(self):
                    self.seen = {}

                def note(self, k):
                    self.seen[k] = 1


            tracker = Tracker()

            """,
        "pkg/meta.py": """
            class Cached(type):
                _instances = {}

                def __call__(cls, *args, **kwargs):
                    if cls not in cls._instances:
                        cls._instances[cls] = super().__call__(*args, **kwargs)
                    return cls._instances[cls]


            class Service(metaclass=Cached):
                pass

            """,
        "app/d.py": "from app import e\n",
        "app/e.py": "from app import d  # canon: ignore[import_cycle] -- fixture\n",
    ]

    /// Each edit is laid over the project as it is after the ones before.
    static let edits: [(path: String, change: @Sendable (String) -> String)] = [
        ("app/b.py", { "# edit\n" + $0 }),
        ("pkg/models.py", { "\n\n" + $0 }),
        ("pkg/models.py", { $0.replacingOccurrences(of: "self.items.append(x)", with: "self.items.append(x + 1)\n        return x") }),
        ("pkg/registry.py", { "# moved\n\n" + $0.replacingOccurrences(of: "self.items[k] = 1", with: "self.items[k] = 2") }),
        ("pkg/models.py", { $0 + "\n\nclass Extra:\n    pass\n" }),
        ("pkg/__init__.py", { $0.replacingOccurrences(of: "['Order', 'helper']", with: "['Order']") }),
        ("app/c.py", { $0.replacingOccurrences(of: "from pkg.registry import Order", with: "from pkg.models import Order") }),
        ("pkg/util.py", { $0.replacingOccurrences(of: "def helper", with: "def helper2") }),
        ("app/a.py", { $0 + "\n\nclass Registry:\n    pass\n" }),
        ("pkg/models.py", { $0.replacingOccurrences(of: "class Extra:\n    pass\n", with: "") }),
        ("app/d.py", { _ in "x = 1\n" }),
        ("app/e.py", { "\n\n\n" + $0 }),
        ("pkg/models.py", { "   \n" + $0.replacingOccurrences(of: "return cls._instance", with: "return  cls._instance") }),
        // Import cycles: one made again, one grown into a larger tangle, one broken.
        ("app/d.py", { _ in "from app import e\nimport pkg.util\n" }),
        ("pkg/util.py", { $0 + "\n\nimport app.d\n" }),
        ("app/e.py", { "# edit\n" + $0 }),
        ("pkg/util.py", { $0.replacingOccurrences(of: "\n\nimport app.d\n", with: "\n") }),
        // Instances per class: a second tracker makes the first no longer the only one, then goes.
        ("app/b.py", { $0 + "\nfrom pkg.track import Tracker\n\nother = Tracker()\n" }),
        ("pkg/track.py", { "# moved\n" + $0 }),
        ("app/b.py", { $0.replacingOccurrences(of: "other = Tracker()", with: "other = dict()") }),
        // Singleton classes through a caching metaclass and its subclasses, defined elsewhere.
        ("app/a.py", { $0 + "\nfrom pkg.meta import Cached, Service\n\n\nclass Local(metaclass=Cached):\n    pass\n\n\nclass Sub(Service):\n    pass\n" }),
        ("pkg/meta.py", { "\n" + $0.replacingOccurrences(of: "return cls._instances[cls]", with: "return  cls._instances[cls]") }),
        ("pkg/meta.py", { $0.replacingOccurrences(of: "cls._instances[cls] = super()", with: "_ = super()") }),
        // A concept's sites: an alias of it added elsewhere, its canonical home's lines moved.
        ("app/d.py", { $0 + "\nfrom pkg.registry import Registry\n\nOtherRegistry = Registry\n" }),
        ("pkg/registry.py", { "\n" + $0 }),
        // Names that other modules' classes and calls resolve through: a base renamed away and back, a class
        // of a name that calls elsewhere fall back on, an import that makes a call resolve.
        ("pkg/models.py", { $0.replacingOccurrences(of: "class Base:", with: "class Base0:") }),
        ("pkg/models.py", { $0.replacingOccurrences(of: "class Base0:", with: "class Base:") }),
        ("app/c.py", { $0 + "\nspare = Spare()\n" }),
        ("pkg/track.py", { $0 + "\n\nclass Spare:\n    def __init__(self):\n        self.seen = {}\n\n    def note(self, k):\n        self.seen[k] = 1\n" }),
        ("app/c.py", { "from pkg.track import Spare\n" + $0 }),
        ("pkg/track.py", { $0.replacingOccurrences(of: "class Spare:", with: "class Spare2:") }),
    ]

    /// A concept, so that `concept_sprawl` has something to find.
    private static let policyText = "version: 1\nconcepts:\n  registry:\n    pattern: \".*Registry\"\n    canonical: pkg.registry\n"

    private static func snapshot(_ files: [String: String], settings: ProjectSettings) -> ProjectSnapshot {
        ProjectSnapshot(sources: files.sorted { $0.key < $1.key }.map { ($0.key, Array($0.value.utf8)) }, settings: settings)
    }

    @Test func oneFileChecksMatchFullScansAfterEachEdit() throws {
        let policy = try PolicyLoader(registry: BuiltinRules.registry()).load(text: Self.policyText, file: "<test>")
        let rules = try policy.configuredRules(registry: BuiltinRules.registry())
        var files = Self.project
        var kept = Self.snapshot(files, settings: policy.settings)
        let before = kept.check(rules, reporting: nil, jobs: 2)
        #expect(Set(before.findings.map(\.rule)).isSuperset(of: [
            "fragmented_import", "duplicate_definition", "unresolved_import", "import_cycle", "singleton_class", "module_instance",
        ]))

        for (offset, edit) in Self.edits.enumerated() {
            let edited = edit.change(files[edit.path]!)
            #expect(edited != files[edit.path], "edit \(offset) changes nothing")
            files[edit.path] = edited
            kept.update(path: edit.path, contents: Array(edited.utf8))
            let one = kept.check(rules, reporting: [edit.path], jobs: 2)
            let full = Self.snapshot(files, settings: policy.settings).check(rules, reporting: nil, jobs: 1)
            #expect(one.findings == full.findings.filter { $0.location.path == edit.path }, "edit \(offset) of \(edit.path)")
            #expect(one.suppressed == full.suppressed.filter { $0.location.path == edit.path }, "edit \(offset) of \(edit.path)")
            // Every other file, checked from the kept project, agrees with the full scan too.
            for path in files.keys.sorted() where path != edit.path {
                let other = kept.check(rules, reporting: [path], jobs: 1)
                #expect(other.findings == full.findings.filter { $0.location.path == path }, "edit \(offset), then \(path)")
            }
        }
        // The concept has spread since app/a.py defined a second Registry.
        #expect(kept.check(rules, reporting: ["pkg/registry.py"], jobs: 1).findings.contains { $0.rule == "concept_sprawl" })
    }
}
