import Foundation
import Hummingbird
import JSON
import Ontology
import Registry

/// Turns a registration body into a ``RegistrationInput``, by media type: a manifest
/// (`application/json`), a WoT Thing Description (`application/td+json`, or JSON with an
/// `@context`), or RDF (`application/rdf+xml`, `text/turtle`, `application/n-triples`).
///
/// A TD or RDF document carries no instance settings of registryd's, so the query string may
/// give them: `id`, `name` (TD), `tier`, `host`, `weight`, `ttl`.
enum RegistrationBody {
    static func decode(_ bytes: [UInt8], contentType: String?, query: [String: String]? = nil, baseIRI: String) throws -> RegistrationInput {
        var mediaType = try MediaType.bodyType(contentType) ?? ""
        // No type, or the one `curl --data` sends: tell JSON from RDF/XML by the first byte.
        if ["", "application/x-www-form-urlencoded", "text/plain", "application/octet-stream"].contains(mediaType) {
            let first = bytes.first { ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains($0) }
            mediaType = first == UInt8(ascii: "<") ? "application/rdf+xml" : "application/json"
        }
        switch mediaType {
        case "application/json", "application/td+json", "application/ld+json", "text/json":
            let json = try ManifestDecoder.parse(bytes)
            let isTD: Bool
            if mediaType == "application/json" || mediaType == "text/json", case .object(let fields) = json {
                isTD = fields["@context"] != nil
            } else {
                isTD = mediaType != "application/json" && mediaType != "text/json"
            }
            if isTD {
                var overrides = ThingDescriptionDecoder.Overrides(instance: try instance(from: query, base: InstanceSpec()))
                // A pulled TD's relative hrefs resolve against where it was fetched (RFC 3986 §5.1.3).
                if baseIRI != RegistrationTrust.uploadBaseIRI { overrides.documentURL = baseIRI }
                if let name = query?["name"] { overrides.name = try ServiceName(name) }
                return .manifest(try ThingDescriptionDecoder.decode(json, overrides: overrides), source: .thingDescription)
            }
            return .manifest(try ManifestDecoder.decode(json), source: .manifest)
        case let type where ContentNegotiation.rdfFormat(type) != nil:
            let format = ContentNegotiation.rdfFormat(type) ?? .turtle
            var document = try RDFManifestReader.read(bytes, format: format, baseIRI: baseIRI)
            document.manifest.instance = try instance(from: query, base: document.manifest.instance)
            return .rdf(document)
        default:
            throw APIError(.unsupportedMediaType, code: "request.unsupported_media_type",
                           "a registration is application/json (manifest), application/td+json (Thing Description), application/rdf+xml or text/turtle, not \(mediaType)")
        }
    }

    /// The document to keep with a registration: a Thing Description's text, as it arrived.
    static func document(of input: RegistrationInput, _ bytes: [UInt8]) -> String? {
        guard case .manifest(_, source: .thingDescription) = input else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The query string as a dictionary (the last value of a repeated key wins).
    static func query(of request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { result[String(key)] = String(value) }
        return result
    }

    /// Instance settings from the query string, over `base`.
    static func instance(from query: [String: String]?, base: InstanceSpec) throws -> InstanceSpec {
        var instance = base
        guard let query else { return instance }
        if let id = query["id"] {
            guard ManifestRules.isIdentifier(id) else {
                throw RegistryError(.invalidRequest, "`id`: `\(id)` is not an id: 1 to 128 of letters, digits and . _ -")
            }
            instance.id = id
        }
        if let tier = query["tier"] {
            guard let value = DeploymentTier(rawValue: tier) else { throw RegistryError(.invalidRequest, "`tier`: `\(tier)` is not one of device, edge, fog, cloud") }
            instance.tier = value
        }
        if let host = query["host"] {
            guard ManifestRules.isIdentifier(host) else {
                throw RegistryError(.invalidRequest, "`host`: `\(host)` is not a host id: 1 to 128 of letters, digits and . _ -")
            }
            instance.host = host
        }
        if let weight = query["weight"] {
            guard let value = Int(weight), (0...10_000).contains(value) else { throw RegistryError(.invalidRequest, "`weight`: expected 0 to 10000") }
            instance.weight = value
        }
        if let ttl = query["ttl"] {
            do {
                instance.ttlMilliseconds = try ManifestRules.ttl(.string(ttl), path: "ttl")
            } catch let error as RegistryError {
                throw RegistryError(.invalidRequest, error.message)
            }
        }
        return instance
    }
}
