import CanonCore
import CanonDeprecations
import CanonDuplicates
import CanonEngine
import CanonImports
import CanonLayers
import CanonSingletons
import CanonSwift
import CanonSuppressions

/// The detectors that ship with Canon.
public enum BuiltinRules {
    /// Every built-in detector type.
    public static let detectors: [any Detector.Type] = [
        DuplicateDefinitionDetector.self,
        ConceptSprawlDetector.self,
        LazyGlobalSingletonDetector.self,
        GlobalStateMutationDetector.self,
        ModuleInstanceDetector.self,
        SingletonClassDetector.self,
        CachedInstanceFactoryDetector.self,
        SharedClassStateDetector.self,
        LayerViolationDetector.self,
        ForbiddenImportDetector.self,
        ImportCycleDetector.self,
        StaleAllowlistEntryDetector.self,
        FragmentedImportDetector.self,
        FallbackImportDetector.self,
        UnresolvedImportDetector.self,
        ConceptFootprintDetector.self,
        DeprecatedImportDetector.self,
        UnusedSuppressionDetector.self,
    ]

    /// Every built-in front end, in the order they are asked: Python, then Swift.
    public static let frontEnds: [any FrontEnd] = [PythonLanguage(), SwiftLanguage()]

    /// A registry of the built-in detectors, reading files with every built-in front end.
    public static func registry() -> Registry {
        // The built-in ids and codes are unique; a test checks it.
        do { return try Registry(detectors, frontEnds: frontEnds) } catch { preconditionFailure("built-in registry: \(error)") }
    }
}
