/// Encodes every stored property under its own name, writing an undefined (nil) value as an
/// explicit JSON null instead of leaving the key out, so metrics.json always has the same keys
/// and a reader sees "mismatch_ratio": null next to its reason. Decoding stays synthesized.
public protocol ExplicitNullEncodable: Encodable {}

extension ExplicitNullEncodable {
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: PropertyKey.self)
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            let key = PropertyKey(stringValue: label)
            let value = Mirror(reflecting: child.value)
            if value.displayStyle == .optional {
                guard let wrapped = value.children.first?.value as? any Encodable else {
                    try container.encodeNil(forKey: key)
                    continue
                }
                try container.encode(wrapped, forKey: key)
            } else if let encodable = child.value as? any Encodable {
                try container.encode(encodable, forKey: key)
            }
        }
    }
}

/// A coding key named after a stored property.
struct PropertyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
