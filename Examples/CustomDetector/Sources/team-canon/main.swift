import Canon
import CanonCommandLine
import TeamRules

// The stock command line with the team's detector added: `team-canon scan`, `rules`, `explain` and the rest.
do {
    CommandLineTool.main(registry: try BuiltinRules.registry().adding(TeamRules.detectors))
} catch {
    fatalError("the team's detectors clash with the built-ins: \(error)")
}
