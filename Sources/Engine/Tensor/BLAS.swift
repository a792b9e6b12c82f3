#if canImport(Accelerate)
    import Accelerate
#else
    import COpenBLAS
#endif

/// Matrix multiplication through the platform BLAS (OpenBLAS on Linux, Accelerate on Apple platforms), on one kernel
/// family on every host (`BLAS+KernelFamily.swift`).
///
/// All matrices are row-major Float32. `gemm` computes `C ← α·op(A)·op(B) + β·C` where `op(X)` is `X` or `Xᵀ`,
/// `op(A)` is `m × k`, `op(B)` is `k × n` and `C` is `m × n`; the leading dimensions are the row strides of the
/// matrices as stored (before `op`). Transposes are flags, never copies.
public enum BLAS {
    /// Use one BLAS thread: runs stay deterministic and parallel sweep workers do not oversubscribe the cores.
    public static func useSingleThread() {
        _ = kernelSelection
        #if !canImport(Accelerate)
            openblas_set_num_threads(1)
        #endif
    }

    @inline(__always)
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = kernelSelection
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
