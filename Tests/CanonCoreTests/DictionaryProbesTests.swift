import CanonCore
import Testing

@Suite struct DictionaryProbesTests {
    @Test func insertIfAbsentKeepsTheFirstValueAndSaysWhetherItStored() {
        var table: [String: Int] = [:]
        var made = 0
        func value(_ v: Int) -> Int {
            made += 1
            return v
        }
        let stored = [
            table.insertIfAbsent("a", value(1)), table.insertIfAbsent("a", value(2)),
            table.insertIfAbsent("a long key past fifteen bytes", value(3)),
        ]
        #expect(stored == [true, false, true])
        #expect(table == ["a": 1, "a long key past fifteen bytes": 3])
        // The value is made only when it is stored.
        #expect(made == 2)
    }
}
