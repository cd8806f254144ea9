// swift-tools-version:6.0
// ctperf — open CT perfusion node. Targets follow the pipeline:
//   receive/read: CDCMTK (C++ shim) -> DICOM (read, group, load, write SC/SR)
//   analyse: Perfusion (pure numerics on Imaging value types)
//   render and write: Render (cairo figures/pages), Outputs (NIfTI, JSON/CSV, the analyze job)
//   Phantom (synthetic studies with truth), ctperf (CLI), ctperf-bench (benchmarks)
//   Validation + ctperf-validate: docs/VALIDATION.md, the analysis measured against the phantom
import PackageDescription

let dcmtkLibraries = ["cmr", "dcmsr", "dcmnet", "dcmtls", "dcmjpls", "dcmjpeg", "ijg8", "ijg12", "ijg16",
                      "dcmimage", "dcmimgle", "dcmdata", "oflog", "ofstd"]

let package = Package(
    name: "ctperf",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ctperf", targets: ["ctperf"]),
        .executable(name: "ctperfd", targets: ["ctperfd"]),
    ],
    targets: [
        // The only code that includes DCMTK. Plain-C header in include/.
        .target(
            name: "CDCMTK",
            path: "Sources/CDCMTK",
            cxxSettings: [.unsafeFlags(["-fno-strict-aliasing"])],
            linkerSettings: dcmtkLibraries.map { .linkedLibrary($0) }
        ),
        // libc calls Swift cannot import (GNU extensions), wrapped once.
        .target(name: "CSystem", path: "Sources/CSystem"),
        // zlib for .nii.gz (Debian's zlib1g-dev).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // cairo for QA figures and Secondary Capture pages (Debian's libcairo2-dev).
        .systemLibrary(name: "CCairo", path: "Sources/CCairo"),
        // Pure value types: grids, affines (LPS/RAS), 4D volumes.
        .target(name: "Imaging"),
        // POSIX file calls wrapped once, and the one durable (temp, fsync, rename) file writer.
        .target(name: "FileSystem"),
        // Swift API over the shim: tags, pixels, acquisition grouping, writing.
        .target(name: "DICOM", dependencies: ["CDCMTK", "Imaging", "FileSystem"]),
        // NIfTI-1 and JSON outputs.
        // Pure numerics (DESIGN section 5). Always optimised: debug-built pixel loops are ~100x
        // slower, and the tests run the analysis on phantoms.
        .target(name: "Perfusion", dependencies: ["Imaging"], swiftSettings: [.unsafeFlags(["-O"])]),
        .target(name: "Outputs", dependencies: ["Imaging", "CZlib", "FileSystem", "DICOM", "Perfusion", "Render"]),
        // Pictures: QA PNGs and the RGB pages behind DICOM Secondary Capture, drawn with cairo.
        .target(name: "Render", dependencies: ["Imaging", "CCairo", "FileSystem"]),
        // Synthetic CT perfusion studies with ground truth.
        .target(name: "Phantom", dependencies: ["Imaging", "DICOM", "Outputs"], swiftSettings: [.unsafeFlags(["-O"])]),
        // The daemon's runtime: config, spool, receiver, collector, worker, dispatcher, cleaner,
        // sd_notify. Runs `ctperf analyze` as a child process; does not link the numerics.
        .target(name: "Node", dependencies: ["Imaging", "DICOM", "FileSystem", "CSystem"]),
        // Executables: argument parsing and wiring only.
        .executableTarget(name: "ctperf", dependencies: ["Imaging", "DICOM", "Outputs", "Phantom", "Perfusion", "Node"]),
        .executableTarget(name: "ctperfd", dependencies: ["Node", "DICOM"]),
        // The validation report (docs/VALIDATION.md): Kudo-style grid, lesion cases, sensitivity.
        // Optimised like Perfusion/Phantom: it runs the analysis hundreds of times.
        .target(name: "Validation", dependencies: ["Imaging", "Perfusion", "Phantom", "Render"],
                swiftSettings: [.unsafeFlags(["-O"])]),
        .executableTarget(name: "ctperf-validate", dependencies: ["Validation"]),
        .executableTarget(name: "ctperf-bench", dependencies: ["Imaging", "DICOM", "FileSystem", "Outputs", "Phantom", "Perfusion"]),

        // Helpers shared by the test targets: external tools, temporary directories.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),
        .testTarget(name: "DICOMTests", dependencies: ["DICOM", "Imaging", "Phantom", "TestSupport"]),
        .testTarget(name: "OutputsTests", dependencies: ["Outputs", "Imaging", "Perfusion", "Phantom", "TestSupport"]),
        .testTarget(name: "PhantomTests", dependencies: ["Phantom", "Imaging"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Imaging"]),
        .testTarget(name: "PerfusionTests", dependencies: ["Perfusion", "Phantom", "Imaging"],
                    swiftSettings: [.unsafeFlags(["-O"])]),
        .testTarget(name: "ValidationTests", dependencies: ["Validation", "Perfusion", "Phantom", "Render"]),
        .testTarget(name: "NodeTests", dependencies: ["Node", "DICOM", "Phantom", "TestSupport"]),
        // C-STORE SCP/SCU against DCMTK's storescu/storescp/echoscu.
        .testTarget(name: "NetworkTests", dependencies: ["DICOM", "Phantom", "TestSupport"]),
        // ctperfd end to end: the built binaries against real peers (storescu, storescp, Orthanc).
        .testTarget(name: "DaemonTests", dependencies: ["Node", "DICOM", "Phantom", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["DICOM", "Imaging", "Outputs", "Phantom", "TestSupport"]),
    ],
    cxxLanguageStandard: .cxx17
)
