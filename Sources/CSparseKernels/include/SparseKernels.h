// Kernels for a dense layer whose input is mostly zeros (e.g. MNIST pixels: ~19 % non-zero). The input batch is
// compressed to its non-zero entries, row by row (CSR) and column by column (CSC); the products then skip the
// zeros. Every sum runs in a fixed order, so results are deterministic. Row-major Float32 throughout.
#ifndef LOGBOOK_SPARSE_KERNELS_H
#define LOGBOOK_SPARSE_KERNELS_H

#include <stdint.h>

// 1 when this CPU runs the vector kernels (AVX2 + FMA); 0 otherwise (then callers keep their dense path).
int logbook_sparse_available(void);

// 1 when the products below take their 512-bit form (the CPU has AVX-512F and it is allowed): the same results,
// bit for bit, as the 256-bit form, fewer instructions per FMA. logbook_sparse_allow_avx512(0) keeps the 256-bit
// form (for tests comparing the two); (1) allows the wider one again (the default).
int logbook_sparse_uses_avx512(void);
void logbook_sparse_allow_avx512(int allowed);

// Compresses the rows × cols matrix x to CSR: row r's non-zeros are columns[rowStart[r] ..< rowStart[r + 1]] with
// their values. Stops and returns -1 once more than maxNonZeros entries are non-zero; else the count.
// columns and values hold at least maxNonZeros + cols entries, rowStart rows + 1.
int64_t logbook_csr_compress(
    const float *x, int64_t rows, int64_t cols, int64_t maxNonZeros, int64_t *rowStart, int32_t *columns,
    float *values);

// The same entries column by column (CSC): column c's are rowIndex[colStart[c] ..< colStart[c + 1]], rows in
// increasing order. colStart holds cols + 1 entries.
void logbook_csr_to_csc(
    int64_t rows, int64_t cols, const int64_t *rowStart, const int32_t *columns, const float *values,
    int64_t *colStart, int32_t *rowIndex, float *columnValues);

// Y[r, :] = bias + Σ over row r's non-zeros (c, v), in order, of v · S[c, :]   (S: cols × width).
void logbook_sparse_forward(
    int64_t rows, int64_t width, const int64_t *rowStart, const int32_t *columns, const float *values,
    const float *s, const float *bias, float *y);

// For every input column c: D = Σ over column c's non-zeros (r, v), in order, of v · G[r, :]; then
// S[c, :] = D (keep = 0: a column without non-zeros gets zeros) or S[c, :] += alpha · D (keep = 1: a column without
// non-zeros is left as it is).   G: rows × width, S: cols × width.
void logbook_sparse_weight_update(
    int64_t cols, int64_t width, const int64_t *colStart, const int32_t *rowIndex, const float *columnValues,
    const float *g, float alpha, int keep, float *s);

#endif
