import CanonCore

extension FileFacts {
    /// What the rules that judge classes across the project read of this file's own facts, as a hash
    /// (`Detector.factsHash`), for `module_instance` and `shared_class_state`: its classes (where they sit, their
    /// bases, keywords and decorators), class attributes, mutations of members, methods, top-level functions,
    /// module-level assignments and star imports, and the imports that bind a name a class base or a called
    /// name starts with (what those resolve through in this module).
    ///
    /// Left out: the other imports, whose names no base or callee here reads (an `import os` appended, when no
    /// module-level call starts with `os.`); what another module reads of this one's names comes through an
    /// import of it, which puts that module in the edit's reach.
    var classFactsHash: UInt64 {
        var hash = InputHash()
        hash.add(path)
        hash.add(module)
        var read: Set<String> = []
        hash.add(classes.count)
        for fact in classes {
            hash.add(fact.name)
            hash.add(fact.qualifiedName)
            hash.add(fact.kind.rawValue)
            hash.add(fact.isTopLevel ? 1 : 0)
            hash.add(fact.range)
            hash.add(fact.bodyRange)
            for list in [fact.bases, fact.keywords, fact.decorators] {
                hash.add(list.count)
                for item in list { hash.add(item) }
            }
            for base in fact.bases { read.insert(DottedName.top(of: base)) }
        }
        hash.add(classAttributes.count)
        for fact in classAttributes {
            hash.add(fact.className)
            hash.add(fact.name)
            hash.add(fact.value)
            hash.add(fact.valueText)
            hash.add(fact.annotation ?? "\u{0}")
            hash.add(fact.range)
        }
        hash.add(memberMutations.count)
        for fact in memberMutations {
            hash.add(fact.className)
            hash.add(fact.method)
            hash.add(fact.receiver)
            hash.add(fact.attribute)
            hash.add(fact.kind)
            hash.add(fact.range)
        }
        for fact in functions where fact.className != nil || fact.isTopLevel {
            hash.add(fact.className ?? "\u{0}")
            hash.add(fact.name)
            hash.add(fact.range)
            hash.add(fact.decorators.count)
            for decorator in fact.decorators { hash.add(decorator) }
        }
        hash.add(assignments.count)
        for fact in assignments {
            hash.add(fact.name)
            hash.add(fact.value)
            hash.add(fact.range)
            hash.add(fact.isAugmented ? 1 : 0)
            if case .call(let callee) = fact.value { read.insert(DottedName.top(of: callee)) }
            if case .alias(let target) = fact.value { read.insert(DottedName.top(of: target)) }
        }
        for fact in imports where fact.kind != .function {
            guard fact.isStar || fact.boundName.map(read.contains) == true else { continue }
            hash.add(fact)
        }
        return hash.value
    }
}
