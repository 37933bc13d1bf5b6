import NIOCore

/// Test helper: bytes from hex text, ignoring spaces and newlines.
func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { $0.isHexDigit })
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    return stride(from: 0, to: digits.count, by: 2).map {
        UInt8(String(digits[$0...$0 + 1]), radix: 16)!
    }
}

func hexBuffer(_ text: String) -> ByteBuffer { ByteBuffer(bytes: hexBytes(text)) }

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}
