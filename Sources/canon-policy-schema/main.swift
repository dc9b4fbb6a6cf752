import Canon
import Foundation

// Writes the JSON Schema of the policy for the built-in rules: to the file given as the only argument, else to
// standard output. `swift run canon-policy-schema docs/policy.schema.json` refreshes the checked-in copy.
let schema = PolicySchema.generate(registry: BuiltinRules.registry())
let arguments = CommandLine.arguments.dropFirst()
if let path = arguments.first {
    do {
        try Data(schema.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        FileHandle.standardError.write(Data("canon-policy-schema: cannot write '\(path)': \(error.localizedDescription)\n".utf8))
        exit(2)
    }
} else {
    FileHandle.standardOutput.write(Data(schema.utf8))
}
