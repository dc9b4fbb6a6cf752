@testable import CanonCore
import Testing

@Suite struct ResolutionMemoTests {
    let a = SymbolKey("pkg.a", "A")
    let b = SymbolKey("pkg.b", "B")
    let c = SymbolKey("pkg.c", "C")

    func module(_ name: String) -> ResolvedSymbol { ResolvedSymbol(origin: .module(name)) }

    func entries(_ memo: ResolutionMemo) -> [SymbolKey: ResolvedSymbol] {
        var seen: [SymbolKey: ResolvedSymbol] = [:]
        memo.forEach { key, value in
            #expect(seen[key] == nil, "\(key) visited twice")
            seen[key] = value
        }
        return seen
    }

    @Test func aLookupTakesTheFirstPartThatHasTheKey() {
        let memo = ResolutionMemo(parts: [[a: module("first")], [:], [a: module("second"), b: module("b")]])
        #expect(memo[a] == module("first"))
        #expect(memo[b] == module("b"))
        #expect(memo[c] == nil)
        #expect(memo.keys == [a, b])
        #expect(entries(memo) == [a: module("first"), b: module("b")])
        #expect(!memo.isEmpty)
        #expect(ResolutionMemo(parts: [[:], [:]]).isEmpty)
    }

    @Test func settingAndRemovingReachEveryPart() {
        var memo = ResolutionMemo(parts: [[a: module("first")], [a: module("second"), b: module("b")]])
        memo[b] = module("new")
        #expect(memo[b] == module("new"))
        #expect(entries(memo) == [a: module("first"), b: module("new")])
        #expect(memo.removeValue(forKey: a) == module("first"))
        // Taken out of the second part too: a lookup does not find the older value underneath.
        #expect(memo[a] == nil)
        memo[b] = nil
        #expect(memo[b] == nil)
        #expect(memo.isEmpty)
        memo[c] = module("c")
        #expect(memo[c] == module("c") && memo.keys == [c])
    }

    @Test func equalityIsOfTheEntriesNotOfTheSplit() {
        let split = ResolutionMemo(parts: [[a: module("a")], [a: module("a"), b: module("b")]])
        let whole = ResolutionMemo(parts: [[a: module("a"), b: module("b")]])
        #expect(split == whole)
        #expect(split != ResolutionMemo(parts: [[a: module("a")]]))
        #expect(split != ResolutionMemo(parts: [[a: module("a"), b: module("other")]]))
        // The first part's value is the memo's, whatever a later part holds for the key.
        #expect(ResolutionMemo(parts: [[a: module("a")], [a: module("x")]]) == ResolutionMemo(parts: [[a: module("a")]]))
    }
}
