import CanonCore
import CanonSingletons
import Testing

@Suite struct CachedInstanceFactoryDetectorTests {
    @Test(arguments: [
        ("lru_cache", true), ("lru_cache()", true), ("functools.lru_cache(maxsize=None)", true), ("cache", true),
        ("functools.cache", true), ("ft.lru_cache(1)", true), ("django.cache", false), ("cached_property", false),
        ("cache_page(60)", false),
    ])
    func cacheDecorators(_ decorator: String, _ reported: Bool) {
        let file = Facts.file("m.py") {
            $0.functions = [Facts.function("get_client", line: 2, decorators: [decorator], returns: ["Client()"])]
        }
        #expect(CachedInstanceFactoryDetector.violations([file]).count == (reported ? 1 : 0))
    }

    @Test(arguments: [
        ("Client()", true), ("http.Client(timeout=3)", true), ("Factory.create(x)", true), ("cls()", true),
        ("renderer_class()", true), ("import_string(path)()", true), ("make_thing()", true), ("make_other()", false),
        ("CONFIG.get('x')", false), ("Client().name", false), ("Client() if x else None", false), ("client", false),
        ("os.environ.get('A') == '1'", false), ("Model.__subclasses__()", false), ("'text'", false), ("Path(p) / 'x'", false), ("f(')')()", true),
        ("", false),
    ])
    func instantiations(_ returned: String, _ reported: Bool) {
        let file = Facts.file("m.py") {
            $0.classes = [Facts.class("make_thing", line: 1)]
            $0.functions = [
                Facts.function("make_other", line: 3),
                Facts.function("get", line: 6, decorators: ["lru_cache"], returns: ["None", returned]),
            ]
        }
        #expect(CachedInstanceFactoryDetector.violations([file]).count == (reported ? 1 : 0))
    }

    @Test func parametersMemoizePerArgumentButAClassMethodsClassDoesNot() {
        let file = Facts.file("m.py") {
            $0.functions = [
                Facts.function("a", line: 1, decorators: ["cache"], parameters: ["region"], returns: ["Client(region)"]),
                Facts.function("b", line: 4, decorators: ["cache"], parameters: ["args"], returns: ["Client(*args)"]),
                Facts.function(
                    "C.shared", line: 7, className: "C", decorators: ["classmethod", "cache"], parameters: ["cls"], returns: ["cls()"]),
                Facts.function("C.mine", line: 10, className: "C", decorators: ["cache"], parameters: ["self"], returns: ["Thing(self)"]),
            ]
        }
        let violations = CachedInstanceFactoryDetector.violations([file])
        #expect(violations.map(\.location.range.line) == [7])
        #expect(violations.first?.message.hasPrefix("C.shared() is cached with no parameters (@cache) and returns cls()") == true)
    }
}
