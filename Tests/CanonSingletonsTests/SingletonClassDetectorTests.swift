import CanonCore
@testable import CanonSingletons
import Testing

@Suite struct SingletonClassDetectorTests {
    /// The quick test of a name agrees with the list of accessor names.
    @Test func accessorNamesAreTheListedOnes() {
        for name in SingletonClassDetector.accessorNames { #expect(SingletonClassDetector.isAccessorName(name)) }
        for name in ["", "i", "get", "instances", "Instance", "get_instance_", "shared_", "_instance", "setInstance", "sharedinstance"] {
            #expect(SingletonClassDetector.isAccessorName(name) == SingletonClassDetector.accessorNames.contains(name))
            #expect(!SingletonClassDetector.isAccessorName(name))
        }
    }

    @Test func newAndAccessorsReturningACachedInstance() {
        let file = Facts.file("app/config.py") {
            $0.classes = [
                Facts.class("Config", line: 1), Facts.class("Holder", line: 10), Facts.class("Plain", line: 20),
                Facts.class("Constant", line: 30),
            ]
            $0.classAttributes = [Facts.attribute("Config", "_instance", .immutableLiteral, "None", line: 2)]
            $0.functions = [
                Facts.function("Config.__new__", line: 3, className: "Config", parameters: ["cls"], returns: ["cls._instance"]),
                Facts.function(
                    "Holder.get_instance", line: 11, className: "Holder", decorators: ["staticmethod"],
                    returns: ["Holder.__instance"]),
                Facts.function("Plain.instance", line: 21, className: "Plain", parameters: ["self"], returns: ["self._instance"]),
                Facts.function(
                    "Constant.__new__", line: 31, className: "Constant", parameters: ["cls", "arg"],
                    returns: ["cast(_T, cls._singleton)"]),
            ]
            $0.memberMutations = [
                Facts.member("Holder", "get_instance", "Holder", "__instance", .rebind, line: 12),
                Facts.member("Plain", "instance", "self", "_instance", .rebind, line: 22),
                Facts.member("Constant", "_create", "cls", "_singleton", .rebind, line: 33),
            ]
        }
        let violations = SingletonClassDetector.violations([file])
        #expect(violations.map(\.location.range.line) == [1, 10, 30])
        #expect(violations.first?.message.contains("__new__() returns cls._instance") == true)
        #expect(violations.dropFirst().first?.message.contains("get_instance() returns Holder.__instance") == true)
    }

    @Test func aStaticAccessorNamingItsClassIsASingleton() {
        let file = Facts.file("m.py") {
            $0.classes = [Facts.class("Holder", line: 1)]
            $0.classAttributes = [Facts.attribute("Holder", "_instance", .immutableLiteral, "None", line: 2)]
            $0.functions = [
                Facts.function(
                    "Holder.shared", line: 4, className: "Holder", decorators: ["staticmethod"], returns: ["Holder._instance or None"])
            ]
        }
        #expect(SingletonClassDetector.violations([file]).map(\.location.range.line) == [1])
    }

    @Test func aCachingMetaclassItsUsersAndTheirSubclasses() {
        let meta = Facts.file("app/meta.py") {
            $0.classes = [Facts.class("Once", line: 1, bases: ["type"])]
            $0.functions = [
                Facts.function(
                    "Once.__call__", line: 3, className: "Once", parameters: ["cls", "args", "kwargs"],
                    returns: ["cls.__instance", "cls.__instance"])
            ]
            $0.memberMutations = [Facts.member("Once", "__call__", "cls", "__instance", .rebind, line: 5)]
        }
        let users = Facts.file("app/users.py") {
            $0.imports = [Facts.fromImport("app.meta", "Once", as: "M", line: 1)]
            $0.classes = [
                Facts.class("Mailer", line: 3, keywords: ["metaclass=M"]), Facts.class("SmtpMailer", line: 6, bases: ["Mailer"]),
                Facts.class("SubMeta", line: 9, bases: ["M"]), Facts.class("Other", line: 12, keywords: ["metaclass=abc.ABCMeta"]),
                Facts.class("Pool", line: 15, bases: ["SingletonThreadPool"]), Facts.class("Thing", line: 18, bases: ["SingletonMixin"]),
                Facts.class("AbstractOnce", line: 21, bases: ["M", "abc.ABCMeta"]), Facts.class("Args", line: 24, keywords: ["metaclass=AbstractOnce"]),
                Facts.class("SixArgs", line: 27, decorators: ["six.add_metaclass(AbstractOnce)"]),
                Facts.class("Plain", line: 30, decorators: ["add_metaclass(abc.ABCMeta)"]),
            ]
        }
        let violations = SingletonClassDetector.violations([meta, users])
        #expect(violations.map { "\($0.location.path):\($0.location.range.line)" } == [
            "app/meta.py:1", "app/users.py:3", "app/users.py:6", "app/users.py:9", "app/users.py:18", "app/users.py:21",
            "app/users.py:24", "app/users.py:27",
        ])
        #expect(violations[3].message.contains("it is a metaclass whose __call__ returns the cached cls.__instance"))
        #expect(violations[0].message.contains("a metaclass whose __call__ returns the cached cls.__instance"))
        #expect(violations[1].message.contains("its metaclass M caches instances"))
        #expect(violations[2].message.contains("derives from the singleton class Mailer"))
    }

    @Test func everyClassBelowASingletonClassIsOneAndNoOtherIs() {
        let base = Facts.file("app/base.py") {
            $0.classes = [Facts.class("Registry", line: 1, bases: ["Singleton"]), Facts.class("Loose", line: 5)]
        }
        let middle = Facts.file("app/middle.py") {
            $0.imports = [Facts.fromImport("app.base", "Registry", line: 1), Facts.fromImport("app.base", "Loose", line: 2)]
            $0.classes = [Facts.class("Local", line: 4, bases: ["Registry"]), Facts.class("Free", line: 7, bases: ["Loose"])]
        }
        let leaf = Facts.file("app/leaf.py") {
            $0.imports = [Facts.fromImport("app.middle", "Local", line: 1), Facts.fromImport("app.middle", "Free", line: 2)]
            $0.classes = [
                Facts.class("Deep", line: 4, bases: ["Free", "Local"]), Facts.class("Deeper", line: 7, bases: ["Deep"]),
                Facts.class("Apart", line: 10, bases: ["Free"]),
            ]
        }
        let violations = SingletonClassDetector.violations([base, middle, leaf])
        #expect(violations.map { "\($0.location.path):\($0.location.range.line)" } == [
            "app/base.py:1", "app/leaf.py:4", "app/leaf.py:7", "app/middle.py:4",
        ])
        // Each names the nearest singleton class above it along its bases, as the walk up finds it.
        #expect(violations[1].message.contains("derives from the singleton class Registry"))
        #expect(violations[2].message.contains("derives from the singleton class Registry"))
    }

    @Test func metaclassCachingInAModuleDict() {
        let file = Facts.file("m.py") {
            $0.assignments = [Facts.assignment("_instances", .mutableLiteral, line: 1)]
            $0.classes = [Facts.class("Meta", line: 3, bases: ["ABCMeta"]), Facts.class("Plain", line: 10, bases: ["type"])]
            $0.functions = [
                Facts.function("Meta.__call__", line: 4, className: "Meta", parameters: ["cls"], returns: ["_instances[cls]"]),
                Facts.function("Plain.__call__", line: 11, className: "Plain", parameters: ["cls"], returns: ["obj"]),
            ]
            $0.mutations = [Facts.mutation("_instances", .subscriptAssign, in: "Meta.__call__", line: 6)]
        }
        #expect(SingletonClassDetector.violations([file]).map(\.location.range.line) == [3])
    }

    @Test func enumsAndDecoratorsByName() {
        let file = Facts.file("m.py") {
            $0.classes = [
                Facts.class("Color", line: 1, bases: ["Enum"]), Facts.class("Clock", line: 5, decorators: ["utils.singleton"]),
                Facts.class("Tick", line: 8, decorators: ["singleton_factory"]),
            ]
            $0.classAttributes = [Facts.attribute("Color", "_instances", .mutableLiteral, "{}", line: 2)]
            $0.functions = [Facts.function("Color.__new__", line: 3, className: "Color", parameters: ["cls"], returns: ["cls._instances[0]"])]
        }
        #expect(SingletonClassDetector.violations([file]).map(\.location.range.line) == [5])
    }

    @Test(arguments: [
        ("cls._instance", "cls._instance", true), ("x_cls._instance", "cls._instance", false),
        ("cls._instance2", "cls._instance", false), ("obj.cls._instance", "cls._instance", false),
        ("cast(T, cls._instance)", "cls._instance", true), ("cls._instance[cls]", "cls._instance", true),
    ])
    func referencesMatchWholeNames(_ text: String, _ target: String, _ expected: Bool) {
        #expect(SingletonClassDetector.references(text, target) == expected)
    }

    @Test func attributesReadFromAReceiver() {
        #expect(SingletonClassDetector.attributes(of: "cls", in: "cls._a or mcls._b or cls._c[cls.d]") == ["_a", "_c", "d"])
    }
}

@Suite struct PythonShapesContainsTests {
    @Test(arguments: [
        ("Singleton", "Singleton", true),
        ("BaseSingletonMeta", "Singleton", true),
        ("abc.Singleto", "Singleton", false),
        ("SingletoSingleton", "Singleton", true),
        ("", "Singleton", false),
        ("x", "", true),
        ("é.Singleton", "Singleton", true),
        ("Singletén", "Singleton", false),
    ])
    func agreesWithStringContains(text: String, word: String, expected: Bool) {
        let found = word.isEmpty ? PythonShapes.contains("", in: text) : PythonShapes.contains("Singleton", in: text)
        #expect(found == expected)
        #expect(found == (word.isEmpty || text.contains(word)))
    }
}
