import Canon
import Testing

@Suite struct CheckPolicyCommandTests {
    @Test func aValidPolicyExitsZeroAndSaysWhatItHolds() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("p.yml", "layers:\n  - name: a\n    layers: [x, y]\noverrides:\n  - files: [t/]\n    rules: {DUP001: {severity: off}}\n")
        let run = runCanon(["check-policy", tree.path("p.yml")])
        #expect(run.code == 0)
        #expect(run.stdout.contains("p.yml: ok: "))
        #expect(run.stdout.contains("1 contract, 1 override"))
    }

    @Test func anInvalidPolicyExitsTwoWithFileLineAndColumn() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("p.yml", "version: 1\nrules:\n  import_cycle:\n    dept: 2\n")
        let run = runCanon(["check-policy", tree.path("p.yml")])
        #expect(run.code == 2)
        #expect(run.stderr.contains("\(tree.path("p.yml")):4:5: unknown key 'dept'"))
        #expect(run.stderr.contains("did you mean 'depth'?"))
        #expect(run.stdout.isEmpty)
    }

    @Test func aMissingPolicyFileIsAnError() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        let run = runCanon(["check-policy", tree.path("nope.yml")])
        #expect(run.code == 2)
        #expect(run.stderr.contains("cannot read the policy"))
    }
}
