import ArgumentParser
import Foundation
import NIOSSL

/// `serve`'s cluster mode: several nodes share a site's state through etcd (off by default:
/// one process on SQLite, nothing else to start).
struct ClusterOptions: ParsableArguments {
    @Option(name: .customLong("etcd"), help: ArgumentHelp(
        "Run as a cluster node over these etcd members (their client URLs, comma-separated); the data directory is then this node's replica and must start empty.",
        valueName: "URL[,URL...]"))
    var etcd: String?

    @Option(help: "This node's name in the cluster (with --etcd; default: the host name and port).")
    var node: String?

    @Option(name: .customLong("etcd-prefix"), help: "The etcd key prefix the site's state lives under; sites sharing an etcd cluster use different ones.")
    var etcdPrefix: String = "/registryd"

    @Option(name: .customLong("etcd-ca"), help: "PEM file of the CA that signed the etcd members' certificates (https:// endpoints).")
    var etcdCA: String?

    @Option(name: .customLong("etcd-cert"), help: "PEM client certificate this node presents to etcd (with --etcd-key).")
    var etcdCert: String?

    @Option(name: .customLong("etcd-key"), help: "PEM private key of --etcd-cert.")
    var etcdKey: String?

    @Option(name: .customLong("cluster-log-retain"), help: ArgumentHelp("Log entries kept in etcd when it is compacted (nodes further behind start from a snapshot).", visibility: .hidden))
    var logRetain: Int64 = 10_000

    @Option(name: .customLong("cluster-compact-interval"), help: ArgumentHelp("Seconds between compactions of the log by the leading node.", visibility: .hidden))
    var compactInterval: Double = 10

    func validate() throws {
        if etcd == nil, node != nil || etcdCA != nil || etcdCert != nil || etcdKey != nil {
            throw ValidationError("--node, --etcd-ca, --etcd-cert and --etcd-key need --etcd")
        }
        if (etcdCert == nil) != (etcdKey == nil) { throw ValidationError("--etcd-cert and --etcd-key go together") }
        if let etcd {
            for endpoint in endpoints(etcd) where !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
                throw ValidationError("--etcd takes http:// or https:// URLs, not `\(endpoint)`")
            }
            guard !endpoints(etcd).isEmpty else { throw ValidationError("--etcd needs at least one URL") }
        }
        guard etcdPrefix.hasPrefix("/"), !etcdPrefix.contains(" ") else { throw ValidationError("--etcd-prefix must start with `/`") }
    }

    private func endpoints(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The node these options describe, or nil without --etcd.
    func makeNode(defaultName: String) throws -> ClusterNode? {
        guard let etcd else { return nil }
        var tls: TLSConfiguration?
        if etcdCA != nil || etcdCert != nil {
            var configuration = TLSConfiguration.makeClientConfiguration()
            do {
                if let etcdCA { configuration.trustRoots = .file(etcdCA) }
                if let etcdCert, let etcdKey {
                    configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(etcdCert).map { .certificate($0) }
                    configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: etcdKey, format: .pem))
                }
            } catch {
                throw CommandFailure("cannot read the etcd TLS files: \(error)")
            }
            tls = configuration
        }
        return ClusterNode(name: node ?? defaultName, endpoints: endpoints(etcd), prefix: etcdPrefix, tls: tls,
                           retainedEntries: logRetain, compactionInterval: .milliseconds(Int64(compactInterval * 1000)))
    }
}
