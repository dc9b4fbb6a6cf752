import CanonCore
import Testing

/// `NameTable` reads and writes as a `[String: Value]` dictionary does, and `NameSet` as a `Set<String>`.
@Suite struct NameTableTests {
    @Test func readsAndWritesAsADictionaryByString() {
        let names = ["", "a", "sympy.core.numbers", "sqlalchemy.orm.attributes", "naïve", "日本語"]
        var table = NameTable<Int>()
        var dictionary: [String: Int] = [:]
        for (offset, name) in names.enumerated() {
            table[name] = offset
            dictionary[name] = offset
        }
        table["a"] = nil
        dictionary["a"] = nil
        table["naïve", default: 0] += 10
        dictionary["naïve", default: 0] += 10
        table["new", default: 7] += 1
        dictionary["new", default: 7] += 1
        let insertedAgain = table.insertIfAbsent("new", 100)
        let insertedNew = table.insertIfAbsent("newer", 100)
        #expect(!insertedAgain)
        #expect(insertedNew)
        dictionary["newer"] = 100
        #expect(table.count == dictionary.count)
        #expect(!table.isEmpty)
        #expect(Set(table.keys) == Set(dictionary.keys))
        #expect(Dictionary(uniqueKeysWithValues: table.map { ($0.key, $0.value) }) == dictionary)
        #expect(table.values.sorted() == dictionary.values.sorted())
        for name in names + ["missing"] { #expect(table[name] == dictionary[name]) }
    }

    @Test func mergesAndComparesByContent() {
        var a: NameTable<[String]> = ["m": ["x"], "other.module": ["y"]]
        let b: NameTable<[String]> = ["m": ["z"], "third": ["w"]]
        a.merge(b, combining: +)
        #expect(a == ["m": ["x", "z"], "other.module": ["y"], "third": ["w"]])
        var nested: [String: NameTable<[String]>] = [:]
        nested["k", default: [:]]["m", default: []].append("n")
        var copy = nested
        #expect(copy == nested)
        copy["k"]?["m"] = nil
        #expect(copy != nested)
        #expect(copy["k"]?.isEmpty == true)
    }

    @Test func nameSetReadsAndWritesAsASetOfStrings() {
        let names = ["", "a", "sympy.core.numbers", "sqlalchemy.orm.attributes", "naïve", "日本語", "a"]
        var set = NameSet()
        var strings: Set<String> = []
        for name in names { #expect(set.insert(name) == strings.insert(name).inserted) }
        set.remove("a")
        strings.remove("a")
        set.remove("missing")
        set.formUnion(["x.y", "日本語"])
        strings.formUnion(["x.y", "日本語"])
        set.formUnion(NameSet(["z", ""]))
        strings.formUnion(["z", ""])
        #expect(set.count == strings.count)
        #expect(!set.isEmpty && NameSet().isEmpty)
        #expect(Set(set) == strings)
        for name in names + ["missing", "x.y", "z"] { #expect(set.contains(name) == strings.contains(name)) }
        #expect(set == NameSet(strings))
        #expect(set != NameSet(strings.subtracting(["z"])))
        let literal: NameSet = ["p", "q", "p"]
        #expect(literal.count == 2 && literal.sorted() == ["p", "q"])
    }

    @Test func addingPackagesStopsAtOneAlreadyThere() {
        var names: NameSet = ["a.b"]
        DottedName.addPackages(of: "a.b.c.d", to: &names)
        #expect(names.sorted() == ["a.b", "a.b.c"])
        DottedName.addPackages(of: "x.y", to: &names)
        #expect(names.sorted() == ["a.b", "a.b.c", "x"])
    }
}
