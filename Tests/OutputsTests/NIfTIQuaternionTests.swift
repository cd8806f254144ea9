import Foundation
import Imaging
import Testing
@testable import Outputs

/// Quaternions computed by hand (nifti1.h: R from a = sqrt(1 - b² - c² - d²), b, c, d).
@Suite struct NIfTIQuaternionTests {
    func expectClose(_ q: NIfTIQuaternion, b: Double, c: Double, d: Double, qfac: Double,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(q.b - b) < 1e-12 && abs(q.c - c) < 1e-12 && abs(q.d - d) < 1e-12,
                "quaternion (\(q.b), \(q.c), \(q.d)), expected (\(b), \(c), \(d))", sourceLocation: sourceLocation)
        #expect(q.qfac == qfac, sourceLocation: sourceLocation)
    }

    @Test func identityRotationWithSpacing() {
        let affine = Affine(columnI: Vector3(2, 0, 0), columnJ: Vector3(0, 3, 0), columnK: Vector3(0, 0, 4),
                            origin: Vector3(1, 2, 3))
        let q = NIfTIQuaternion(affineRAS: affine)
        expectClose(q, b: 0, c: 0, d: 0, qfac: 1)
        #expect(q.pixdim == Vector3(2, 3, 4) && q.offsetRAS == Vector3(1, 2, 3))
        #expect(q.affineRAS.maxAbsDifference(affine) < 1e-12)
    }

    @Test func ninetyDegreesAboutZ() {
        // i -> +y, j -> -x: rotation by +90° about z, a = cos 45°, d = sin 45°.
        let affine = Affine(columnI: Vector3(0, 1, 0), columnJ: Vector3(-1, 0, 0), columnK: Vector3(0, 0, 1),
                            origin: .zero)
        let q = NIfTIQuaternion(affineRAS: affine)
        expectClose(q, b: 0, c: 0, d: 0.5.squareRoot(), qfac: 1)
        #expect(q.affineRAS.maxAbsDifference(affine) < 1e-12)
    }

    @Test func oneEightyDegreesAboutXUsesTheSpecialCase() {
        // a = 0: nifti_quatern_to_mat44 renormalises (b, c, d).
        let affine = Affine(columnI: Vector3(1, 0, 0), columnJ: Vector3(0, -1, 0), columnK: Vector3(0, 0, -1),
                            origin: .zero)
        let q = NIfTIQuaternion(affineRAS: affine)
        expectClose(q, b: 1, c: 0, d: 0, qfac: 1)
        #expect(q.affineRAS.maxAbsDifference(affine) < 1e-12)
    }

    @Test func leftHandedGetsQfacMinusOne() {
        // x reversed (what dcm2niix writes for an axial series): det < 0, so qfac = -1 and the
        // proper rotation diag(-1, 1, -1) is 180° about y: (b, c, d) = (0, 1, 0).
        let affine = Affine(columnI: Vector3(-0.7, 0, 0), columnJ: Vector3(0, 0.8, 0), columnK: Vector3(0, 0, 2.5),
                            origin: Vector3(10.5, 18.65, 30))
        let q = NIfTIQuaternion(affineRAS: affine)
        expectClose(q, b: 0, c: 1, d: 0, qfac: -1)
        #expect(q.affineRAS.maxAbsDifference(affine) < 1e-12)
    }

    @Test func obliqueAffinesRoundTripBothHandednesses() {
        for grid in [TestGrids.oblique, TestGrids.axial] {
            for affine in [grid.affineLPS, NIfTIGeometry.affineRAS(of: grid)] {
                let q = NIfTIQuaternion(affineRAS: affine)
                #expect(q.qfac == (affine.determinant3 < 0 ? -1 : 1))
                #expect(q.b * q.b + q.c * q.c + q.d * q.d <= 1 + 1e-12)
                #expect(q.affineRAS.maxAbsDifference(affine) < 1e-12)
            }
        }
    }
}
