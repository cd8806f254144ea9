import Outputs
import Testing

/// metrics.json keys and metrics.csv columns come from one camelCase -> snake_case conversion;
/// these are the names docs/metrics-json.md documents.
@Suite struct SnakeCaseTests {
    @Test(arguments: [
        ("coreVolumeML", "core_volume_ml"),
        ("tmaxOver6sVolumeML", "tmax_over6s_volume_ml"),
        ("defuse3TargetMismatch", "defuse3_target_mismatch"),
        ("seriesInstanceUIDs", "series_instance_uids"),
        ("transferSyntaxUIDs", "transfer_syntax_uids"),
        ("studyInstanceUID", "study_instance_uid"),
        ("tmaxP90S", "tmax_p90_s"),
        ("cbfMLPer100gPerMin", "cbf_ml_per100g_per_min"),
        ("frameTimesS", "frame_times_s"),
        ("smoothedNoiseSdHU", "smoothed_noise_sd_hu"),
    ])
    func converts(_ camel: String, _ snake: String) {
        #expect(FlatCSV.snakeCase(camel) == snake)
    }
}
