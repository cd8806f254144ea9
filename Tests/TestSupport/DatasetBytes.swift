import Foundation

/// The dataset of a Part 10 file without its preamble and file meta information: what a C-STORE
/// carries, and what must arrive byte for byte (the meta header names the receiver, so it differs).
public func datasetBytes(of path: String) throws -> Data {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard data.count > 144, data[128..<132] == Data("DICM".utf8),
          data[132] == 0x02, data[133] == 0x00, data[134] == 0x00, data[135] == 0x00 else {
        throw TestFailure("\(path): no Part 10 meta header starting with (0002,0000)")
    }
    let groupLength = Int(data[140]) | Int(data[141]) << 8 | Int(data[142]) << 16 | Int(data[143]) << 24
    return data.subdata(in: (144 + groupLength)..<data.count)
}
