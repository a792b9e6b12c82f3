// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Logbook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "logbook", targets: ["logbook"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Store", targets: ["Store"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // System libraries: BLAS (OpenBLAS on Linux), SQLite, PostgreSQL's client (libpq), zlib.
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CPostgreSQL", path: "Sources/CPostgreSQL", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Vector kernels (AVX2 + FMA, chosen at run time) for dense layers whose input is mostly zeros.
        .target(name: "CSparseKernels", path: "Sources/CSparseKernels"),

        // Numerics: matrices, layers, losses, optimizers, data, the training loop. Knows nothing of SQLite.
        .target(
            name: "Engine",
            dependencies: [
                .target(name: "COpenBLAS", condition: .when(platforms: [.linux])),
                "CZlib", "CSparseKernels",
            ],
            exclude: ["Resources/licenses"],
            resources: [
                .embedInCode("Resources/digits.csv.gz"),
                .embedInCode("Resources/iris.csv.gz"),
                .embedInCode("Resources/wine.csv.gz"),
                .embedInCode("Resources/breast_cancer.csv.gz"),
            ],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),

        // The SQL schema, the single source of truth (SQLite's and PostgreSQL's), compiled into the binary.
        .target(
            name: "Migrations", path: "migrations",
            exclude: ["README.md"],
            resources: [
                .embedInCode("0001_init.sql"),
                .embedInCode("0002_stale_heartbeats.sql"),
                .embedInCode("0003_pruning.sql"),
                .embedInCode("0004_iteration_blocks.sql"),
                .embedInCode("0005_params_by_key.sql"),
                .embedInCode("postgresql/0001_init.pg.sql"),
                .embedInCode("postgresql/0002_stale_heartbeats.pg.sql"),
                .embedInCode("postgresql/0003_pruning.pg.sql"),
                .embedInCode("postgresql/0004_iteration_blocks.pg.sql"),
                .embedInCode("postgresql/0005_params_by_key.pg.sql"),
            ]),

        // The stores (SQLite, PostgreSQL): migrations, the recorder, the trial queue, queries.
        .target(name: "Store", dependencies: ["Engine", "Migrations", "CSQLite", "CPostgreSQL"]),

        // Sweeps: specs, the trial queue, workers.
        .target(name: "Sweep", dependencies: ["Engine", "Store", "Yams"]),

        // Exports to other tools: TensorBoard event files, MLflow over HTTP, ONNX models (our own protobuf encoder).
        .target(name: "Export", dependencies: ["Engine", "Store", "Report"]),

        // Reports: HTML and Markdown from the store.
        .target(name: "Report", dependencies: ["Store"]),

        // The web dashboard (`logbook serve`): the HTTP server, routes, the JSON API, Server-Sent Events, token access.
        .target(
            name: "Dashboard",
            dependencies: [
                "Engine", "Store", "Report", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),

        // Test support: sweeps recorded through the real spec → plan → trial queue → recorder path, made-up losses.
        .target(name: "LogbookFixtures", dependencies: ["Engine", "Store", "Sweep"]),

        // The measurements behind `logbook bench` (the CLI's bench commands only parse options).
        .target(
            name: "LogbookBench",
            dependencies: ["Engine", "Store", "Sweep", "Report", "Export", "Dashboard", "LogbookFixtures"]),

        // The subcommands, as a library so that tests can check help texts and run commands in-process.
        .target(
            name: "LogbookCLI",
            dependencies: [
                "Engine", "Store", "Sweep", "Report", "Export", "Dashboard", "LogbookBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "logbook", dependencies: ["LogbookCLI", "Engine"]),

        // Test support: a fresh store of either kind per test (SQLite file, or a schema on the test PostgreSQL server).
        .target(name: "StoreTesting", dependencies: ["Store"], path: "Tests/StoreTesting"),

        // Test support: pages run in headless Chromium, their DOM read back.
        .target(name: "BrowserTesting", path: "Tests/BrowserTesting"),

        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Engine", "StoreTesting"], exclude: ["Fixtures"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "Store", "Engine", "Report", "StoreTesting"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Store", "Engine", "LogbookFixtures", "BrowserTesting"]),
        .testTarget(
            name: "LogbookCLITests",
            dependencies: [
                "LogbookCLI", "Store", "Engine", "LogbookFixtures", "StoreTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["Fixtures"]),
        .testTarget(name: "LogbookFixturesTests", dependencies: ["LogbookFixtures", "Store", "Sweep", "Engine"]),
        .testTarget(name: "LogbookBenchTests", dependencies: ["LogbookBench"]),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "Dashboard", "Report", "Store", "Engine", "LogbookFixtures", "LogbookBench", "StoreTesting", "BrowserTesting",
            ]),
        .testTarget(
            name: "ExportTests", dependencies: ["Export", "Store", "Engine", "LogbookFixtures"], exclude: ["Readers"]),
    ]
)
