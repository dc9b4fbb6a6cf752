@_exported import CanonCore
@_exported import CanonEngine
@_exported import CanonFix
@_exported import CanonPolicy
@_exported import CanonReporting
@_exported import CanonSwift
