import Foundation
import SyntheticTree

// generate-tree FILES FOLDER [SEED]: writes a synthetic Python project of FILES files into FOLDER.
let arguments = CommandLine.arguments
guard arguments.count >= 3, let files = Int(arguments[1]), files > 0 else {
    FileHandle.standardError.write(Data("usage: generate-tree FILES FOLDER [SEED]\n".utf8))
    exit(2)
}
let seed = arguments.count > 3 ? UInt64(arguments[3]) ?? 1 : 1
let folder = URL(fileURLWithPath: arguments[2])
do {
    let bytes = try SyntheticTree(files: files, seed: seed).write(to: folder)
    print("wrote \(files) files, \(bytes) bytes, to \(folder.path)")
} catch {
    FileHandle.standardError.write(Data("generate-tree: cannot write '\(folder.path)': \(error.localizedDescription)\n".utf8))
    exit(1)
}
