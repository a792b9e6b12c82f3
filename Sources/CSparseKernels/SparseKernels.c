#include "SparseKernels.h"

#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define VECTOR_TARGET __attribute__((target("avx2,fma")))
#endif

int logbook_sparse_available(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
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

// Blocks of 64 output columns (8 registers of 8 floats); then 8 at a time; then one at a time (scalar fmaf, the
// same rounding as the vector FMA).
VECTOR_TARGET
void logbook_sparse_forward(
    int64_t rows, int64_t width, const int64_t *rowStart, const int32_t *columns, const float *values,
    const float *s, const float *bias, float *y) {
    for (int64_t r = 0; r < rows; r++) {
        const int64_t begin = rowStart[r], end = rowStart[r + 1];
        float *out = y + r * width;
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
    const __m256 scale = _mm256_set1_ps(alpha);
    for (int64_t c = 0; c < cols; c++) {
        const int64_t begin = colStart[c], end = colStart[c + 1];
        float *target = s + c * width;
        if (begin == end) {
            if (!keep) memset(target, 0, (size_t)width * sizeof(float));
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
