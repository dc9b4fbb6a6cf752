import CanonCore
import Testing

@testable import CanonPython

@Suite struct DeprecationTests {
    @Test func directWarnings() throws {
        let facts = try facts(
            """
            import warnings
            from warnings import warn as w
            warnings.warn("old module", DeprecationWarning, stacklevel=2)
            w(message="soon", category=PendingDeprecationWarning)
            warnings.warn("not a deprecation", UserWarning)
            if x:
                warnings.warn(f"formatted {x}", category=DeprecationWarning)
            def g():
                warnings.warn("inside g", DeprecationWarning)

            """)
        #expect(facts.deprecations.map(\.category) == [
            "DeprecationWarning", "PendingDeprecationWarning", "DeprecationWarning",
        ])
        #expect(facts.deprecations.map(\.message) == ["old module", "soon", nil])
        #expect(facts.deprecations[0].range == range(3, 1, 3, 62))
        #expect(facts.deprecations.allSatisfy { $0.viaFunction == nil })
    }

    @Test func oneHopThroughAModuleLevelFunction() throws {
        let facts = try facts(
            """
            import warnings
            def _warn():
                warnings.warn("moved", DeprecationWarning)
            def quiet():
                pass
            _warn()
            quiet()
            _warn()

            """)
        #expect(facts.deprecations.count == 1)
        #expect(facts.deprecations.first?.viaFunction == "_warn")
        #expect(facts.deprecations.first?.range == range(3, 5, 3, 47))
        #expect(facts.deprecations.first?.message == "moved")
    }

    @Test func warnWithoutImportFromWarningsIsNotRecognised() throws {
        #expect(try facts("warn('x', DeprecationWarning)\n").deprecations.isEmpty)
    }
}

@Suite struct ModuleGetattrTests {
    @Test func getattrWithDeprecation() throws {
        let facts = try facts(
            """
            import warnings
            def __getattr__(name):
                if name == "Old":
                    warnings.warn("Old is deprecated", DeprecationWarning)
                    return New
                raise AttributeError(name)

            """)
        #expect(facts.moduleGetattr == ModuleGetattrFact(range: range(2, 1, 2, 16), warnsDeprecation: true))
    }

    @Test func getattrWithoutDeprecationAndMethodGetattr() throws {
        let plain = try facts("def __getattr__(name):\n    return globals()[name]\n")
        #expect(plain.moduleGetattr?.warnsDeprecation == false)
        let method = try facts("class C:\n    def __getattr__(self, name): pass\n")
        #expect(method.moduleGetattr == nil)
    }
}

@Suite struct AttributeUseTests {
    @Test func chainsFromPlainImports() throws {
        let facts = try facts(
            """
            import a.b as m
            import os.path
            from x import y
            value = m.X
            def f():
                return os.path.join(m.sub.Y, y.z)

            """)
        #expect(facts.attributeUses.map(\.base) == ["m", "os", "m"])
        #expect(facts.attributeUses.map(\.path) == [["X"], ["path", "join"], ["sub", "Y"]])
        #expect(facts.attributeUses[1].range == range(6, 12, 6, 24))
    }

    @Test func attributeOfAttributeIsNotAUse() throws {
        let facts = try facts("import m\nother.m.X\n'm.Y'\n# m.Z\n")
        #expect(facts.attributeUses.isEmpty)
    }
}

@Suite struct MutationTests {
    @Test func mutationsInsideFunctions() throws {
        let facts = try facts(
            """
            REGISTRY = {}
            ITEMS = []
            REGISTRY['top'] = 1
            def register(name, value):
                global COUNT
                REGISTRY[name] = value
                REGISTRY[name] += 1
                del REGISTRY[name], other.x[1]
                ITEMS.append(value)
                x = ITEMS.pop()
                COUNT += 1
                local += 1
                ITEMS.sort()

            """)
        #expect(facts.mutations.map(\.name) == ["REGISTRY", "REGISTRY", "REGISTRY", "COUNT", "ITEMS", "ITEMS"])
        #expect(facts.mutations.map(\.kind) == [
            .subscriptAssign, .augmentedAssign, .subscriptDelete, .augmentedAssign, .methodCall("append"),
            .methodCall("pop"),
        ])
        #expect(facts.mutations.allSatisfy { $0.function == "register" })
        #expect(facts.mutations[0].range == range(6, 5, 6, 19))
        #expect(facts.mutations[4].range == range(9, 5, 9, 24))
    }

    @Test func memberMutationsInMethods() throws {
        let facts = try facts(
            """
            class Cache:
                def put(self, key, value):
                    self.items[key] = value
                    self.count += 1
                    self.last = key
                    self.order.append(key)
                    del self.items[key]
                    other.items[key] = value
                @classmethod
                def reset(cls):
                    cls.registry.clear()
                @staticmethod
                def helper(self):
                    self.items[1] = 2

            """)
        #expect(facts.memberMutations.map(\.attribute) == ["items", "count", "last", "items", "order", "registry"])
        #expect(facts.memberMutations.map(\.kind) == [
            .subscriptAssign, .augmentedAssign, .rebind, .subscriptDelete, .methodCall("append"),
            .methodCall("clear"),
        ])
        #expect(facts.memberMutations.map(\.receiver) == ["self", "self", "self", "self", "self", "cls"])
        #expect(facts.memberMutations.map(\.method) == ["put", "put", "put", "put", "put", "reset"])
        #expect(facts.memberMutations.allSatisfy { $0.className == "Cache" })
    }
}

@Suite struct SuppressionTests {
    @Test func forms() throws {
        let facts = try facts(
            """
            # canon: ignore-file[duplicate_class]
            x = 1  # canon: ignore[rule_a, DUP001] -- kept for compatibility
            y = 2  # canon: ignore
            z = "# canon: ignore[not_a_comment]"
            w = 3  # noqa  # canon: ignore[rule_b]
            # canon: ignored
            v = 4  # canon:ignore[ rule_c ]--why

            """)
        #expect(facts.suppressions.count == 5)
        #expect(facts.suppressions[0] == SuppressionFact(
            rules: ["duplicate_class"], reason: nil, isFileLevel: true, range: range(1, 1, 1, 38)))
        #expect(facts.suppressions[1].rules == ["rule_a", "DUP001"])
        #expect(facts.suppressions[1].reason == "kept for compatibility")
        #expect(facts.suppressions[1].range == range(2, 8, 2, 65))
        #expect(facts.suppressions[2].rules.isEmpty && facts.suppressions[2].reason == nil)
        #expect(facts.suppressions[3].rules == ["rule_b"])
        #expect(facts.suppressions[3].range.column == 16)
        #expect(facts.suppressions[4].rules == ["rule_c"] && facts.suppressions[4].reason == "why")
    }
}
