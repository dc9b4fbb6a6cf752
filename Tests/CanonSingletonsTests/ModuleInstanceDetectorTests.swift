import CanonCore
import CanonSingletons
import Testing

@Suite struct ModuleInstanceDetectorTests {
    let models = Facts.file("pkg/core/models.py") {
        $0.classes = [
            Facts.class("Thing", line: 1, bases: ["dict"]), Facts.class("Mode", line: 3, bases: ["enum.Enum"]),
            Facts.class("Guard", line: 5, bases: ["threading.Lock"]),
        ]
        $0.functions = [Facts.function("make_thing", line: 7)]
        $0.assignments = [Facts.assignment("Alias", .alias("Thing"), line: 9)]
        $0.memberMutations = [Facts.member("Thing", "add", "self", "items", .methodCall("append"), line: 2)]
    }

    @Test func resolvesCalleesThroughImportsModulesAndAliases() {
        let use = Facts.file("pkg/use.py") {
            $0.imports = [
                Facts.plainImport("pkg.core.models", as: "m", line: 1), Facts.plainImport("pkg.core.models", line: 2),
                Facts.fromImport("pkg.core", "models", line: 3), Facts.fromImport("pkg.core.models", "Alias", as: "A", line: 4),
            ]
            $0.assignments = [
                Facts.assignment("a", .call("m.Thing"), line: 6), Facts.assignment("b", .call("pkg.core.models.Thing"), line: 7),
                Facts.assignment("c", .call("models.Thing"), line: 8), Facts.assignment("d", .call("A"), line: 9),
                Facts.assignment("e", .call("m.make_thing"), line: 10), Facts.assignment("f", .call("m.Mode"), line: 11),
                Facts.assignment("g", .call("m.Guard"), line: 12), Facts.assignment("SHARED", .call("m.Thing"), line: 13),
                Facts.assignment("__thing__", .call("m.Thing"), line: 14),
            ]
        }
        let violations = ModuleInstanceDetector.violations([models, use])
        #expect(violations.map(\.location.range.line) == [6, 7, 8, 9])
        #expect(violations.allSatisfy { $0.message.contains("one pkg.core.models.Thing instance") })
        #expect(violations.first?.subject == "pkg.use.a")
    }

    @Test func aStarImportFallsBackToTheProjectClassOfThatName() {
        let use = Facts.file("pkg/star.py") {
            $0.imports = [Facts.fromImport("pkg.core.models", "*", line: 1)]
            $0.assignments = [Facts.assignment("thing", .call("Thing"), line: 3), Facts.assignment("other", .call("Other"), line: 4)]
        }
        #expect(ModuleInstanceDetector.violations([models, use]).map(\.location.range.line) == [3])
    }

    @Test func outsideClassesAreReportedByPatternAndExemptKindsNever() {
        let use = Facts.file("app.py") {
            $0.imports = [
                Facts.plainImport("redis", line: 1), Facts.fromImport("boto3", "client", line: 2),
                Facts.fromImport("threading", "Lock", as: "LockManager", line: 3),
            ]
            $0.assignments = [
                Facts.assignment("pool", .call("redis.ConnectionPool"), line: 5), Facts.assignment("s3", .call("client"), line: 6),
                Facts.assignment("lock", .call("LockManager"), line: 7), Facts.assignment("cache", .call("LocalCache"), line: 8),
                Facts.assignment("log", .call("logging.getLogger"), line: 9),
            ]
        }
        let violations = ModuleInstanceDetector.violations([use])
        #expect(violations.map(\.location.range.line) == [5, 8])
        #expect(violations.first?.message.contains("one redis.ConnectionPool instance") == true)
    }

    @Test func optionsReplaceThePatternsAndAllowClasses() {
        let use = Facts.file("app.py") {
            $0.imports = [Facts.fromImport("pkg.core.models", "Thing", line: 1)]
            $0.assignments = [
                Facts.assignment("engine", .call("create_engine"), line: 3), Facts.assignment("pool", .call("Pool"), line: 4),
                Facts.assignment("thing", .call("Thing"), line: 5),
            ]
        }
        var options = ModuleInstanceDetector.Options()
        options.patterns = ["create_.*"]
        options.allow = ["pkg\\.core\\.models\\.Thing"]
        #expect(ModuleInstanceDetector.violations([models, use], options: options).map(\.location.range.line) == [3])
    }

    @Test func projectClassesCountWhenTheirInstancesGatherStateAndTheirNameDoesNot() {
        let file = Facts.file("m.py") {
            $0.classes = [
                Facts.class("Unit", line: 1), Facts.class("Memo", line: 5), Facts.class("Table", line: 10, bases: ["dict"]),
                Facts.class("Tally", line: 15), Facts.class("SubTally", line: 20, bases: ["Tally"]),
                Facts.class("Slots", line: 25), Facts.class("KeyStore", line: 30),
            ]
            $0.functions = [
                Facts.function("Memo.size", line: 6, className: "Memo", decorators: ["property"], parameters: ["self"]),
                Facts.function("Slots.__setitem__", line: 26, className: "Slots", parameters: ["self", "k", "v"]),
            ]
            $0.memberMutations = [
                Facts.member("Unit", "__init__", "self", "name", .rebind, line: 2),
                Facts.member("Unit", "__hash__", "self", "_hash", .rebind, line: 3),
                Facts.member("Memo", "size", "self", "_size", .rebind, line: 7),
                Facts.member("Memo", "resize", "self", "_size", .rebind, line: 8),
                Facts.member("Memo", "__init__", "self", "_parts", .methodCall("append"), line: 9),
                Facts.member("Tally", "bump", "self", "count", .augmentedAssign, line: 16),
            ]
            $0.assignments = ["Unit", "Memo", "Table", "Tally", "SubTally", "Slots", "KeyStore"].enumerated().map {
                Facts.assignment("v\($0.offset)", .call($0.element), line: 40 + $0.offset)
            }
        }
        #expect(ModuleInstanceDetector.violations([file]).map(\.location.range.line) == [42, 43, 44, 45])
    }
}

extension ModuleInstanceDetectorTests {
    @Test func testsAndScriptsOutsideImportableModulesAreLeftOut() {
        let classes = Facts.file("lib/cache.py") {
            $0.classes = [Facts.class("MemoCache", line: 1)]
            $0.memberMutations = [Facts.member("MemoCache", "put", "self", "items", .subscriptAssign, line: 3)]
        }
        func user(_ path: String, module: String? = nil) -> FileFacts {
            var facts = Facts.file(path) {
                $0.imports = [Facts.fromImport("lib.cache", "MemoCache", line: 1)]
                $0.assignments = [Facts.assignment("memo", .call("MemoCache"), line: 3)]
            }
            if let module { facts.module = module }
            return facts
        }
        let files = [
            classes, user("lib/use.py"), user("lib/tests/test_use.py"), user("lib/use_test.py"),
            user("examples/test-examples/run.py", module: "examples.test-examples.run"), user("scripts/1st.py", module: "scripts.1st"),
        ]
        #expect(ModuleInstanceDetector.violations(files).map(\.location.path) == ["lib/use.py"])
        var options = ModuleInstanceDetector.Options()
        options.includeTests = true
        #expect(ModuleInstanceDetector.violations(files, options: options).map(\.location.path) == [
            "lib/tests/test_use.py", "lib/use.py", "lib/use_test.py",
        ])
    }
}

extension ModuleInstanceDetectorTests {
    @Test func aStatefulClassInstantiatedAgainAndAgainIsABuildingBlockUnlessNamedOrAContainer() {
        let file = Facts.file("m.py") {
            $0.classes = [
                Facts.class("Signal", line: 1), Facts.class("Apps", line: 3), Facts.class("HandlerPool", line: 5),
                Facts.class("Backends", line: 7, bases: ["collections.OrderedDict"]),
            ]
            $0.memberMutations = ["Signal", "Apps", "HandlerPool"].map { Facts.member($0, "add", "self", "items", .methodCall("append"), line: 2) }
            $0.assignments = [
                Facts.assignment("saved", .call("Signal"), line: 10), Facts.assignment("deleted", .call("Signal"), line: 11),
                Facts.assignment("apps", .call("Apps"), line: 12), Facts.assignment("pool_a", .call("HandlerPool"), line: 13),
                Facts.assignment("pool_b", .call("HandlerPool"), line: 14), Facts.assignment("s3", .call("Backends"), line: 15),
                Facts.assignment("ec2", .call("Backends"), line: 16),
            ]
        }
        #expect(ModuleInstanceDetector.violations([file]).map(\.location.range.line) == [12, 13, 14, 15, 16])
        var options = ModuleInstanceDetector.Options()
        options.patterns.append("Signal")
        #expect(ModuleInstanceDetector.violations([file], options: options).count == 7)
    }
}
