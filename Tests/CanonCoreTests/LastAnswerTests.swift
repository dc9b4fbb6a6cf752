import CanonCore
import Testing

@Suite struct LastAnswerTests {
    @Test func asksAgainOnlyWhenTheKeyIsNotTheLastOne() {
        var memo = LastAnswer<Int>()
        var asked: [String] = []
        let answers = ["a.b", "a.b", "a.b.c", "a.b", "a.b"].map { key in
            memo.value(for: key) { key in
                asked.append(key)
                return key.count
            }
        }
        #expect(answers == [3, 3, 5, 3, 3])
        #expect(asked == ["a.b", "a.b.c", "a.b"])
    }
}
