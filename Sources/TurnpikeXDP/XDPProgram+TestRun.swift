import CLibbpf
import CTurnpikeXDP

/// The outcome of running the program once on a packet through `bpf_prog_test_run_opts`.
public struct XDPTestRun: Hashable, Sendable {
    /// The XDP action the program returned.
    public var action: UInt32
    /// The packet after the program (what XDP_TX or a redirect would send).
    public var output: [UInt8]
    /// Kernel-measured nanoseconds per run (`duration`, averaged over `repeat`).
    public var nanosecondsPerRun: UInt32
}

extension XDPProgram {
    /// Runs the program on `packet` as if received on `ingressInterfaceIndex` (resolved in the
    /// calling thread's network namespace; 0 means loopback). `repetitions` > 1 reruns the
    /// program on the same buffer without resetting it, which only measures verdicts that
    /// leave the packet unchanged.
    public func testRun(packet: [UInt8], ingressInterfaceIndex: UInt32, repetitions: UInt32 = 1) throws(XDPError) -> XDPTestRun {
        var input = packet
        // Room for growth: the program adds at most 24 bytes (IPv4 → IPv6 and a ChannelData header).
        var output = [UInt8](repeating: 0, count: packet.count + 256)
        var context = xdp_md()
        context.data_end = UInt32(packet.count)
        context.ingress_ifindex = ingressInterfaceIndex
        var options = bpf_test_run_opts()
        options.sz = MemoryLayout<bpf_test_run_opts>.size
        let result = input.withUnsafeMutableBytes { inputBytes in
            output.withUnsafeMutableBytes { outputBytes in
                withUnsafeMutablePointer(to: &context) { contextPointer in
                    options.data_in = UnsafeRawPointer(inputBytes.baseAddress)
                    options.data_size_in = UInt32(inputBytes.count)
                    options.data_out = outputBytes.baseAddress
                    options.data_size_out = UInt32(outputBytes.count)
                    options.ctx_in = UnsafeRawPointer(contextPointer)
                    options.ctx_size_in = UInt32(MemoryLayout<xdp_md>.size)
                    options.repeat = Int32(clamping: repetitions)
                    return bpf_prog_test_run_opts(programDescriptor, &options)
                }
            }
        }
        guard result == 0 else { throw XDPError(.testRun, errno: -result, "bpf_prog_test_run_opts") }
        return XDPTestRun(action: options.retval, output: Array(output.prefix(Int(options.data_size_out))),
                          nanosecondsPerRun: options.duration)
    }
}
