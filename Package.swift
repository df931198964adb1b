// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "registryd",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "JSON", targets: ["JSON"]),
        .library(name: "Ontology", targets: ["Ontology"]),
        .library(name: "Registry", targets: ["Registry"]),
        .library(name: "JOSE", targets: ["JOSE"]),
        .library(name: "AccessControl", targets: ["AccessControl"]),
        .library(name: "AccessService", targets: ["AccessService"]),
        .executable(name: "registryd", targets: ["registryd"]),
        .executable(name: "conformance", targets: ["conformance"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.60.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
        // gRPC health checks (`grpc.health.v1`) of registered instances.
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.0.0"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.0.0"),
    ],
    targets: [
        // System libraries, each found through pkg-config and installable from Debian.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]
        ),
        // The daemon's allocator: glibc's malloc kept freed memory in the process, so resident
        // size crept up for minutes under a steady load (RELIABILITY.md §3).
        .systemLibrary(
            name: "CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"]), .brew(["jemalloc"])]
        ),
        // JSON for every target: one value tree, one parser, one writer and string escaper.
        .target(
            name: "JSON"
        ),
        .target(
            name: "Ontology",
            dependencies: ["CLibXML2", "CSQLite", "JSON"]
        ),
        .target(
            name: "Registry",
            dependencies: ["JSON", "Ontology"]
        ),
        // Compact JWS signing and verification (EdDSA, ES256) and JWK sets, through OpenSSL.
        .target(
            name: "JOSE",
            dependencies: ["COpenSSL", "JSON"]
        ),
        // The access service: the policy language, attribute domains, credentials, decisions.
        .target(
            name: "AccessControl",
            dependencies: ["JOSE", "JSON", "Ontology"]
        ),
        // The access service: policies, authorities and subjects as journal records, decisions
        // with the ontology's facts, bindings issued, reused, revoked and re-decided.
        .target(
            name: "AccessService",
            dependencies: ["AccessControl", "JOSE", "JSON", "Ontology", "Registry"]
        ),
        .executableTarget(
            name: "registryd",
            dependencies: [
                "JSON",
                "Ontology",
                "Registry",
                "AccessControl",
                "AccessService",
                "JOSE",
                "COpenSSL",
                "CJemalloc",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "conformance",
            dependencies: [
                "JSON", "Ontology",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "JSONTests",
            dependencies: ["JSON"]
        ),
        .testTarget(
            name: "OntologyTests",
            dependencies: ["Ontology"]
        ),
        .testTarget(
            name: "RegistryTests",
            dependencies: ["Registry", "JSON", "Ontology"]
        ),
        .testTarget(
            name: "JOSETests",
            dependencies: ["JOSE"]
        ),
        .testTarget(
            name: "AccessControlTests",
            dependencies: ["AccessControl", "JOSE", "JSON", "Ontology"]
        ),
        .testTarget(
            name: "AccessServiceTests",
            dependencies: ["AccessService", "AccessControl", "Registry", "JOSE", "JSON", "Ontology"]
        ),
        .testTarget(
            name: "registrydTests",
            dependencies: [
                "Ontology", "JOSE", "JSON", "Registry", "AccessService", "registryd",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
    ]
)
