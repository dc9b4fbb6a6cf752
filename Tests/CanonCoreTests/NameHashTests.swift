import CanonCore
import Foundation
import Testing

@Suite struct NameHashTests {
    @Test(arguments: ["", "a", "os", "fifteen bytes!!", "sixteen bytes!!!", "sqlalchemy.orm.attributes", "naïve.ünïcödé", "日本語のモジュール名"])
    func aStringHashesAsItsBytes(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(NameHash.of(text) == bytes.withUnsafeBytes { NameHash.of($0) })
        // A string built another way (a bridged or sliced one has other storage) hashes the same.
        #expect(NameHash.of(String(Substring(text))) == NameHash.of(text))
        #expect(NameHash.of(NSString(string: text) as String) == NameHash.of(text))
    }

    /// The hash reads a name's last bytes as a whole (four, two, one at a time) to the value a byte at a time
    /// gives: every length up to three words, every possible last byte.
    @Test func theLastPartWordHashesAsItsBytesOneByOne() {
        func byteByByte(_ bytes: [UInt8]) -> UInt64 {
            func absorb(_ hash: UInt64, _ word: UInt64) -> UInt64 {
                let mixed = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
                return mixed ^ (mixed >> 29)
            }
            var hash = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
            var offset = 0
            while offset + 8 <= bytes.count {
                var word: UInt64 = 0
                for k in 0..<8 { word |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
                hash = absorb(hash, word)
                offset += 8
            }
            if offset < bytes.count {
                var word: UInt64 = 0
                for k in offset..<bytes.count { word |= UInt64(bytes[k]) << (8 * UInt64(k - offset)) }
                hash = absorb(hash, word)
            }
            return hash
        }
        for length in 0...24 {
            for last in [UInt8(0), 1, 0x7F, 0x80, 0xFF] {
                let bytes = (0..<length).map { $0 == length - 1 ? last : UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
                #expect(bytes.withUnsafeBytes { NameHash.of($0) } == byteByByte(bytes), "\(length) bytes ending in \(last)")
            }
        }
    }

    @Test func theSplitBetweenTwoPartsMatters() {
        let pairs = [("a", "bc"), ("ab", "c"), ("abc", ""), ("", "abc"), ("package.mod", "Name"), ("package", "mod.Name")]
        let hashes = pairs.map { NameHash.combine(NameHash.of($0.0), NameHash.of($0.1)) }
        #expect(Set(hashes).count == pairs.count)
        #expect(NameHash.combine(1, 2) != NameHash.combine(2, 1))
    }

    /// Names as a large project has them: distinct hashes, spread over a table's low bits whatever the seed.
    @Test func projectNamesSpreadOverBuckets() {
        var names: [String] = []
        for package in 0..<40 {
            for module in 0..<25 {
                for symbol in ["Config", "Client", "_instance", "get", "x", "Handler\(module)"] {
                    names.append("pkg\(package).sub.module_\(module).\(symbol)")
                }
            }
        }
        let hashes = names.map(NameHash.of)
        #expect(Set(hashes).count == names.count)
        for seed in [0, 1, -7, 123_456_789] {
            var buckets = Set<Int>()
            for hash in hashes { buckets.insert(NameHash.finish(hash, seed: seed) & 1023) }
            // 6,000 names in 1,024 buckets leave about 3 empty by chance; a poor mix leaves hundreds.
            #expect(buckets.count > 1000)
        }
    }

    @Test func hashedNamesAreTheirTexts() {
        let names = ["", "a", "Config", "sqlalchemy.orm.attributes", "naïve", "日本語"]
        let hashed = names.map(HashedName.init)
        for (name, key) in zip(names, hashed) {
            #expect(key.text == name)
            #expect(key.description == name)
            #expect(key == HashedName(String(Substring(name))))
            #expect(key.hashValue == HashedName(name).hashValue)
        }
        #expect(Set(hashed).count == names.count)
        #expect(hashed.sorted().map(\.text) == names.sorted())
        var table: [HashedName: Int] = [:]
        for (offset, key) in hashed.enumerated() { table[key] = offset }
        for (offset, name) in names.enumerated() { #expect(table[HashedName(name)] == offset) }
        #expect(table[HashedName("missing")] == nil)
    }
}
