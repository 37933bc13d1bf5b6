/// Why an operation on the XDP fast path failed.
///
/// Errors are equal when their codes are equal; `errno`, the diagnostics (libbpf's log, the
/// verifier's among it) and the source location help a person reading a log or a failed test.
public struct XDPError: Error, Hashable, Sendable {
    public var code: Code
    /// The positive errno value reported by the kernel or libbpf, 0 when there was none.
    public var errno: Int32
    public var diagnostics: String
    public var file: String
    public var line: UInt

    public init(_ code: Code, errno: Int32 = 0, _ diagnostics: String = "", file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.errno = errno
        self.diagnostics = diagnostics
        self.file = file
        self.line = line
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// A reason code, stable enough to be a log field.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ description: String) { self.description = description }

        /// libbpf could not parse the embedded object.
        public static let open = Code("open")
        /// The object's layout is not what turnpike_xdp.h describes (a build mix-up).
        public static let abiMismatch = Code("abi_mismatch")
        /// The kernel refused to load the program or create its maps (verifier, privileges).
        public static let load = Code("load")
        /// The configuration cannot be expressed (too many listening ports).
        public static let invalidConfiguration = Code("invalid_configuration")
        /// No network interface has that name.
        public static let noSuchInterface = Code("no_such_interface")
        /// The program could not be attached in any mode that was asked for.
        public static let attach = Code("attach")
        /// The program could not be detached.
        public static let detach = Code("detach")
        /// Every route index is in use: the channel stays on the userspace path.
        public static let routesExhausted = Code("routes_exhausted")
        /// A map update, lookup or delete failed.
        public static let map = Code("map")
        /// A netlink socket for egress resolution could not be opened.
        public static let netlink = Code("netlink")
        /// `bpf_prog_test_run_opts` failed.
        public static let testRun = Code("test_run")
    }
}

extension XDPError: CustomStringConvertible {
    public var description: String {
        var text = "XDPError.\(code)"
        if errno != 0 { text += " (errno \(errno))" }
        if !diagnostics.isEmpty { text += ": \(diagnostics)" }
        return text + " (\(file):\(line))"
    }
}
