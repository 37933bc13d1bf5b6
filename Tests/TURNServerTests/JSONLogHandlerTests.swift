import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
@testable import TURNServer

/// `log.format: json`: one JSON object per line, parseable, with the metadata as fields.
@Suite struct JSONLogHandlerTests {
    @Test func aLineIsOneJSONObjectWithMessageLevelAndMetadata() throws {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "turnpike") { label in JSONLogHandler(label: label) { line in lines.withLockedValue { $0.append(line) } } }
        logger[metadataKey: "loop"] = "1"
        logger.info("allocation created", metadata: ["user": "a \"quoted\"\nname", "relayed": "192.0.2.1:50000"])
        logger.debug("below the level")
        let written = lines.withLockedValue { $0 }
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.hasSuffix("}\n"))
        #expect(line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["message"] == "allocation created")
        #expect(object["level"] == "info")
        #expect(object["label"] == "turnpike")
        #expect(object["loop"] == "1")
        #expect(object["user"] == "a \"quoted\"\nname")
        #expect(object["relayed"] == "192.0.2.1:50000")
        #expect(object["ts"]?.hasSuffix("Z") == true || object["ts"]?.contains("+") == true)
    }

    @Test func controlCharactersAreEscaped() {
        #expect(JSONLogHandler.quote("a\u{1}b\tc\\") == "\"a\\u0001b\\tc\\\\\"")
    }
}
