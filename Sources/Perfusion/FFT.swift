import Foundation

/// Radix-2 complex FFT (iterative Cooley–Tukey) of a fixed power-of-two length.
struct FFT: Sendable {
    let count: Int
    private let cosines: [Double], sines: [Double]

    /// Precondition: count is a power of two >= 2.
    init(count: Int) {
        precondition(count >= 2 && count & (count - 1) == 0, "FFT length \(count) is not a power of two")
        self.count = count
        cosines = (0..<(count / 2)).map { cos(-2 * Double.pi * Double($0) / Double(count)) }
        sines = (0..<(count / 2)).map { sin(-2 * Double.pi * Double($0) / Double(count)) }
    }

    /// In-place forward transform X_k = Σ x_n exp(-2πi kn/N); `inverse` computes
    /// x_n = (1/N) Σ X_k exp(+2πi kn/N).
    func transform(_ re: inout [Double], _ im: inout [Double], inverse: Bool = false) {
        let n = count
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { re.swapAt(i, j); im.swapAt(i, j) }
        }
        var length = 2
        while length <= n {
            let half = length / 2, step = n / length
            for start in stride(from: 0, to: n, by: length) {
                for k in 0..<half {
                    let c = cosines[k * step], s = inverse ? -sines[k * step] : sines[k * step]
                    let a = start + k, b = a + half
                    let tr = re[b] * c - im[b] * s, ti = re[b] * s + im[b] * c
                    re[b] = re[a] - tr; im[b] = im[a] - ti
                    re[a] += tr; im[a] += ti
                }
            }
            length <<= 1
        }
        if inverse {
            let scale = 1 / Double(n)
            for i in 0..<n { re[i] *= scale; im[i] *= scale }
        }
    }

    /// Smallest power of two >= n (and >= 2).
    static func length(atLeast n: Int) -> Int {
        var m = 2
        while m < n { m <<= 1 }
        return m
    }
}
