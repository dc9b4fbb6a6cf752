import Canon
import CanonCommandLine

CommandLineTool.main(registry: BuiltinRules.registry())
