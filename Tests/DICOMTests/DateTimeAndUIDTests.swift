import Testing
@testable import DICOM

struct DateTimeAndUIDTests {
    @Test func datesAndTimesParse() {
        #expect(DicomDateTime.days(date: "19700101") == 0)
        #expect(DicomDateTime.days(date: "20000301") == 11_017)
        #expect(DicomDateTime.days(date: "1999.12.31") == 10_956)
        #expect(DicomDateTime.days(date: "20261340") == nil)
        #expect(DicomDateTime.secondsOfDay(time: "101500.25") == 36_900.25)
        #expect(DicomDateTime.secondsOfDay(time: "10:15:00") == 36_900)
        #expect(DicomDateTime.secondsOfDay(time: "10") == 36_000)
        #expect(DicomDateTime.secondsOfDay(time: "2561") == nil)
        #expect(DicomDateTime.seconds(dateTime: "19700102000001.5+0100") == 86_401.5)
        let (d, t) = DicomDateTime.dicomDateAndTime(86_400 * 20_526 + 3_723.5)
        #expect(d == "20260314" && t == "010203.500000")
        #expect(DicomDateTime.civil(days: DicomDateTime.daysFromCivil(year: 2024, month: 2, day: 29)) == (2024, 2, 29))
    }

    @Test func uidsValidateAndGenerate() {
        #expect(UID.isValid("1.2.840.10008.5.1.4.1.1.2"))
        #expect(!UID.isValid("1.2.03"))
        #expect(!UID.isValid("1.2..3"))
        #expect(!UID.isValid("../etc/passwd"))
        #expect(!UID.isValid(String(repeating: "1", count: 65)))
        let u = UID.generate()
        #expect(u.hasPrefix("2.25.") && UID.isValid(u))
        #expect(UID.decimalString([0, 0, 1, 0]) == "256")
        #expect(UID.derived(from: [UInt8](repeating: 255, count: 16)) == "2.25.340282366920938463463374607431768211455")
    }

    @Test func decimalStringsFitSixteenCharacters() {
        #expect(formatDS(0.8984375) == "0.8984375")
        #expect(formatDS(-115.0) == "-115")
        #expect(formatDS(-114.55078125123456).count <= 16)
        #expect(formatDS(1.0 / 3.0).count <= 16)
    }
}
