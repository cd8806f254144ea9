/// A 3-vector of Doubles. Frame (LPS, RAS, voxel index) is carried by the name of the variable.
public struct Vector3: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var z: Double

    public init(_ x: Double, _ y: Double, _ z: Double) {
        self.x = x; self.y = y; self.z = z
    }

    public init(_ a: [Double]) {
        precondition(a.count == 3, "Vector3 needs 3 components")
        self.init(a[0], a[1], a[2])
    }

    public static let zero = Vector3(0, 0, 0)

    public var array: [Double] { [x, y, z] }
    public var length: Double { (x * x + y * y + z * z).squareRoot() }
    public var normalized: Vector3 { let l = length; return l > 0 ? self / l : self }

    public func dot(_ o: Vector3) -> Double { x * o.x + y * o.y + z * o.z }
    public func cross(_ o: Vector3) -> Vector3 {
        Vector3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x)
    }

    public static func + (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x + b.x, a.y + b.y, a.z + b.z) }
    public static func - (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x - b.x, a.y - b.y, a.z - b.z) }
    public static prefix func - (a: Vector3) -> Vector3 { Vector3(-a.x, -a.y, -a.z) }
    public static func * (a: Vector3, s: Double) -> Vector3 { Vector3(a.x * s, a.y * s, a.z * s) }
    public static func * (s: Double, a: Vector3) -> Vector3 { a * s }
    public static func / (a: Vector3, s: Double) -> Vector3 { Vector3(a.x / s, a.y / s, a.z / s) }

    public var description: String { "(\(x), \(y), \(z))" }
}
