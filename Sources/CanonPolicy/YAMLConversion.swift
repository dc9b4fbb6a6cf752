import CanonCore
import Yams

/// Turns a Yams node into a `ConfigNode`, keeping every value's mark so errors can name the line.
struct YAMLConversion {
    let file: String

    func mark(_ node: Yams.Node) -> ConfigMark? {
        node.mark.map { ConfigMark(file: file, line: $0.line, column: $0.column) }
    }

    func convert(_ node: Yams.Node) throws(PolicyError) -> ConfigNode {
        switch node {
        case .scalar(let scalar):
            return ConfigNode(.scalar(convert(scalar, tag: node.tag)), mark: mark(node))
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            for item in sequence { items.append(try convert(item)) }
            return ConfigNode(.sequence(items), mark: mark(node))
        case .mapping(let mapping):
            var entries: [(key: String, keyMark: ConfigMark?, value: ConfigNode)] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    let place = mark(key) ?? ConfigMark(file: file, line: 1, column: 1)
                    throw .syntax(file: file, line: place.line, column: place.column, problem: "a key must be a plain scalar")
                }
                entries.append((keyScalar.string, mark(key), try convert(value)))
            }
            return ConfigNode(.mapping(entries), mark: mark(node))
        case .alias:
            let place = mark(node) ?? ConfigMark(file: file, line: 1, column: 1)
            throw .syntax(file: file, line: place.line, column: place.column, problem: "aliases are not supported")
        }
    }

    private func convert(_ scalar: Yams.Node.Scalar, tag: Tag) -> ConfigNode.Scalar {
        let text = scalar.string
        switch tag.rawValue {
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue: return Bool.construct(from: scalar).map(ConfigNode.Scalar.bool) ?? .string(text)
        case Tag.Name.int.rawValue: return Int.construct(from: scalar).map(ConfigNode.Scalar.int) ?? .string(text)
        case Tag.Name.float.rawValue: return Double.construct(from: scalar).map(ConfigNode.Scalar.double) ?? .string(text)
        default: return .string(text)
        }
    }
}
