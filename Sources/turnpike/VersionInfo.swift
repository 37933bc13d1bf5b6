import CLibbpf
import CSodium

/// What `turnpike --version` prints: our version and the system libraries actually linked.
enum VersionInfo {
    static let turnpike = "0.1.0"

    static var text: String {
        let sodium = String(cString: sodium_version_string())
        let bpf = "\(libbpf_major_version()).\(libbpf_minor_version())"
        return "turnpike \(turnpike) (libsodium \(sodium), libbpf \(bpf))"
    }
}
