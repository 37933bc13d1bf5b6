import Foundation
import Testing
import TurnpikeXDP
#if canImport(Glibc)
import Glibc
#endif

/// Whether this process can load XDP programs and make network namespaces (root with CAP_BPF
/// and CAP_NET_ADMIN, and `ip` installed). Checked once, by loading the real program.
enum Privilege {
    static let canLoadXDP: Bool = {
        guard geteuid() == 0, (try? Shell.run(["ip", "-V"])) != nil else { return false }
        return (try? XDPProgram(configuration: Topology.configuration)) != nil
    }()

    static let skipMessage: Comment =
        "needs root with CAP_BPF and CAP_NET_ADMIN to load XDP programs and create network namespaces"
}
