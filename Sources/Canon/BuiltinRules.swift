import CanonCore
import CanonDuplicates
import CanonLayers
import CanonSingletons
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
        UnusedSuppressionDetector.self,
    ]

    /// A registry of the built-in detectors.
    public static func registry() -> Registry {
        // The built-in ids and codes are unique; a test checks it.
        do { return try Registry(detectors) } catch { preconditionFailure("built-in registry: \(error)") }
    }
}
