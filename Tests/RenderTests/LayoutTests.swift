import Imaging
import Testing
@testable import Render

struct LayoutTests {
    @Test func allSlicesUpTo25ElseAnEvenSubsetWithBothEnds() {
        #expect(SliceGrid.selectSlices(nz: 1) == [0])
        #expect(SliceGrid.selectSlices(nz: 25) == Array(0..<25))
        let s = SliceGrid.selectSlices(nz: 320)
        #expect(s.count == 25 && s.first == 0 && s.last == 319)
        let steps = zip(s.dropFirst(), s).map { $0 - $1 }
        #expect(steps.allSatisfy { $0 == 13 || $0 == 14 })
    }

    @Test func gridKeepsTheTrueAspectForNonSquarePixels() {
        // 80 x 60 voxels of 1.0 x 1.5 mm: 80 mm wide, 90 mm tall.
        let g = SyntheticHead.axialGrid(nx: 80, ny: 60, nz: 7, spacing: (1.0, 1.5, 5))
        let area = PixelRect(x: 10, y: 20, width: 700, height: 800)
        let layout = SliceGrid(grid: g, area: area)
        #expect(layout.slices == Array(0..<7))
        for r in layout.imageRects {
            #expect(abs(Double(r.width) / Double(r.height) - 80.0 / 90.0) < 0.01)
            #expect(r.x >= area.x && r.maxX <= area.maxX && r.y >= area.y && r.maxY <= area.maxY)
        }
        // No two images overlap.
        for (a, ra) in layout.imageRects.enumerated() {
            for rb in layout.imageRects[(a + 1)...] {
                #expect(ra.maxX <= rb.x || rb.maxX <= ra.x || ra.maxY <= rb.y || rb.maxY <= ra.y)
            }
        }
    }

    @Test func magnifyingRepeatsVoxelsAndMinifyingAverages() {
        let p = Plane(nx: 2, ny: 1, values: [10, 20])
        #expect(p.resampled(width: 6, height: 1).values == [10, 10, 10, 20, 20, 20])
        let q = Plane(nx: 4, ny: 2, values: [0, 2, 4, 6, 8, 10, 12, 14])
        #expect(q.resampled(width: 2, height: 1).values == [Float(0 + 2 + 8 + 10) / 4, Float(4 + 6 + 12 + 14) / 4])
        // Fewer than half finite -> no data; at least half -> mean of the finite ones.
        let r = Plane(nx: 4, ny: 1, values: [.nan, .nan, .nan, 8])
        let rr = r.resampled(width: 1, height: 1).values
        #expect(rr.count == 1 && rr[0].isNaN)
        #expect(Plane(nx: 2, ny: 1, values: [.nan, 8]).resampled(width: 1, height: 1).values == [8])
    }

    @Test func projectionsOverK() {
        let g = SyntheticHead.axialGrid(nx: 2, ny: 1, nz: 3, spacing: (1, 1, 1))
        let v = Volume3D(grid: g, values: [1, .nan, 7, .nan, 3, .nan])
        let mask = Volume3D(grid: g, values: [1, 0, 0, 0, 1, 0])
        let mx = Plane.maxProjection(v, mask: nil).values
        #expect(mx[0] == 7 && mx[1].isNaN)
        let mm = Plane.maxProjection(v, mask: mask).values
        #expect(mm[0] == 3 && mm[1].isNaN)
        #expect(abs(Plane.meanProjection(v).values[0] - 11.0 / 3.0) < 1e-6)
        #expect(Plane.anyProjection(mask).values == [1, 0])
    }

    @Test func orientationLettersFollowTheAffine() {
        let axial = SyntheticHead.axialGrid(nx: 4, ny: 4, nz: 1, spacing: (1, 1, 1))
        let l = Orientation.letters(axial)
        #expect([l.left, l.right, l.top, l.bottom] == ["R", "L", "A", "P"])
        let flipped = Grid(nx: 4, ny: 4, nz: 1, affineLPS: Affine(columnI: Vector3(-1, 0, 0), columnJ: Vector3(0, 1, 0),
                                                                  columnK: Vector3(0, 0, 1), origin: .zero))
        #expect(Orientation.letters(flipped).left == "L")
    }
}
