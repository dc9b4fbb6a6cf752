import CanonCore

/// Reports a class-level attribute bound to a mutable container that methods mutate through `self.` or
/// `cls.`: one container shared by every instance (and every subclass that does not bind its own).
public struct SharedClassStateDetector: Detector {
    public static let description = RuleDescription(
        id: "shared_class_state",
        code: "SGL006",
        family: .singletons,
        summary: "A class-level mutable container is mutated by methods and shared by every instance",
        rationale: """
            `class Session: cache = {}` makes one dict for the class, not one per object: `self.cache[k] = v` \
            in any instance writes into the dict every other instance (and every subclass that does not bind \
            its own) reads, so one user's data reaches another's request. Bind the container per instance in \
            `__init__` (`self.cache = {}`), or use `dataclasses.field(default_factory=dict)`. Not reported: \
            containers only read, dataclass and pydantic-style fields (their defaults are copied per instance), \
            `field(default_factory=...)`, and attributes that `__init__` rebinds on `self` before methods \
            mutate them.
            """,
        defaultSeverity: .warning,
        triggeringExamples: [
            Example(
                """
                from collections import defaultdict


                class Session:
                    ↓cache = {}
                    ↓listeners = defaultdict(list)
                    name = "session"

                    def remember(self, key, value):
                        self.cache[key] = value

                    @classmethod
                    def listen(cls, topic, listener):
                        cls.listeners.setdefault(topic, []).append(listener)


                class Plugin:
                    ↓registry = []

                    def __init_subclass__(cls, **kwargs):
                        cls.registry.append(cls)


                class Child(Session):
                    def forget(self, key):
                        del self.cache[key]
                """),
        ],
        nonTriggeringExamples: [
            Example(
                """
                import dataclasses
                from dataclasses import dataclass, field
                from typing import ClassVar

                from pydantic import BaseModel


                class Config:
                    NAMES = ("a", "b")
                    defaults = {"debug": False}

                    def get(self, key):
                        return self.defaults.get(key)


                class Buffer:
                    items = []

                    def __init__(self):
                        self.items = []

                    def push(self, item):
                        self.items.append(item)


                @dataclass
                class Order:
                    lines: list = field(default_factory=list)
                    tags: dict = dataclasses.field(default_factory=dict)

                    def add(self, line):
                        self.lines.append(line)


                class Request(BaseModel):
                    headers: dict = {}

                    def set_header(self, key, value):
                        self.headers[key] = value
                """),
        ])

    public init(options: NoOptions) {}

    /// Decorators (last component, without arguments) that make a class's annotated attributes fields copied
    /// per instance.
    static let fieldDecorators: Set<String> = ["dataclass", "define", "frozen", "mutable", "attrs", "s", "dataclass_json"]
    /// Bases (last component) whose subclasses' annotated attributes are fields copied per instance.
    static let modelBases: Set<String> = [
        "BaseModel", "BaseSettings", "RootModel", "SQLModel", "Struct", "TypedDict", "NamedTuple", "Document",
    ]
    /// Methods whose `self.x = ...` gives each instance its own `x` before other methods run.
    static let initializers: Set<String> = ["__init__", "__post_init__", "__new__", "setUp", "setup_method"]

    public static var preparedValues: [any IndexDerived.Type] { [ClassHierarchy.self] }

    /// As `module_instance` reads a file (`FileFacts.classFactsHash`).
    public func factsHash(of file: FileFacts, in context: DetectionContext) -> UInt64? { file.classFactsHash }

    public func detect(in context: DetectionContext) -> [Violation] {
        let hierarchy = context.derived(ClassHierarchy.self)
        var violations: [Violation] = []
        for file in context.index.reportedModuleFiles {
            for attribute in file.classAttributes where PythonShapes.isMutableContainer(attribute.value) {
                guard let owner = hierarchy.entry(module: file.module, qualifiedName: attribute.className) else { continue }
                if attribute.annotation.map({ !$0.contains("ClassVar") }) ?? false, hierarchy.firstAncestor(of: owner, where: Self.hasFields) != nil {
                    continue
                }
                let mutators = hierarchy.sharingClasses(of: attribute.name, from: owner).flatMap {
                    Self.mutatingMethods(of: attribute.name, in: $0, owner: owner, hierarchy: hierarchy)
                }
                guard !mutators.isEmpty else { continue }
                let names = Array(Set(mutators)).sorted()
                violations.append(
                    Violation(
                        location: SourceLocation(path: file.path, range: attribute.range),
                        message: """
                            class attribute '\(attribute.className).\(attribute.name)' (= \(attribute.valueText)) is one \
                            container shared by every instance, and \(Prose.list(names.map { "\($0)()" })) \
                            \(names.count == 1 ? "mutates" : "mutate") it; bind it per instance in __init__
                            """,
                        subject: "\(file.module).\(attribute.className).\(attribute.name)"))
            }
        }
        return violations
    }

    /// Whether a class's annotated attributes are fields copied per instance: a dataclass-style decorator or a
    /// model base (`BaseModel`, `TypedDict`, ...).
    private static func hasFields(_ entry: ClassHierarchy.Entry) -> Bool {
        entry.fact.decorators.contains { fieldDecorators.contains(PythonShapes.lastComponent($0)) }
            || entry.fact.bases.contains { modelBases.contains(PythonShapes.lastComponent($0)) }
    }

    /// The methods of `entry` that mutate the shared `name` (`Class.method`): through `cls.`, or through `self.`
    /// unless an initializer of the class (or of a class between it and `owner`) rebinds it on `self`.
    private static func mutatingMethods(
        of name: String, in entry: ClassHierarchy.Entry, owner: ClassHierarchy.Entry, hierarchy: ClassHierarchy
    ) -> [String] {
        // The mutations are read in place, by index: a class's attributes are each checked against every member
        // mutation of its file, and copying each out retained its five strings.
        let file = entry.file
        let members = file.memberMutations
        let mutations = members.indices.filter {
            members[$0].className == entry.fact.qualifiedName && members[$0].attribute == name
        }
        guard !mutations.isEmpty else { return [] }
        let ownedPerInstance = hierarchy.lineage(from: entry, to: owner).contains { link in
            let file = link.file
            let members = file.memberMutations
            return members.indices.contains {
                members[$0].className == link.fact.qualifiedName && members[$0].attribute == name
                    && members[$0].kind == .rebind && initializers.contains(members[$0].method)
                    && !isClassReceiver(members[$0], in: file)
            }
        }
        return mutations.compactMap { offset in
            let mutation = members[offset]
            guard mutation.kind != .rebind else { return nil }
            if ownedPerInstance && !isClassReceiver(mutation, in: file) { return nil }
            return "\(mutation.className).\(mutation.method)"
        }
    }

    /// Whether a member mutation goes through the class (`cls.` in a class method, `__init_subclass__` or
    /// `__new__`) rather than an instance.
    private static func isClassReceiver(_ mutation: MemberMutationFact, in file: FileFacts) -> Bool {
        if ["__init_subclass__", "__new__", "__class_getitem__"].contains(mutation.method) { return true }
        return file.functions.contains { function in
            function.className == mutation.className && function.name == mutation.method
                && function.decorators.contains { PythonShapes.lastComponent($0) == "classmethod" }
        }
    }
}
