#!/usr/bin/env python3
"""Checks which packages each library product of Canon pulls in, from `swift package dump-package` JSON.

SwiftPM builds only the targets a product needs, so a product whose target closure names no swift-syntax
product never compiles swift-syntax. The products an embedder uses to scan Python (core, the Python front
end, policy, engine, reporting, a rule family) must not reach swift-syntax; `Canon` and `CanonSwift` must.

Usage: swift package dump-package | check_products.py
"""
import json
import sys

PYTHON_ONLY = ["CanonCore", "CanonPython", "CanonPolicy", "CanonEngine", "CanonReporting", "CanonDuplicates"]
WITH_SWIFT = ["Canon", "CanonSwift", "CanonCommandLine"]


def main():
    package = json.load(sys.stdin)
    targets = {target["name"]: target for target in package["targets"]}
    products = {product["name"]: product["targets"] for product in package["products"]}

    def packages_reached(product):
        seen, reached, pending = set(), set(), list(products[product])
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            for dependency in targets[name]["dependencies"]:
                if "product" in dependency:
                    reached.add(dependency["product"][1])
                else:
                    key = "byName" if "byName" in dependency else "target"
                    pending.append(dependency[key][0])
        return reached

    failures = []
    for product in PYTHON_ONLY:
        reached = packages_reached(product)
        print(f"{product}: {', '.join(sorted(reached)) or 'no packages'}")
        if "swift-syntax" in reached:
            failures.append(f"{product} reaches swift-syntax; keep swift-syntax to CanonSwift and what includes it")
    for product in WITH_SWIFT:
        reached = packages_reached(product)
        print(f"{product}: {', '.join(sorted(reached))}")
        if "swift-syntax" not in reached:
            failures.append(f"{product} no longer reaches swift-syntax, so it cannot read Swift")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
