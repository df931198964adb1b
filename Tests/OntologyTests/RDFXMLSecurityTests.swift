import Foundation
import Testing
@testable import Ontology

/// Hostile documents: entity expansion bombs and external entities, which must be refused
/// quickly and without touching the file system or the network.
struct RDFXMLSecurityTests {
    static let prolog = """
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
        """

    func billionLaughs(inAttribute: Bool) -> String {
        var dtd = "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
        let names = Array("abcdefghij")
        for index in 1..<names.count {
            let previous = "&\(names[index - 1]);"
            dtd += "<!ENTITY \(names[index]) \"\(String(repeating: previous, count: 10))\">\n"
        }
        let use = inAttribute ? "<ex:p rdf:resource=\"http://x/&j;\"/>" : "<ex:p>&j;</ex:p>"
        return "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n\(dtd)]>\n" + Self.prolog
            + "<rdf:Description rdf:about=\"http://example.org/s\">\(use)</rdf:Description></rdf:RDF>"
    }

    @Test(arguments: [false, true])
    func billionLaughsIsRejectedFast(inAttribute: Bool) throws {
        let document = billionLaughs(inAttribute: inAttribute)
        #expect(document.utf8.count < 1100)
        let start = ContinuousClock.now
        do {
            _ = try RDFXMLParser().triples(in: document)
            Issue.record("a billion laughs document was accepted")
        } catch let error as OntologyError {
            #expect(error.code == .rdfxmlEntityLimit)
            #expect(error.position != nil)
        }
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func entityExpansionBelowLibxmlLimitsIsStillBounded() throws {
        var limits = RDFXMLParser.Limits()
        limits.maxEntityExpansion = 1000
        let document = "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [<!ENTITY big \"\(String(repeating: "x", count: 400))\">]>\n"
            + Self.prolog + "<rdf:Description rdf:about=\"http://example.org/s\"><ex:p>&big;&big;&big;</ex:p></rdf:Description></rdf:RDF>"
        #expect(throws: OntologyError.self) { _ = try RDFXMLParser(limits: limits).triples(in: document) }
        // The same document within the limit parses, with the entity expanded.
        let triples = try RDFXMLParser().triples(in: document)
        #expect(triples.first?.object.literal?.lexicalForm.count == 1200)
    }

    /// A FIFO that nobody writes to: opening it for reading would block the parser forever, so
    /// a prompt error proves the file was never opened.
    func makeFIFO() throws -> String {
        let path = NSTemporaryDirectory() + "registryd-xxe-\(UInt32.random(in: 0...UInt32.max)).fifo"
        guard mkfifo(path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        return path
    }

    func parseWithDeadline(_ document: String) async throws -> Result<[Triple], OntologyError> {
        try await withThrowingTaskGroup(of: Result<[Triple], OntologyError>?.self) { group in
            group.addTask {
                await Task.detached {
                    do { return .success(try RDFXMLParser().triples(in: document)) }
                    catch let error as OntologyError { return .failure(error) }
                    catch { return .failure(OntologyError(.io, "\(error)")) }
                }.value
            }
            group.addTask {
                try await Task.sleep(for: .seconds(3))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let first else { throw CancellationError() }
            return first
        }
    }

    @Test func externalGeneralEntityNeverOpensTheFile() async throws {
        let fifo = try makeFIFO()
        defer { unlink(fifo) }
        let document = "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM \"file://\(fifo)\">]>\n"
            + Self.prolog + "<rdf:Description rdf:about=\"http://example.org/s\"><ex:p>&xxe;</ex:p></rdf:Description></rdf:RDF>"
        let outcome = try await parseWithDeadline(document)
        guard case .failure(let error) = outcome else { Issue.record("XXE document accepted"); return }
        #expect(error.code == .rdfxmlExternalEntity)
        #expect(error.message.contains("xxe"))
    }

    @Test func externalDTDIsNeverOpened() async throws {
        let fifo = try makeFIFO()
        defer { unlink(fifo) }
        let document = "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF SYSTEM \"file://\(fifo)\">\n"
            + Self.prolog + "<rdf:Description rdf:about=\"http://example.org/s\"><ex:p>v</ex:p></rdf:Description></rdf:RDF>"
        let outcome = try await parseWithDeadline(document)
        guard case .success(let triples) = outcome else { Issue.record("\(outcome)"); return }
        #expect(triples.count == 1)
    }

    @Test func externalEntitiesNeverOpenASocket() async throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let url = "http://127.0.0.1:\(listener.port)/evil"
        let documents = [
            "<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM \"\(url)\">]>\n" + Self.prolog
                + "<rdf:Description rdf:about=\"http://example.org/s\"><ex:p>&xxe;</ex:p></rdf:Description></rdf:RDF>",
            "<!DOCTYPE rdf:RDF [<!ENTITY % remote SYSTEM \"\(url)\"> %remote;]>\n" + Self.prolog + "</rdf:RDF>",
            "<!DOCTYPE rdf:RDF SYSTEM \"\(url)\">\n" + Self.prolog + "</rdf:RDF>",
        ]
        for document in documents {
            _ = try? RDFXMLParser().triples(in: "<?xml version=\"1.0\"?>\n" + document)
        }
        #expect(listener.acceptedConnections() == 0)
        #expect(throws: OntologyError.self) { _ = try RDFXMLParser().triples(in: "<?xml version=\"1.0\"?>\n" + documents[0]) }
        #expect(throws: OntologyError.self) { _ = try RDFXMLParser().triples(in: "<?xml version=\"1.0\"?>\n" + documents[1]) }
    }
}

/// A TCP listener on 127.0.0.1 that counts the connections made to it.
final class LoopbackListener {
    let socketDescriptor: Int32
    let port: UInt16

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else { throw CocoaError(.fileWriteUnknown) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        socketDescriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
    }

    func acceptedConnections() -> Int {
        var count = 0
        while true {
            let connection = accept(socketDescriptor, nil, nil)
            if connection < 0 { return count }
            Glibc.close(connection)
            count += 1
        }
    }

    func close() { Glibc.close(socketDescriptor) }
}
