import Foundation

/// Resident memory, open file descriptors and CPU time of this process, read from /proc/self
/// (Linux). A field that cannot be read is nil and its metric is left out.
struct ProcessSample: Sendable {
    var residentBytes: UInt64?
    var openFileDescriptors: Int?
    var cpuSeconds: Double?
    var startTimeSeconds: Double?

    /// Linux reports times in clock ticks of `sysconf(_SC_CLK_TCK)`, memory in pages.
    static func read() -> ProcessSample {
        var sample = ProcessSample()
        let pageSize = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
        let ticks = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
        // statm: size resident shared text lib data dt (pages).
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = UInt64(fields[1]) { sample.residentBytes = pages * pageSize }
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            sample.openFileDescriptors = entries.count
        }
        // stat: the command may contain spaces, so fields are counted after its closing ')'.
        // utime and stime are fields 14 and 15, starttime field 22 (proc(5)).
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // fields[0] is field 3 (state).
            if fields.count > 19, let user = Double(fields[11]), let system = Double(fields[12]) {
                sample.cpuSeconds = (user + system) / ticks
                if let start = Double(fields[19]), let boot = bootTime() {
                    sample.startTimeSeconds = boot + start / ticks
                }
            }
        }
        return sample
    }

    private static func bootTime() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in stat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count))
        }
        return nil
    }
}
