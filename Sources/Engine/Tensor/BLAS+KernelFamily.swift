import CSparseKernels
import Foundation

#if canImport(Accelerate)
    import Accelerate
#else
    import COpenBLAS
    import Glibc
#endif

/// One OpenBLAS kernel family on every host, so that the same run gives the same losses everywhere.
///
/// OpenBLAS (a `DYNAMIC_ARCH` build, as Debian's) picks its kernels for the CPU it loads on — AVX-512 "Cooper Lake"
/// kernels on a Zen 4, AVX2 "Haswell" ones on a Zen 3 — and kernels of different families block and sum a product
/// in different orders: the same configuration and seed trained to 97.79 % test accuracy after 5 MNIST epochs on
/// the Cooper Lake kernels and 97.97 % on the Haswell ones, on one machine; two hosts of one sweep would disagree and
/// `logbook rerun` on another machine would report a mismatch. Every x86-64 CPU with AVX2 + FMA runs the Haswell
/// kernels, so before the first product Logbook has OpenBLAS select them (`OPENBLAS_CORETYPE=Haswell` for the
/// moment of the selection; the process environment is left as it was). A family the environment names already —
/// the user's, or one an environment sets to keep a processor off kernels that fail there — is kept; so is
/// OpenBLAS's own choice on a CPU without AVX2 + FMA (whose layers all take the dense path anyway).
extension BLAS {
    /// The kernel family every AVX2 + FMA host shares.
    public static let portableKernelFamily = "Haswell"

    /// The family to select in an environment (nil: keep OpenBLAS's selection).
    static func kernelFamilyToSelect(environment: [String: String], cpuHasAVX2: Bool) -> String? {
        guard cpuHasAVX2, environment["OPENBLAS_CORETYPE"]?.isEmpty ?? true else { return nil }
        return portableKernelFamily
    }

    /// Done once, before this process's first product (`gemm` and `useSingleThread` touch it).
    static let kernelSelection: Void = {
        #if !canImport(Accelerate)
            let environment = ProcessInfo.processInfo.environment
            guard let family = kernelFamilyToSelect(environment: environment, cpuHasAVX2: SparseBatch.isAvailable)
            else { return }
            setenv("OPENBLAS_CORETYPE", family, 1)
            _ = logbook_openblas_select_kernels_again()
            unsetenv("OPENBLAS_CORETYPE")
        #endif
    }()

    /// Selects the kernel family now: the executable calls it first thing, while it has one thread (the selection
    /// sets `OPENBLAS_CORETYPE` for a moment, and the environment is no place to write while other threads read it);
    /// a library user gets it at its first product.
    public static func selectKernelFamily() { _ = kernelSelection }

    /// The kernel family OpenBLAS runs in this process (`Haswell`, `Cooperlake`, `Zen`, …; `Accelerate` on Apple
    /// platforms).
    public static var kernelFamily: String {
        _ = kernelSelection
        #if canImport(Accelerate)
            return "Accelerate"
        #else
            guard let name = openblas_get_corename() else { return "unknown" }
            return String(cString: name)
        #endif
    }
}
