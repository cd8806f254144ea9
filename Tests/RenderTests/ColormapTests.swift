import Testing
@testable import Render

struct ColormapTests {
    @Test func endPointsAndSaturation() {
        #expect(Colormap.grey.colour(at: 0) == .black)
        #expect(Colormap.grey.colour(at: 1) == .white)
        #expect(Colormap.perfusion.colour(at: 1) == RGBColour(1, 0, 0))
        #expect(Colormap.perfusion.colour(at: 0) == RGBColour(0, 0, 0.5))
        #expect(Colormap.tmax.colour(at: 0) == RGBColour(0, 0, 0.4))
        #expect(Colormap.tmax.colour(at: 1) == RGBColour(1, 0, 0))
        // 6 s on 0...10 s is yellow; 25 s saturates at red; -3 s at dark blue.
        #expect(Colormap.tmax.colour(for: 6, in: 0...10) == RGBColour(1, 1, 0))
        #expect(Colormap.tmax.colour(for: 25, in: 0...10) == RGBColour(1, 0, 0))
        #expect(Colormap.tmax.colour(for: -3, in: 0...10) == RGBColour(0, 0, 0.4))
        #expect(Colormap.grey.colour(for: 40, in: 0...80) == RGBColour(0.5, 0.5, 0.5))
        #expect(Colormap.perfusion.colour(at: .nan) == Colormap.perfusion.colour(at: 0))
    }

    @Test func rainbowRunsBlueCyanGreenYellowRed() {
        let m = Colormap.perfusion
        let hues = [0.15, 0.38, 0.55, 0.75, 1.0].map { m.colour(at: $0) }
        #expect(hues == [RGBColour(0, 0, 1), RGBColour(0, 1, 1), RGBColour(0, 1, 0), RGBColour(1, 1, 0), RGBColour(1, 0, 0)])
    }

    @Test func tableMatchesColourAtEndsAndClamps() {
        for map in Colormap.allCases {
            let t = ColourTable(map)
            #expect(t.word(0, in: 0...10) == PixelImage.word(map.colour(at: 0)))
            #expect(t.word(10, in: 0...10) == PixelImage.word(map.colour(at: 1)))
            #expect(t.word(99, in: 0...10) == t.word(10, in: 0...10))
        }
    }

    @Test func ticksAreNiceAndLabelledWithTheDecimalsTheStepNeeds() {
        #expect(Ticks.values(in: 0...10) == [0, 2, 4, 6, 8, 10])
        #expect(Ticks.values(in: 0...60) == [0, 20, 40, 60])
        #expect(Ticks.values(in: 0...60, target: 6) == [0, 10, 20, 30, 40, 50, 60])
        #expect(Ticks.values(in: 0...1).map { Ticks.label($0, step: 0.2) } == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(Ticks.expanded(0.3...47) == 0...50)
        #expect(Ticks.expanded(-12...380, target: 6) == -100...400)
        #expect(Ticks.label(7.5, step: 2.5) == "7.5")
        #expect(Ticks.label(20, step: 10) == "20")
        #expect(Ticks.label(0.25, step: 0.25) == "0.25")
        #expect(Ticks.label(-0.0, step: 1) == "0")
    }
}
