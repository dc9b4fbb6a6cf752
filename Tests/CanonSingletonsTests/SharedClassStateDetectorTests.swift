import CanonCore
import CanonSingletons
import Testing

@Suite struct SharedClassStateDetectorTests {
    @Test func namesTheMutatingMethodsAndPointsAtTheAttribute() throws {
        let file = Facts.file("app/session.py") {
            $0.classes = [Facts.class("Session", line: 1)]
            $0.classAttributes = [
                Facts.attribute("Session", "cache", .mutableLiteral, "{}", line: 2),
                Facts.attribute("Session", "seen", .call("set"), "set()", line: 3),
                Facts.attribute("Session", "names", .immutableLiteral, "()", line: 4),
            ]
            $0.functions = [Facts.function("Session.put", line: 6, className: "Session", parameters: ["self", "k", "v"])]
            $0.memberMutations = [
                Facts.member("Session", "put", "self", "cache", .subscriptAssign, line: 7),
                Facts.member("Session", "drop", "self", "cache", .methodCall("pop"), line: 9),
                Facts.member("Session", "put", "self", "cache", .methodCall("update"), line: 8),
                Facts.member("Session", "reset", "self", "seen", .rebind, line: 11),
                Facts.member("Session", "put", "self", "names", .augmentedAssign, line: 12),
            ]
        }
        let violations = SharedClassStateDetector.violations([file])
        let violation = try #require(violations.first)
        #expect(violations.count == 1)
        #expect(violation.location == SourceLocation(path: "app/session.py", range: Facts.at(2, 5, length: 5)))
        #expect(violation.message.contains("'Session.cache' (= {})"))
        #expect(violation.message.contains("Session.drop() and Session.put() mutate it"))
        #expect(violation.subject == "app.session.Session.cache")
    }

    @Test func anInitializerGivesEachInstanceItsOwnButClassMethodsStillShare() {
        let file = Facts.file("m.py") {
            $0.classes = [Facts.class("Buffer", line: 1), Facts.class("Registry", line: 20)]
            $0.classAttributes = [
                Facts.attribute("Buffer", "items", .mutableLiteral, "[]", line: 2),
                Facts.attribute("Registry", "items", .mutableLiteral, "[]", line: 21),
            ]
            $0.functions = [
                Facts.function("Buffer.register", line: 8, className: "Buffer", decorators: ["classmethod"], parameters: ["cls"]),
                Facts.function("Registry.register", line: 23, className: "Registry", decorators: ["classmethod"], parameters: ["klass"]),
            ]
            $0.memberMutations = [
                Facts.member("Buffer", "__init__", "self", "items", .rebind, line: 4),
                Facts.member("Buffer", "push", "self", "items", .methodCall("append"), line: 6),
                Facts.member("Registry", "register", "klass", "items", .methodCall("append"), line: 24),
                Facts.member("Registry", "__init_subclass__", "cls", "items", .methodCall("append"), line: 26),
            ]
        }
        let violations = SharedClassStateDetector.violations([file])
        #expect(violations.map(\.location.range.line) == [21])
        #expect(violations.first?.message.contains("Registry.__init_subclass__() and Registry.register() mutate it") == true)
    }

    @Test func subclassesInOtherModulesShareTheBaseAttributeUnlessTheyBindTheirOwn() {
        let base = Facts.file("app/base.py") {
            $0.classes = [Facts.class("Plugin", line: 1)]
            $0.classAttributes = [Facts.attribute("Plugin", "hooks", .call("collections.defaultdict"), "defaultdict(list)", line: 2)]
        }
        let children = Facts.file("app/plugins.py") {
            $0.imports = [Facts.plainImport("app.base", as: "b", line: 1)]
            $0.classes = [
                Facts.class("Echo", line: 3, bases: ["b.Plugin"]), Facts.class("Loud", line: 8, bases: ["Echo"]),
                Facts.class("Own", line: 12, bases: ["b.Plugin"]),
            ]
            $0.classAttributes = [Facts.attribute("Own", "hooks", .mutableLiteral, "{}", line: 13)]
            $0.memberMutations = [
                Facts.member("Loud", "hook", "self", "hooks", .subscriptAssign, line: 10),
                Facts.member("Own", "hook", "self", "hooks", .subscriptAssign, line: 15),
            ]
        }
        let violations = SharedClassStateDetector.violations([base, children])
        #expect(violations.map { "\($0.location.path):\($0.location.range.line)" } == ["app/base.py:2", "app/plugins.py:13"])
        #expect(violations.first?.message.contains("Loud.hook() mutates it") == true)
        #expect(violations.last?.message.contains("Own.hook() mutates it") == true)
    }

    @Test func fieldsOfDataclassesAndModelsAreCopiedButClassVarsAreNot() {
        let file = Facts.file("m.py") {
            $0.imports = [Facts.fromImport("pydantic", "BaseModel", line: 1)]
            $0.classes = [
                Facts.class("Order", line: 3, decorators: ["dataclasses.dataclass(frozen=True)"]),
                Facts.class("Base", line: 10, bases: ["BaseModel"]), Facts.class("Request", line: 12, bases: ["Base"]),
                Facts.class("Plain", line: 20),
            ]
            $0.classAttributes = [
                Facts.attribute("Order", "lines", .mutableLiteral, "[]", line: 4, annotation: "list"),
                Facts.attribute("Order", "registry", .mutableLiteral, "{}", line: 5, annotation: "ClassVar[dict]"),
                Facts.attribute("Request", "headers", .mutableLiteral, "{}", line: 13, annotation: "dict"),
                Facts.attribute("Plain", "items", .mutableLiteral, "[]", line: 21, annotation: "list[int]"),
            ]
            $0.memberMutations = [
                Facts.member("Order", "add", "self", "lines", .methodCall("append"), line: 7),
                Facts.member("Order", "add", "self", "registry", .subscriptAssign, line: 8),
                Facts.member("Request", "set", "self", "headers", .subscriptAssign, line: 15),
                Facts.member("Plain", "add", "self", "items", .augmentedAssign, line: 23),
            ]
        }
        #expect(SharedClassStateDetector.violations([file]).map(\.location.range.line) == [5, 21])
    }
}
