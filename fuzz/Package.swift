// swift-tools-version:6.0
// libFuzzer targets for every registryd parser that takes outside input. Not part of the main
// package or its CI: build and run with `scripts/fuzz` (see README.md).
import PackageDescription

let targets: [(name: String, dependencies: [String])] = [
    ("fuzz-rdfxml", ["Ontology"]),
    ("fuzz-turtle", ["Ontology"]),
    ("fuzz-ntriples", ["Ontology"]),
    ("fuzz-sparql-query", ["Ontology"]),
    ("fuzz-sparql-update", ["Ontology"]),
    ("fuzz-policy", ["AccessControl"]),
    ("fuzz-manifest", ["Registry"]),
    ("fuzz-thing-description", ["Registry"]),
    ("fuzz-credentials", ["AccessControl", "JOSE"]),
]

let package = Package(
    name: "registryd-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [.target(name: "CFuzzerDriver"), .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"])] + targets.map { target in
        .executableTarget(
            name: target.name,
            dependencies: ["FuzzSupport"] + target.dependencies.map { .product(name: $0, package: "main") },
            path: "Sources/\(target.name)"
        )
    }
)
