import CanonCore
import Testing

private struct SampleOptions: DetectorOptions {
    var names: [String] = ["a"]
    var limit = 2
    var strict = false
    init() {}
}

@Suite struct ConfigTests {
    let mark = ConfigMark(file: "p.yml", line: 4, column: 7)

    func mapping(_ entries: [(String, ConfigNode)]) -> ConfigNode {
        ConfigNode(.mapping(entries.map { ($0.0, mark, $0.1) }), mark: mark)
    }

    @Test func defaultsEncodeInDeclarationOrder() {
        let node = SampleOptions.defaultNode
        #expect(node.entries?.map(\.key) == ["names", "limit", "strict"])
        #expect(node["limit"] == ConfigNode(.scalar(.int(2))))
        #expect(node["names"] == ConfigNode(.sequence([ConfigNode(.scalar(.string("a")))])))
    }

    @Test func givenKeysOverrideDefaultsAndOthersKeepThem() throws {
        let options = try SampleOptions.decode(
            from: mapping([("limit", ConfigNode(.scalar(.int(5))))]), rule: "sample")
        #expect(options.limit == 5)
        #expect(options.names == ["a"])
    }

    @Test func unknownKeyNamesTheMarkAndSuggests() {
        #expect {
            try SampleOptions.decode(from: mapping([("limt", ConfigNode(.scalar(.int(5))))]), rule: "sample")
        } throws: { error in
            let text = "\(error)"
            return text.contains("p.yml:4:7") && text.contains("did you mean 'limit'")
        }
    }

    @Test func wrongTypeNamesPathAndMark() {
        let bad = ConfigNode(.scalar(.string("many")), mark: ConfigMark(file: "p.yml", line: 9, column: 3))
        #expect {
            try SampleOptions.decode(from: mapping([("limit", bad)]), rule: "sample")
        } throws: { error in
            "\(error)".contains("p.yml:9:3") && "\(error)".contains("'rules.sample.limit' must be an integer")
        }
    }

    @Test func suggestionsFindCloseWordsOnly() {
        #expect(Suggestions.closest(to: "duplicate_defintion", among: ["duplicate_definition", "x"]) == "duplicate_definition")
        #expect(Suggestions.closest(to: "zzz", among: ["duplicate_definition"]) == nil)
        #expect(Suggestions.distance("kitten", "sitting") == 3)
    }

    @Test func overlayReplacesListsAndKeepsOthers() {
        let base = mapping([("a", ConfigNode(.scalar(.int(1)))), ("b", ConfigNode(.sequence([])))])
        let top = mapping([("b", ConfigNode(.sequence([ConfigNode(.scalar(.int(2)))])))])
        let merged = base.overlaid(with: top)
        #expect(merged["a"] == ConfigNode(.scalar(.int(1))))
        #expect(merged["b"] == ConfigNode(.sequence([ConfigNode(.scalar(.int(2)))])))
    }
}

private struct Entry: Decodable, Equatable {
    var name: String
    var limit: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case limit
    }
}

@Suite struct StrictDecodingTests {
    @Test func caseIterableKeysRejectUnknownKeysInNestedValues() {
        let mark = ConfigMark(file: "p.yml", line: 3, column: 5)
        let item = ConfigNode(.mapping([("name", nil, ConfigNode(.scalar(.string("a")))), ("limt", mark, ConfigNode(.scalar(.int(1))))]))
        #expect {
            try ConfigDecoder().decode([Entry].self, from: ConfigNode(.sequence([item])), path: "entries")
        } throws: { error in
            "\(error)".contains("p.yml:3:5: unknown key 'limt' in 'entries[0]'; did you mean 'limit'?")
        }
        let good = ConfigNode(.mapping([("name", nil, ConfigNode(.scalar(.string("a"))))]))
        #expect((try? ConfigDecoder().decode(Entry.self, from: good)) == Entry(name: "a", limit: nil))
    }
}
