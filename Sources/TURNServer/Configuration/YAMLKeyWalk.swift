import Yams

/// Every key path in a YAML document, with its line and whether it holds a value, a list or a
/// mapping. swift-configuration looks keys up one at a time and cannot list them, so this walk
/// is how a misspelt key is found instead of silently ignored, and how the user names of the
/// mapping form of `auth.users` are learned.
struct YAMLKeyWalk {
    enum Kind: Hashable {
        case scalar
        case list
        /// A mapping with no entries (or null under a section header); non-empty mappings are
        /// walked into and contribute their children instead.
        case emptyMapping
    }

    struct Entry: Hashable {
        var path: [String]
        var kind: Kind
        /// 1-based line in the file.
        var line: Int?

        var key: String { path.joined(separator: ".") }
    }

    private(set) var entries: [Entry] = []
    /// Keys that are not strings (`? [a, b]: c`), by line.
    private(set) var malformedKeys: [Int?] = []
    /// True when the document holds no node at all (empty, or only comments).
    private(set) var isEmptyDocument = false

    /// Throws Yams' parse error.
    init(yaml: String) throws {
        guard let root = try Yams.compose(yaml: yaml) else {
            isEmptyDocument = true
            return
        }
        guard case .mapping(let mapping) = root else {
            entries.append(Entry(path: [], kind: .scalar, line: root.mark?.line))
            return
        }
        walk(mapping, path: [])
    }

    private mutating func walk(_ mapping: Node.Mapping, path: [String]) {
        if mapping.isEmpty, !path.isEmpty {
            entries.append(Entry(path: path, kind: .emptyMapping, line: mapping.mark?.line))
        }
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                malformedKeys.append(keyNode.mark?.line)
                continue
            }
            let childPath = path + [scalar.string]
            switch value {
            case .mapping(let child):
                walk(child, path: childPath)
            case .sequence:
                entries.append(Entry(path: childPath, kind: .list, line: keyNode.mark?.line))
            case .scalar, .alias:
                entries.append(Entry(path: childPath, kind: .scalar, line: keyNode.mark?.line))
            }
        }
    }
}
