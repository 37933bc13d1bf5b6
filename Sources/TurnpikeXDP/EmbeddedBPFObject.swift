/// The compiled XDP program, generated into `hex` at build time by the TurnpikeBPFPlugin from
/// `ebpf/turnpike.bpf.c`, so an installed binary needs no file beside it.
enum EmbeddedBPFObject {
    /// The ELF object's bytes.
    static var bytes: [UInt8] {
        hex.withUTF8Buffer { digits in
            var bytes = [UInt8]()
            bytes.reserveCapacity(digits.count / 2)
            var index = 0
            while index + 1 < digits.count {
                bytes.append(nibble(digits[index]) << 4 | nibble(digits[index + 1]))
                index += 2
            }
            return bytes
        }
    }

    /// The generator writes only `0-9a-f`.
    private static func nibble(_ digit: UInt8) -> UInt8 {
        digit >= UInt8(ascii: "a") ? digit - UInt8(ascii: "a") + 10 : digit - UInt8(ascii: "0")
    }
}
