import Foundation

/// Writes a synthetic Python project of any size, the same for the same seed: packages of modules of about
/// 15 KB each, with imports between them (absolute, relative, under `TYPE_CHECKING`, in `try`/`except
/// ImportError`), classes and methods, module-level state, lazy singletons, class-level registries and a pair
/// of duplicated classes per package, so every rule family has work to do.
///
/// Everything grows linearly with the number of files, as in a real project: packages import only packages
/// before them and modules only the module before them (one small cycle every 50 packages), and each
/// duplicated class has two homes, so no finding's list of related places grows with the tree.
public struct SyntheticTree: Sendable {
    /// How many `.py` files to write.
    public var files: Int
    public var seed: UInt64
    /// Modules per package (each package also gets an `__init__.py`).
    public var modulesPerPackage = 40

    public init(files: Int, seed: UInt64 = 1) {
        self.files = files
        self.seed = seed
    }

    /// The paths (relative, `/`-separated) and contents of every file.
    public func sources() -> [(path: String, text: String)] {
        var result: [(path: String, text: String)] = []
        result.reserveCapacity(files)
        var random = SplitMix64(seed: seed)
        let packages = max(1, (files + modulesPerPackage) / (modulesPerPackage + 1))
        var index = 0
        outer: for package in 0..<packages {
            let name = Self.packageName(package)
            result.append(("\(name)/__init__.py", initModule(package: package, random: &random)))
            index += 1
            for module in 0..<modulesPerPackage {
                if index >= files { break outer }
                result.append(("\(name)/\(Self.moduleName(module)).py", self.module(package: package, module: module, packages: packages, random: &random)))
                index += 1
            }
        }
        return result
    }

    /// Writes the tree under `root` (created if needed) and returns how many bytes it wrote.
    @discardableResult
    public func write(to root: URL) throws -> Int {
        var bytes = 0
        var made: Set<String> = []
        for (path, text) in sources() {
            let url = root.appendingPathComponent(path)
            let folder = url.deletingLastPathComponent().path
            if made.insert(folder).inserted {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            let data = Data(text.utf8)
            try data.write(to: url)
            bytes += data.count
        }
        return bytes
    }

    static func packageName(_ package: Int) -> String { "pkg\(package)" }
    static func moduleName(_ module: Int) -> String { "mod\(module)" }

    static let classNames = [
        "Manager", "Registry", "Config", "Settings", "Client", "Session", "Cache", "Handler", "Service", "Store",
        "Builder", "Parser", "Loader", "Engine", "Router", "Worker", "Pool", "Queue", "Factory", "Adapter",
    ]
    static let words = [
        "value", "name", "items", "count", "result", "data", "key", "options", "state", "path", "size", "token",
        "entry", "record", "field", "index", "buffer", "source", "target", "context",
    ]

    private func initModule(package: Int, random: inout SplitMix64) -> String {
        var text = "\"\"\"Package \(Self.packageName(package)).\"\"\"\n"
        for module in 0..<min(3, modulesPerPackage) {
            text += "from .\(Self.moduleName(module)) import \(Self.mainClass(package: package, module: module))\n"
        }
        text += "\n__all__ = [\"VERSION\"]\nVERSION = \"1.\(package).0\"\n"
        return text
    }

    /// The one class every module defines under a name of its own, which other modules import.
    static func mainClass(package: Int, module: Int) -> String {
        "\(classNames[(package * 7 + module) % classNames.count])P\(package)M\(module)"
    }

    private func module(package: Int, module: Int, packages: Int, random: inout SplitMix64) -> String {
        var text = "\"\"\"Module \(Self.packageName(package)).\(Self.moduleName(module)): generated for benchmarks.\"\"\"\n"
        text += "from __future__ import annotations\n\nimport logging\nimport os\nimport threading\nfrom typing import TYPE_CHECKING, Any\n\n"
        if package > 0 {
            for _ in 0..<random.below(4) + 2 {
                let other = random.below(package)
                let target = random.below(modulesPerPackage)
                text += "from \(Self.packageName(other)).\(Self.moduleName(target)) import \(Self.mainClass(package: other, module: target))\n"
            }
        }
        if module > 0 {
            text += "from .\(Self.moduleName(module - 1)) import helper_\(module - 1)\n"
        } else if package % 50 == 0 && modulesPerPackage > 1 {
            text += "from . import \(Self.moduleName(1))\n"
        }
        text += "\nif TYPE_CHECKING:\n    from \(Self.packageName(random.below(packages))) import VERSION\n\n"
        text += "try:\n    import ujson as json\nexcept ImportError:\n    import json\n\n"
        text += "logger = logging.getLogger(__name__)\n_registry: dict[str, Any] = {}\n_lock = threading.Lock()\n"
        if random.below(4) == 0 {
            text += "_instance = None\n\n\ndef get_instance():\n    global _instance\n    if _instance is None:\n        _instance = \(Self.mainClass(package: package, module: module))()\n    return _instance\n"
        }
        text += "\n\ndef helper_\(module)(value, *args, **kwargs):\n    \"\"\"Return a value.\"\"\"\n    _registry[str(value)] = value\n    return [item for item in args if item]\n"
        text += classDefinition(name: Self.mainClass(package: package, module: module), shared: random.below(10) == 0, random: &random)
        if module < 2 {
            text += classDefinition(name: "SettingsP\(package)", shared: false, random: &random)
        }
        for index in 0..<random.below(3) + 2 {
            text += classDefinition(name: "\(Self.words[random.below(Self.words.count)].capitalized)P\(package)M\(module)C\(index)", shared: false, random: &random)
        }
        if random.below(8) == 0 {
            text += "\n\nmanager = \(Self.mainClass(package: package, module: module))()\n"
        }
        return text
    }

    /// A class of 4 to 8 methods; a `shared` one keeps a class-level registry its methods fill.
    private func classDefinition(name: String, shared: Bool, random: inout SplitMix64) -> String {
        var text = "\n\nclass \(name)(object):\n    \"\"\"A \(name.lowercased()) for the benchmarks.\"\"\"\n\n"
        text += "    handlers: dict = {}\n    limit = \(random.below(1000))\n\n"
        text += "    def __init__(self, name: str, options: dict | None = None) -> None:\n"
        text += "        self.name = name\n        self.options = options or {}\n        self._items = []\n\n"
        for method in 0..<random.below(5) + 4 {
            let word = Self.words[random.below(Self.words.count)]
            let other = Self.words[random.below(Self.words.count)]
            text += "    def \(word)_\(method)(self, \(other), *rest, flag=False):\n"
            text += "        # Combine the \(word) with the \(other) and keep what is new.\n"
            text += "        total = 0\n        for position, item in enumerate(self._items):\n"
            text += "            if item == \(other) or (flag and position > \(random.below(50))):\n"
            text += "                total += len(str(item)) * \(random.below(9) + 1)\n"
            text += "            elif isinstance(item, (list, tuple)):\n                total -= 1\n"
            text += "        message = f\"{self.name}: \(word) {total!r} of {len(self._items)}\"\n"
            text += "        logger.debug(message)\n        self._items.append(\(other))\n"
            if shared { text += "        \(name).handlers[\"\(word)\"] = \(other)\n" }
            text += "        return {\"\(word)\": total, \"\(other)\": [x * 2 for x in range(\(random.below(20)))]}\n\n"
        }
        return text
    }
}

/// A small, fast pseudo-random generator (SplitMix64), so a seed always gives the same tree.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}
