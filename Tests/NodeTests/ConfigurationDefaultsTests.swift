import Testing
@testable import Node

@Suite struct ConfigurationDefaultsTests {
    @Test func callingAETitleFallsBackToTheNodeTitle() {
        var c = NodeConfiguration()
        c.node.aeTitle = "NODE1"
        #expect(c.effectiveCallingAETitle == "NODE1")
        c.sending.callingAETitle = "SENDER"
        #expect(c.effectiveCallingAETitle == "SENDER")
    }
}
