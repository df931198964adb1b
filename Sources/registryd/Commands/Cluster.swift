import ArgumentParser
import Foundation
import JSON

/// `registryd cluster status`: the site's log head and every node's applied position, lag and
/// last report, read from etcd (no node needs to answer).
struct Cluster: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect a cluster of registryd nodes over etcd.",
        subcommands: [Status.self]
    )

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the members and their lag: the log's head, then one line per node (name, applied position, lag, last report, leader).")

        @Option(name: .customLong("etcd"), help: ArgumentHelp("The etcd members' client URLs, comma-separated.", valueName: "URL[,URL...]"))
        var etcd: String

        @Option(name: .customLong("etcd-prefix"), help: "The site's etcd key prefix.")
        var etcdPrefix: String = "/registryd"

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            let endpoints = etcd.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            let client = EtcdClient(endpoints: endpoints)
            defer { try? client.syncShutdown() }
            let prefix = etcdPrefix.hasSuffix("/") ? String(etcdPrefix.dropLast()) : etcdPrefix
            let head: Int64
            let reports: [JSONValue]
            let leader: String?
            do {
                head = try EtcdLog(client: client, prefix: prefix).head()
                let nodes = Array((prefix + "/nodes/").utf8)
                reports = try client.range(nodes, end: EtcdClient.prefixEnd(nodes)).kvs.compactMap { try? JSONValue.parse($0.value) }
                leader = try client.range(Array((prefix + "/leader").utf8)).kvs.first.map { String(decoding: $0.value, as: UTF8.self) }
            } catch {
                throw CommandFailure("cannot read the cluster from etcd: \(error)")
            }
            if json {
                let members: [JSONValue] = reports.map { report in
                    guard case .object(var member) = report else { return report }
                    if let applied = member["applied"]?.numberValue { member["lag"] = .number(Double(head) - applied) }
                    member["leader"] = .bool(member["name"]?.stringValue == leader)
                    return .object(member)
                }
                print(JSONValue.object(["head": .number(Double(head)), "members": .array(members)]).jsonText)
                return
            }
            print("log head: \(head)")
            print("NODE".padding(toLength: 24, withPad: " ", startingAt: 0) + "APPLIED   LAG  REPORTED                  LEADER")
            for report in reports {
                let name = report["name"]?.stringValue ?? "?"
                let applied = Int64(report["applied"]?.numberValue ?? 0)
                let columns = [name.padding(toLength: 24, withPad: " ", startingAt: 0),
                               String(applied).padding(toLength: 10, withPad: " ", startingAt: 0),
                               String(head - applied).padding(toLength: 5, withPad: " ", startingAt: 0),
                               (report["reported"]?.stringValue ?? "").padding(toLength: 26, withPad: " ", startingAt: 0),
                               name == leader ? "yes" : ""]
                print(columns.joined())
            }
        }
    }
}
