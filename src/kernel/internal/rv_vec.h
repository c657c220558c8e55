/*
 * rv_vec.h — internal: float vector primitives of the attention hot loops.
 *
 * Each primitive has a plain reference (`_ref`, rv_vec.c: one accumulator,
 * d = 0..n-1 in order, libm expf) and an optimised variant (`_opt`, inline
 * here so it folds into the caller's loop). The optimised variants are plain
 * C written so compilers vectorise them on baseline targets (SSE2, NEON,
 * none at all on MCUs): several independent accumulators, restrict, no
 * branches in the inner loops. They reorder float additions, so they agree
 * with the reference to rounding, not bit-exactly; tests check both.
 */
#ifndef RV_VEC_H
#define RV_VEC_H

#include <string.h>

#include "rv_base.h"

/*
 * Optional AVX2 build of the hot loops on x86-64 with GCC >= 6 or clang >= 14:
 * a caller wraps its loop body (always_inline) in two functions, one plain
 * and one marked RV_VEC_TARGET_AVX2, and picks one per call with
 * rv_vec_cpu_avx2(). It is the same portable C compiled for wider vectors;
 * with -ffp-contract=off and explicit lanes both compute bit-identical
 * results (tested). Elsewhere (MCUs, other ISAs, RV_NO_DISPATCH) the AVX2
 * wrapper is an ordinary duplicate and rv_vec_cpu_avx2() is false.
 */
#if !defined(RV_NO_DISPATCH) && defined(__x86_64__) && \
    ((defined(__clang__) && __clang_major__ >= 14) ||   \
     (!defined(__clang__) && defined(__GNUC__) && __GNUC__ >= 6))
#define RV_VEC_TARGET_AVX2 __attribute__((target("avx2")))
RV_INLINE bool rv_vec_cpu_avx2(void)
{
    return __builtin_cpu_supports("avx2") != 0;
}
#else
#define RV_VEC_TARGET_AVX2
RV_INLINE bool rv_vec_cpu_avx2(void)
{
    return false;
}
#endif

/* ---- reference ---------------------------------------------------------- */
float rv_vec_dot_ref(const float *a, const float *b, uint32_t n);
void  rv_vec_scale_ref(float *x, float a, uint32_t n);                  /* x *= a */
void  rv_vec_axpy_ref(float *y, float p, const float *x, uint32_t n);   /* y += p*x */
void  rv_vec_exp_ref(float *x, uint32_t n);                             /* x = exp(x) */
float rv_vec_sum_ref(const float *x, uint32_t n);
float rv_vec_max_ref(const float *x, uint32_t n);                       /* n >= 1 */
void  rv_vec_wsum_ref(float *acc, const float *w, const float *const *rows,
                      uint32_t cnt, uint32_t dim);          /* acc += sum w[u]*rows[u] */

/* ---- optimised ---------------------------------------------------------- */

/* Eight independent partial sums: two SSE / NEON registers of lanes.
 * size_t indices: 32-bit wrap-around semantics would block vectorising. */
RV_INLINE float rv_vec_dot_opt(const float *RV_RESTRICT a,
                               const float *RV_RESTRICT b, uint32_t n)
{
    float s[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
    const size_t n8 = (size_t)n & ~(size_t)7u;
    size_t d = 0;
    for (; d < n8; d += 8u) {
        s[0] += a[d + 0] * b[d + 0];
        s[1] += a[d + 1] * b[d + 1];
        s[2] += a[d + 2] * b[d + 2];
        s[3] += a[d + 3] * b[d + 3];
        s[4] += a[d + 4] * b[d + 4];
        s[5] += a[d + 5] * b[d + 5];
        s[6] += a[d + 6] * b[d + 6];
        s[7] += a[d + 7] * b[d + 7];
    }
    float t = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
    for (; d < n; d++)
        t += a[d] * b[d];
    return t;
}

/* Sum and maximum of x[0..n-1], n >= 1 for max: eight independent lanes so
 * the additions / compares do not form one long dependency chain. */
RV_INLINE float rv_vec_sum_opt(const float *RV_RESTRICT x, uint32_t n)
{
    float s[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
    size_t t = 0;
    for (; t + 8u <= n; t += 8u)
        for (size_t e = 0; e < 8u; e++)
            s[e] += x[t + e];
    float r = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
    for (; t < n; t++)
        r += x[t];
    return r;
}

RV_INLINE float rv_vec_max_opt(const float *RV_RESTRICT x, uint32_t n)
{
    float m[8];
    for (size_t e = 0; e < 8u; e++)
        m[e] = x[0];
    size_t t = 0;
    for (; t + 8u <= n; t += 8u)
        for (size_t e = 0; e < 8u; e++)
            m[e] = x[t + e] > m[e] ? x[t + e] : m[e];
    for (; t < n; t++)
        m[0] = x[t] > m[0] ? x[t] : m[0];
    for (size_t e = 1; e < 8u; e++)
        m[0] = m[e] > m[0] ? m[e] : m[0];
    return m[0];
}

RV_INLINE void rv_vec_scale_opt(float *RV_RESTRICT x, float a, uint32_t n)
{
    for (size_t d = 0; d < n; d++)
        x[d] *= a;
}

RV_INLINE void rv_vec_axpy_opt(float *RV_RESTRICT y, float p,
                               const float *RV_RESTRICT x, uint32_t n)
{
    for (size_t d = 0; d < n; d++)
        y[d] += p * x[d];
}

/*
 * exp(x) for x <= 0 (softmax weights after subtracting the running max);
 * x < -87 (and -inf) gives 0, NaN gives NaN, x > 88 (and +inf) gives e^88. x = k*ln2 + r with |r| <= ln2/2,
 * exp(r) by its degree-7 Taylor polynomial (truncation < 6e-9 relative), 2^k
 * built in the exponent bits; within ~2 ulp of expf. The special cases are
 * integer masks on the bit pattern rather than float compares, so gcc
 * if-converts and vectorises the loop even under -ftrapping-math.
 */
RV_INLINE float rv_vec_exp1_opt(float x)
{
    const float log2e = 1.44269504088896341f;
    const float ln2_hi = 0.693359375f;       /* exact in 9 bits */
    const float ln2_lo = -2.12194440e-4f;    /* ln2 - ln2_hi */
    const uint32_t m87 = 0xC2AE0000u;        /* bits of -87.0f */
    const uint32_t p88 = 0x42B00000u;        /* bits of 88.0f */
    uint32_t xb;
    memcpy(&xb, &x, sizeof xb);
    /* As unsigned bits every negative float below -87 (and -inf, negative
     * NaN) compares above -87's pattern. */
    const uint32_t under = 0u - (uint32_t)((xb > m87) & (xb <= 0xFF800000u));
    const uint32_t nan = 0u - (uint32_t)((xb & 0x7FFFFFFFu) > 0x7F800000u);
    /* Positive inputs are outside the contract but must stay defined:
     * anything above 88 (and +inf) is clamped so the int conversion below
     * cannot overflow. */
    const uint32_t over = 0u - (uint32_t)((xb > p88) & (xb <= 0x7F800000u));
    const uint32_t clamp = under | nan;
    uint32_t cb = (xb & ~(clamp | over)) | (m87 & clamp) | (p88 & over);
    float xc;
    memcpy(&xc, &cb, sizeof xc);
    int32_t k = (int32_t)(xc * log2e - 0.5f); /* round to nearest for xc <= 0 */
    float kf = (float)k;
    float r = (xc - kf * ln2_hi) - kf * ln2_lo;
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    int32_t kb = (k + 127) * (1 << 23);
    float two_k, e;
    memcpy(&two_k, &kb, sizeof two_k);
    e = p * two_k;
    uint32_t eb;
    memcpy(&eb, &e, sizeof eb);
    eb = (eb & ~clamp) | (0x7FC00000u & nan);
    memcpy(&e, &eb, sizeof e);
    return e;
}

RV_INLINE void rv_vec_exp_opt(float *RV_RESTRICT x, uint32_t n)
{
    for (size_t t = 0; t < n; t++)
        x[t] = rv_vec_exp1_opt(x[t]);
}

/*
 * acc[d] += sum_u w[u] * rows[u][d], u ascending (the same additions as a
 * sequence of axpy calls). Up to 16 output lanes stay in registers across
 * all rows instead of a load/store of acc per row.
 */
#define RV_VEC_WSUM_CHUNK(W)                                                 \
    for (; d0 + (W) <= dim; d0 += (W)) {                                     \
        float a[W];                                                          \
        for (size_t e = 0; e < (W); e++)                                     \
            a[e] = acc[d0 + e];                                              \
        for (size_t u = 0; u < cnt; u++) {                                   \
            const float p = w[u];                                            \
            const float *RV_RESTRICT r = rows[u] + d0;                       \
            for (size_t e = 0; e < (W); e++)                                 \
                a[e] += p * r[e];                                            \
        }                                                                    \
        for (size_t e = 0; e < (W); e++)                                     \
            acc[d0 + e] = a[e];                                              \
    }

RV_INLINE void rv_vec_wsum_opt(float *RV_RESTRICT acc, const float *RV_RESTRICT w,
                               const float *const *rows, uint32_t cnt, uint32_t dim)
{
    size_t d0 = 0;
    RV_VEC_WSUM_CHUNK(16u)
    RV_VEC_WSUM_CHUNK(8u)
    for (; d0 < dim; d0++) {
        float a = acc[d0];
        for (size_t u = 0; u < cnt; u++)
            a += w[u] * rows[u][d0];
        acc[d0] = a;
    }
}

#endif /* RV_VEC_H */
