import CanonCore
import Testing

@Suite struct ModulePatternTests {
    @Test func wildcardsStandForOneOrMoreNames() throws {
        let one = try ModulePattern("app.*.models")
        #expect(one.matches("app.shop.models"))
        #expect(!one.matches("app.shop.sub.models"))
        #expect(!one.matches("app.models"))
        let many = try ModulePattern("app.**")
        #expect(many.matches("app.a") && many.matches("app.a.b.c"))
        #expect(!many.matches("app"))
        let middle = try ModulePattern("app.**.models")
        #expect(middle.matches("app.a.models") && middle.matches("app.a.b.models") && !middle.matches("app.models"))
        #expect(try ModulePattern("app.api").isLiteral && !many.isLiteral)
    }

    @Test func coversMeansThePackageAndWhatIsInsideIt() throws {
        let pattern = try ModulePattern("app.api")
        #expect(pattern.covers("app.api") && pattern.covers("app.api.views.v1"))
        #expect(!pattern.covers("app.apis") && !pattern.covers("app"))
        #expect(try ModulePattern("app.*").covers("app.x.y"))
    }

    @Test func malformedPatternsSayWhy() {
        for (text, reason) in [("app..x", "empty module name"), ("app.mod*", "inside a name"), ("app.*.**", "two wildcards"), ("", "empty"), ("app/x", "dotted")] {
            #expect { try ModulePattern(text) } throws: { "\($0)".contains(reason) }
        }
    }

    @Test func importExceptionsReadImporterAndImported() throws {
        let exception = try ImportException("app.core.*  ->  app.api.views")
        #expect(exception.matches(importer: "app.core.money", imported: "app.api.views"))
        #expect(!exception.matches(importer: "app.core.money", imported: "app.api"))
        #expect { try ImportException("app.core.money") } throws: { "\($0)".contains("importer -> imported") }
        #expect { try ImportException("app.core -> ") } throws: { "\($0)".contains("importer -> imported") }
    }
}
