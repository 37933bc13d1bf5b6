import STUNWire
import Testing
@testable import TURNServer

/// The classic BPF program that steers a client's packets to an event loop by its address.
@Suite struct ReusePortShardingTests {
    @Test func theIPv4ProgramLoadsTheSourceAddressFoldsItAndReturnsTheIndex() {
        let program = ReusePortSharding.instructions(family: .ipv4, sockets: 4)
        #expect(program.map(\.code) == [0x20, 0x07, 0x74, 0xAC, 0x94, 0x16])
        #expect(program[0].k == 0xFFF0_0000 + 12)
        #expect(program[4].k == 4)
    }

    @Test func theIPv6ProgramFoldsAllFourWordsOfTheSource() {
        let program = ReusePortSharding.instructions(family: .ipv6, sockets: 2)
        let loads = program.filter { $0.code == ReusePortSharding.Instruction.loadWordAbsolute }.map(\.k)
        #expect(loads == [8, 12, 16, 20].map { 0xFFF0_0000 + $0 })
        #expect(program.last?.code == ReusePortSharding.Instruction.returnA)
    }

    @Test(arguments: [("127.0.0.1", 2, 1), ("127.0.0.2", 2, 0), ("192.0.2.1", 3, (0xC000_0201 ^ 0xC000) % 3)])
    func theIndexIsTheFoldedAddressModuloTheSockets(_ host: String, _ sockets: Int, _ expected: UInt32) {
        #expect(ReusePortSharding.socketIndex(for: IPAddress(host)!, sockets: sockets) == Int(expected))
    }
}
