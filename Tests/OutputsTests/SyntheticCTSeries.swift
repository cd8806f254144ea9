import Foundation
import TestSupport
import Imaging
import Testing

/// A tiny CT series described by its DICOM geometry, written as DICOM files with DCMTK's
/// dump2dcm, and the `Grid` our DICOM reader must build for it (i along the row, j down the
/// columns, k ascending along row x column). Pixel value at grid (i, j, k) = 100k + 10j + i.
struct SyntheticCTSeries: Sendable, CustomTestStringConvertible {
    let name: String
    let rows = 3
    let columns = 4
    /// ImageOrientationPatient (LPS): row direction then column direction.
    let rowDirectionLPS: Vector3
    let columnDirectionLPS: Vector3
    /// PixelSpacing (0028,0030): spacing between rows, then between columns, mm.
    let rowSpacingMM = 0.8
    let columnSpacingMM = 0.7
    /// ImagePositionPatient of grid slice 0 (LPS mm) and the step to the next slice.
    let firstPositionLPS: Vector3
    let sliceStepLPS: Vector3
    /// Grid slice index of instance 1, 2, 3 (InstanceNumber order).
    let instanceOrder: [Int]

    var testDescription: String { name }

    /// Values rounded to 6 decimals, as written to the DS elements (max 16 characters).
    init(name: String, rowDirection: Vector3, columnDirection: Vector3, firstPosition: Vector3,
         sliceStep: Vector3, instanceOrder: [Int]) {
        func r(_ v: Vector3) -> Vector3 { Vector3(v.array.map { ($0 * 1e6).rounded() / 1e6 }) }
        self.name = name
        rowDirectionLPS = r(rowDirection)
        columnDirectionLPS = r(columnDirection)
        firstPositionLPS = r(firstPosition)
        sliceStepLPS = r(sliceStep)
        self.instanceOrder = instanceOrder
    }

    var grid: Grid {
        Grid(nx: columns, ny: rows, nz: instanceOrder.count, affineLPS: Affine(
            columnI: rowDirectionLPS * columnSpacingMM, columnJ: columnDirectionLPS * rowSpacingMM,
            columnK: sliceStepLPS, origin: firstPositionLPS))
    }

    func pixelValue(i: Int, j: Int, k: Int) -> Int { 100 * k + 10 * j + i }

    var volume: Volume3D {
        let g = grid
        var v = Volume3D(grid: g)
        for k in 0..<g.nz { for j in 0..<g.ny { for i in 0..<g.nx { v[i, j, k] = Float(pixelValue(i: i, j: j, k: k)) } } }
        return v
    }

    /// Writes one DICOM file per slice into `directory` with `dump2dcm`.
    func writeDICOM(to directory: String, dump2dcm: String) throws {
        func ds(_ values: [Double]) -> String { values.map { String(format: "%.6f", $0) }.joined(separator: "\\") }
        for (n, k) in instanceOrder.enumerated() {
            let instance = n + 1
            let position = firstPositionLPS + sliceStepLPS * Double(k)
            let pixels = (0..<rows).flatMap { j in (0..<columns).map { i in pixelValue(i: i, j: j, k: k) } }
            let uidRoot = "1.2.826.0.1.3680043.8.498.7377"
            let dump = """
            (0002,0010) UI =LittleEndianExplicit
            (0008,0008) CS ORIGINAL\\PRIMARY\\AXIAL
            (0008,0016) UI =CTImageStorage
            (0008,0018) UI \(uidRoot).3.\(instance)
            (0008,0020) DA 20240101
            (0008,0030) TM 120000
            (0008,0032) TM 120000
            (0008,0060) CS CT
            (0008,0070) LO ctperf test
            (0008,103e) LO \(name)
            (0010,0010) PN Test^Geometry
            (0010,0020) LO GEOMETRY
            (0018,0050) DS \(String(format: "%.6f", sliceStepLPS.length))
            (0020,000d) UI \(uidRoot).1
            (0020,000e) UI \(uidRoot).2
            (0020,0011) IS 1
            (0020,0012) IS 1
            (0020,0013) IS \(instance)
            (0020,0032) DS \(ds(position.array))
            (0020,0037) DS \(ds(rowDirectionLPS.array + columnDirectionLPS.array))
            (0020,0052) UI \(uidRoot).4
            (0028,0002) US 1
            (0028,0004) CS MONOCHROME2
            (0028,0010) US \(rows)
            (0028,0011) US \(columns)
            (0028,0030) DS \(ds([rowSpacingMM, columnSpacingMM]))
            (0028,0100) US 16
            (0028,0101) US 16
            (0028,0102) US 15
            (0028,0103) US 1
            (0028,1052) DS 0
            (0028,1053) DS 1
            (7fe0,0010) OW \(pixels.map { String(format: "%04x", $0) }.joined(separator: "\\"))

            """
            let textPath = "\(directory)/slice\(instance).txt"
            try dump.write(toFile: textPath, atomically: false, encoding: .utf8)
            try ExternalTool.runChecked(dump2dcm, ["-q", textPath, "\(directory)/slice\(instance).dcm"])
            try FileManager.default.removeItem(atPath: textPath)
        }
    }
}
