#include "SparseKernels.h"

#include <stdatomic.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define VECTOR_TARGET __attribute__((target("avx2,fma")))
#define AVX512_TARGET __attribute__((target("avx512f,avx2,fma")))
#endif

int logbook_sparse_available(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

// 1 while the 512-bit kernels may be used (the default); logbook_sparse_allow_avx512(0) keeps the 256-bit ones.
static atomic_int avx512_allowed = 1;

int logbook_sparse_uses_avx512(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return atomic_load_explicit(&avx512_allowed, memory_order_relaxed) && __builtin_cpu_supports("avx512f") &&
           logbook_sparse_available();
#else
    return 0;
#endif
}

void logbook_sparse_allow_avx512(int allowed) {
    atomic_store_explicit(&avx512_allowed, allowed ? 1 : 0, memory_order_relaxed);
}

int64_t logbook_csr_compress(
    const float *x, int64_t rows, int64_t cols, int64_t maxNonZeros, int64_t *rowStart, int32_t *columns,
    float *values) {
    int64_t count = 0;
    rowStart[0] = 0;
    for (int64_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        // Branch-free: every entry is written at the cursor, which moves on only past a non-zero. The check per
        // row is why the buffers hold cols entries more than maxNonZeros.
        for (int64_t c = 0; c < cols; c++) {
            const float v = row[c];
            columns[count] = (int32_t)c;
            values[count] = v;
            count += (v != 0.0f);
        }
        if (count > maxNonZeros) return -1;
        rowStart[r + 1] = count;
    }
    return count;
}

void logbook_csr_to_csc(
    int64_t rows, int64_t cols, const int64_t *rowStart, const int32_t *columns, const float *values,
    int64_t *colStart, int32_t *rowIndex, float *columnValues) {
    memset(colStart, 0, (size_t)(cols + 1) * sizeof(int64_t));
    int64_t total = rowStart[rows];
    for (int64_t k = 0; k < total; k++) colStart[columns[k] + 1]++;
    for (int64_t c = 0; c < cols; c++) colStart[c + 1] += colStart[c];
    // Rows visited in increasing order, so each column's entries come out sorted by row.
    for (int64_t r = 0; r < rows; r++) {
        for (int64_t k = rowStart[r]; k < rowStart[r + 1]; k++) {
            int64_t slot = colStart[columns[k]]++;
            rowIndex[slot] = (int32_t)r;
            columnValues[slot] = values[k];
        }
    }
    // The cursor pass moved every start to the next column's start: shift back.
    for (int64_t c = cols; c > 0; c--) colStart[c] = colStart[c - 1];
    colStart[0] = 0;
}

#if defined(__x86_64__)
// acc[i] += Σ_k values[k] · matrix[indices[k]·width + j + 8i] for k in begin..<end: one 64-column block of a sparse
// row (or column) times a dense matrix, in k order (the fixed summation order both kernels rely on).
VECTOR_TARGET
static inline void accumulate_block(
    __m256 acc[8], const float *matrix, int64_t width, int64_t j, const int32_t *indices, const float *values,
    int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; k++) {
        const __m256 v = _mm256_set1_ps(values[k]);
        const float *w = matrix + (int64_t)indices[k] * width + j;
        for (int i = 0; i < 8; i++) acc[i] = _mm256_fmadd_ps(v, _mm256_loadu_ps(w + 8 * i), acc[i]);
    }
}

// The 512-bit kernels: the same sums in the same order as the 256-bit ones below, lane for lane (every lane runs
// acc = fma(v, w, acc) over the same non-zeros in the same order, and IEEE FMA rounds alike at either width), so
// both give bit-identical results. Blocks of `count` registers of 16 columns (16 = 256 columns: one whole W row
// of a 256-wide layer per non-zero, which halves the loop's overhead per FMA); the last block of a row may be
// partial, its lanes past the row's end masked off (masked loads do not touch those addresses).
#define ALL_LANES ((__mmask16)0xFFFF)

// Walks a row of `width` columns in register blocks: 256 columns (16 registers) while they last, then one block of
// 128, one of 64, and the rest (1–63 columns) in up to 4 registers, the last one masked. BLOCK(count, mask, j) is
// expanded with constant counts, so every block keeps its accumulators in registers.
#define FOR_EACH_ZMM_BLOCK(width, BLOCK)                                                                          \
    do {                                                                                                          \
        int64_t j_ = 0;                                                                                           \
        for (; j_ + 256 <= (width); j_ += 256) BLOCK(16, ALL_LANES, j_);                                          \
        if (j_ + 128 <= (width)) {                                                                                \
            BLOCK(8, ALL_LANES, j_);                                                                              \
            j_ += 128;                                                                                            \
        }                                                                                                         \
        if (j_ + 64 <= (width)) {                                                                                 \
            BLOCK(4, ALL_LANES, j_);                                                                              \
            j_ += 64;                                                                                             \
        }                                                                                                         \
        const int64_t left_ = (width) - j_;                                                                       \
        if (left_ > 0) {                                                                                          \
            const int count_ = (int)((left_ + 15) / 16);                                                          \
            const __mmask16 mask_ = (__mmask16)((1u << (left_ - 16 * (count_ - 1))) - 1u);                       \
            switch (count_) {                                                                                     \
            case 1: BLOCK(1, mask_, j_); break;                                                                   \
            case 2: BLOCK(2, mask_, j_); break;                                                                   \
            case 3: BLOCK(3, mask_, j_); break;                                                                   \
            default: BLOCK(4, mask_, j_); break;                                                                  \
            }                                                                                                     \
        }                                                                                                         \
    } while (0)

AVX512_TARGET __attribute__((always_inline)) static inline void accumulate_zmm(
    __m512 *acc, int count, __mmask16 lastMask, const float *matrix, int64_t width, int64_t j, const int32_t *indices,
    const float *values, int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; k++) {
        const __m512 v = _mm512_set1_ps(values[k]);
        const float *w = matrix + (int64_t)indices[k] * width + j;
        _Pragma("clang loop unroll(full)") for (int i = 0; i < count; i++) {
            const __mmask16 lanes = i == count - 1 ? lastMask : ALL_LANES;
            acc[i] = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(lanes, w + 16 * i), acc[i]);
        }
    }
}

// One block of a forward row: out[j ..< j + 16·count] (the last register masked) = bias + Σ v · S[c, j …].
AVX512_TARGET __attribute__((always_inline)) static inline void forward_block_zmm(
    int count, __mmask16 lastMask, int64_t width, int64_t j, int64_t begin, int64_t end, const int32_t *columns,
    const float *values, const float *s, const float *bias, float *out) {
    __m512 acc[16];
    _Pragma("clang loop unroll(full)") for (int i = 0; i < count; i++)
        acc[i] = _mm512_maskz_loadu_ps(i == count - 1 ? lastMask : ALL_LANES, bias + j + 16 * i);
    accumulate_zmm(acc, count, lastMask, s, width, j, columns, values, begin, end);
    _Pragma("clang loop unroll(full)") for (int i = 0; i < count; i++)
        _mm512_mask_storeu_ps(out + j + 16 * i, i == count - 1 ? lastMask : ALL_LANES, acc[i]);
}

// One row of the forward product: out = bias + Σ over the row's non-zeros of v · S[c, :].
AVX512_TARGET static void forward_row_avx512(
    int64_t width, int64_t begin, int64_t end, const int32_t *columns, const float *values, const float *s,
    const float *bias, float *out) {
#define FORWARD_BLOCK(count, mask, j) forward_block_zmm(count, mask, width, j, begin, end, columns, values, s, bias, out)
    FOR_EACH_ZMM_BLOCK(width, FORWARD_BLOCK);
#undef FORWARD_BLOCK
}

// One block of a weight-gradient column: D = Σ v · G[r, j …]; S[c, j …] = D, or += alpha · D with keep.
AVX512_TARGET __attribute__((always_inline)) static inline void update_block_zmm(
    int count, __mmask16 lastMask, int64_t width, int64_t j, int64_t begin, int64_t end, const int32_t *rowIndex,
    const float *columnValues, const float *g, __m512 alpha, int keep, float *target) {
    __m512 acc[16];
    _Pragma("clang loop unroll(full)") for (int i = 0; i < count; i++) acc[i] = _mm512_setzero_ps();
    accumulate_zmm(acc, count, lastMask, g, width, j, rowIndex, columnValues, begin, end);
    _Pragma("clang loop unroll(full)") for (int i = 0; i < count; i++) {
        const __mmask16 lanes = i == count - 1 ? lastMask : ALL_LANES;
        float *at = target + j + 16 * i;
        const __m512 result = keep ? _mm512_fmadd_ps(alpha, acc[i], _mm512_maskz_loadu_ps(lanes, at)) : acc[i];
        _mm512_mask_storeu_ps(at, lanes, result);
    }
}

// One column of the weight product (a column with non-zeros): D = Σ over them of v · G[r, :]; then S[c, :] = D,
// or += alpha · D with keep. `keep` is a constant in each branch, so no accumulator is spilled to choose the store.
AVX512_TARGET static void update_column_avx512(
    int64_t width, int64_t begin, int64_t end, const int32_t *rowIndex, const float *columnValues, const float *g,
    float alpha, int keep, float *target) {
    const __m512 scale = _mm512_set1_ps(alpha);
#define UPDATE_BLOCK(count, mask, j) \
    update_block_zmm(count, mask, width, j, begin, end, rowIndex, columnValues, g, scale, KEEP, target)
    if (keep) {
#define KEEP 1
        FOR_EACH_ZMM_BLOCK(width, UPDATE_BLOCK);
#undef KEEP
    } else {
#define KEEP 0
        FOR_EACH_ZMM_BLOCK(width, UPDATE_BLOCK);
#undef KEEP
    }
#undef UPDATE_BLOCK
}
// Blocks of 64 output columns (8 registers of 8 floats); then 8 at a time; then one at a time (scalar fmaf, the
// same rounding as the vector FMA).
VECTOR_TARGET
void logbook_sparse_forward(
    int64_t rows, int64_t width, const int64_t *rowStart, const int32_t *columns, const float *values,
    const float *s, const float *bias, float *y) {
    const int wide = logbook_sparse_uses_avx512();
    for (int64_t r = 0; r < rows; r++) {
        const int64_t begin = rowStart[r], end = rowStart[r + 1];
        float *out = y + r * width;
        if (wide) {
            forward_row_avx512(width, begin, end, columns, values, s, bias, out);
            continue;
        }
        int64_t j = 0;
        for (; j + 64 <= width; j += 64) {
            __m256 acc[8];
            for (int i = 0; i < 8; i++) acc[i] = _mm256_loadu_ps(bias + j + 8 * i);
            accumulate_block(acc, s, width, j, columns, values, begin, end);
            for (int i = 0; i < 8; i++) _mm256_storeu_ps(out + j + 8 * i, acc[i]);
        }
        for (; j + 8 <= width; j += 8) {
            __m256 a = _mm256_loadu_ps(bias + j);
            for (int64_t k = begin; k < end; k++)
                a = _mm256_fmadd_ps(_mm256_set1_ps(values[k]), _mm256_loadu_ps(s + (int64_t)columns[k] * width + j), a);
            _mm256_storeu_ps(out + j, a);
        }
        for (; j < width; j++) {
            float a = bias[j];
            for (int64_t k = begin; k < end; k++) a = __builtin_fmaf(values[k], s[(int64_t)columns[k] * width + j], a);
            out[j] = a;
        }
    }
}

VECTOR_TARGET
static inline void store_block(float *target, __m256 sum, __m256 alpha, int keep) {
    if (keep) {
        _mm256_storeu_ps(target, _mm256_fmadd_ps(alpha, sum, _mm256_loadu_ps(target)));
    } else {
        _mm256_storeu_ps(target, sum);
    }
}

VECTOR_TARGET
void logbook_sparse_weight_update(
    int64_t cols, int64_t width, const int64_t *colStart, const int32_t *rowIndex, const float *columnValues,
    const float *g, float alpha, int keep, float *s) {
    const int wide = logbook_sparse_uses_avx512();
    const __m256 scale = _mm256_set1_ps(alpha);
    for (int64_t c = 0; c < cols; c++) {
        const int64_t begin = colStart[c], end = colStart[c + 1];
        float *target = s + c * width;
        if (begin == end) {
            if (!keep) memset(target, 0, (size_t)width * sizeof(float));
            continue;
        }
        if (wide) {
            update_column_avx512(width, begin, end, rowIndex, columnValues, g, alpha, keep, target);
            continue;
        }
        int64_t j = 0;
        for (; j + 64 <= width; j += 64) {
            __m256 acc[8];
            for (int i = 0; i < 8; i++) acc[i] = _mm256_setzero_ps();
            accumulate_block(acc, g, width, j, rowIndex, columnValues, begin, end);
            for (int i = 0; i < 8; i++) store_block(target + j + 8 * i, acc[i], scale, keep);
        }
        for (; j + 8 <= width; j += 8) {
            __m256 a = _mm256_setzero_ps();
            for (int64_t k = begin; k < end; k++)
                a = _mm256_fmadd_ps(_mm256_set1_ps(columnValues[k]), _mm256_loadu_ps(g + (int64_t)rowIndex[k] * width + j), a);
            store_block(target + j, a, scale, keep);
        }
        for (; j < width; j++) {
            float a = 0;
            for (int64_t k = begin; k < end; k++) a = __builtin_fmaf(columnValues[k], g[(int64_t)rowIndex[k] * width + j], a);
            target[j] = keep ? __builtin_fmaf(alpha, a, target[j]) : a;
        }
    }
}
#else
// No vector kernels on this architecture: logbook_sparse_available() is 0, so these are never called.
void logbook_sparse_forward(
    int64_t rows, int64_t width, const int64_t *rowStart, const int32_t *columns, const float *values,
    const float *s, const float *bias, float *y) {
    (void)rows; (void)width; (void)rowStart; (void)columns; (void)values; (void)s; (void)bias; (void)y;
}
void logbook_sparse_weight_update(
    int64_t cols, int64_t width, const int64_t *colStart, const int32_t *rowIndex, const float *columnValues,
    const float *g, float alpha, int keep, float *s) {
    (void)cols; (void)width; (void)colStart; (void)rowIndex; (void)columnValues; (void)g; (void)alpha; (void)keep;
    (void)s;
}
#endif
