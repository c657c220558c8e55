/*
 * test_gate.c — FastGRNN salience gate, top-k masks, key pooling, and the
 * gate feeding the gated attention forward.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv_attn.h"
#include "rv_gate.h"

static uint32_t rng_next(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static float rng_float(uint32_t *x)
{
    return ((float)(rng_next(x) >> 8) * (1.0f / 16777216.0f) - 0.5f) * 4.0f;
}

static rv_gate *make_default(void **mem, uint32_t in, uint32_t hid)
{
    size_t sz = rv_gate_mem_size(in, hid);
    ck_assert_uint_gt(sz, 0);
    *mem = malloc(sz);
    ck_assert_ptr_nonnull(*mem);
    rv_gate *g = rv_gate_init_default(*mem, sz, in, hid);
    ck_assert_ptr_nonnull(g);
    return g;
}

/* The default weights of a 1x1 gate (s = sqrt(2/2) = 1), worked out from the
 * formula outside the kernel:
 *   o = 0:    h = 0x9e3779b9 = 2654435769 -> (float) 2654435840
 *             2654435840 / 2^32 = 0.618034005..., -0.5, *2, *1, *0.1 = 0.0236068010
 *   o = 1000: h = (1000 * 2654435761 + 0x9e3779b9) mod 2^32 = 2800407841
 *             -> (float) 2800407808 -> 0.0304041505
 *   o = 2000: h = 2946379913 -> 2946380032 -> 0.0372015119
 *   o = 3000: h = 3092351985 -> 3092352000 -> 0.0439988613 */
START_TEST(test_default_weights_by_hand)
{
    const double wg = 0.0236068010, ug = 0.0304041505, wu = 0.0372015119, uu = 0.0439988613;
    void *mem;
    rv_gate *g = make_default(&mem, 1, 1);
    const float x[3] = { 1.0f, -2.0f, 0.5f };
    float sal[3];
    ck_assert_int_eq(rv_gate_score(g, x, 3, sal), RV_OK);
    double h = 0.0;
    for (int t = 0; t < 3; t++) {
        double zg = wg * x[t] + ug * h, zu = wu * x[t] + uu * h;
        double f = 1.0 / (1.0 + exp(-zg)); /* zeta 1, nu 0: already in [0, 1] */
        h = f * h + (1.0 - f) * tanh(zu);
        ck_assert_double_eq_tol(sal[t], fabs(h), 1e-7);
    }
    free(mem);
}
END_TEST

/* Test-side reimplementation of the formula for every element of a larger
 * gate: rv_gate_init_weights with these matrices scores bit-identically. */
static float formula(uint32_t i, uint32_t o, float s)
{
    uint32_t h = (i + o) * 2654435761u + 0x9e3779b9u;
    return ((float)h / 4294967295.0f - 0.5f) * 2 * s * 0.1f;
}

START_TEST(test_default_equals_formula)
{
    const uint32_t in = 8, hid = 16;
    const float s = sqrtf(2.0f / (float)(in + hid));
    float wg[128], ug[256], wu[128], uu[256];
    for (uint32_t i = 0; i < in * hid; i++) {
        wg[i] = formula(i, 0, s);
        wu[i] = formula(i, 2000, s);
    }
    for (uint32_t i = 0; i < hid * hid; i++) {
        ug[i] = formula(i, 1000, s);
        uu[i] = formula(i, 3000, s);
    }
    void *m1, *m2 = malloc(rv_gate_mem_size(in, hid));
    rv_gate *a = make_default(&m1, in, hid);
    rv_gate *b = rv_gate_init_weights(m2, rv_gate_mem_size(in, hid), in, hid,
                                      wg, ug, NULL, wu, uu, NULL, 1.0f, 0.0f);
    ck_assert_ptr_nonnull(b);
    uint32_t r = 3;
    float x[40 * 8], sa[40], sb[40];
    for (int e = 0; e < 40 * 8; e++)
        x[e] = rng_float(&r);
    ck_assert_int_eq(rv_gate_score(a, x, 40, sa), RV_OK);
    ck_assert_int_eq(rv_gate_score(b, x, 40, sb), RV_OK);
    ck_assert_mem_eq(sa, sb, sizeof sa);
    /* A different bias changes the scores (the weights are really used). */
    float bg[16];
    for (int e = 0; e < 16; e++)
        bg[e] = 0.5f;
    b = rv_gate_init_weights(m2, rv_gate_mem_size(in, hid), in, hid, wg, ug, bg, wu, uu,
                             NULL, 1.0f, 0.0f);
    ck_assert_int_eq(rv_gate_score(b, x, 40, sb), RV_OK);
    ck_assert(memcmp(sa, sb, sizeof sa) != 0);
    free(m1);
    free(m2);
}
END_TEST

START_TEST(test_deterministic_finite)
{
    const uint32_t in = 32, hid = RV_GATE_MAX_HIDDEN;
    void *m1, *m2;
    rv_gate *a = make_default(&m1, in, hid);
    rv_gate *b = make_default(&m2, in, hid);
    ck_assert_mem_eq(a, b, rv_gate_mem_size(in, hid) - (RV_ALIGN - 1u));
    uint32_t r = 9;
    const uint32_t n = 64;
    float *x = malloc(n * in * sizeof(float)), sa[64], sb[64];
    ck_assert_ptr_nonnull(x);
    for (uint32_t e = 0; e < n * in; e++)
        x[e] = rng_float(&r) * 10.0f;
    ck_assert_int_eq(rv_gate_score(a, x, n, sa), RV_OK);
    ck_assert_int_eq(rv_gate_score(b, x, n, sb), RV_OK);
    ck_assert_mem_eq(sa, sb, sizeof sa);
    /* h stays in [-1, 1] per unit (convex mix of h and tanh), so
     * 0 <= salience <= sqrt(hidden). */
    for (uint32_t t = 0; t < n; t++) {
        ck_assert(isfinite(sa[t]));
        ck_assert(sa[t] >= 0.0f && sa[t] <= sqrtf((float)hid) + 1e-4f);
    }
    /* Scoring is a scan from h = 0: the first scores of a prefix agree. */
    ck_assert_int_eq(rv_gate_score(a, x, 10, sb), RV_OK);
    ck_assert_mem_eq(sa, sb, 10 * sizeof(float));
    free(x);
    free(m1);
    free(m2);
}
END_TEST

START_TEST(test_gate_invalid)
{
    ck_assert_uint_eq(rv_gate_mem_size(0, 4), 0);
    ck_assert_uint_eq(rv_gate_mem_size(4, 0), 0);
    ck_assert_uint_eq(rv_gate_mem_size(4, RV_GATE_MAX_HIDDEN + 1), 0);
    ck_assert_uint_eq(rv_gate_mem_size(UINT32_MAX, RV_GATE_MAX_HIDDEN), 0);
    const size_t sz = rv_gate_mem_size(3, 5);
    unsigned char *mem = malloc(sz + 16);
    ck_assert_ptr_nonnull(mem);
    memset(mem, 0x5A, sz + 16);
    /* One byte short, NULL memory, bad dims: NULL and memory untouched. */
    ck_assert_ptr_null(rv_gate_init_default(mem, sz - 1, 3, 5));
    ck_assert_ptr_null(rv_gate_init_default(NULL, sz, 3, 5));
    ck_assert_ptr_null(rv_gate_init_default(mem, sz, 0, 5));
    ck_assert_ptr_null(rv_gate_init_default(mem, sz, 3, RV_GATE_MAX_HIDDEN + 1));
    float w[25] = { 0 };
    ck_assert_ptr_null(rv_gate_init_weights(mem, sz, 3, 5, NULL, w, NULL, w, w, NULL, 1, 0));
    ck_assert_ptr_null(rv_gate_init_weights(mem, sz, 3, 5, w, w, NULL, w, w, NULL, NAN, 0));
    ck_assert_ptr_null(rv_gate_init_weights(mem, sz, 3, 5, w, w, NULL, w, w, NULL, 1, INFINITY));
    for (size_t e = 0; e < sz + 16; e++)
        ck_assert_uint_eq(mem[e], 0x5A);
    /* Exact size at an odd (float-aligned) offset works and stays inside. */
    unsigned char *big = malloc(sz + 4 + 16);
    memset(big, 0x5A, sz + 4 + 16);
    rv_gate *g = rv_gate_init_default(big + 4, sz, 3, 5);
    ck_assert_ptr_nonnull(g);
    for (size_t e = 4 + sz; e < sz + 4 + 16; e++)
        ck_assert_uint_eq(big[e], 0x5A);
    float x[6] = { 1, 2, 3, 4, 5, 6 }, sal[2] = { -1, -1 };
    ck_assert_int_eq(rv_gate_score(NULL, x, 2, sal), RV_ERR_NULL);
    ck_assert_int_eq(rv_gate_score(g, NULL, 2, sal), RV_ERR_NULL);
    ck_assert_int_eq(rv_gate_score(g, x, 2, NULL), RV_ERR_NULL);
    ck_assert_int_eq(rv_gate_score(g, NULL, 0, NULL), RV_OK);
    ck_assert(sal[0] == -1.0f && sal[1] == -1.0f);
    /* Memory that was never initialised is not a gate. */
    memset(mem, 0, sz);
    ck_assert_int_eq(rv_gate_score(rv_align_ptr(mem), x, 2, sal), RV_ERR_BAD_OBJECT);
    ck_assert(sal[0] == -1.0f);
    free(mem);
    free(big);
}
END_TEST

/* ---- top-k -------------------------------------------------------------- */

START_TEST(test_topk_basic)
{
    const float s[8] = { 0.5f, 2.0f, 0.5f, 1.0f, 2.0f, 0.5f, -1.0f, 0.0f };
    uint8_t keep[8 + 1];
    keep[8] = 0xEE; /* canary */
    /* k = 1: the first of the two 2.0 values. */
    ck_assert_int_eq(rv_gate_topk(s, 8, 1, keep), RV_OK);
    const uint8_t k1[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
    ck_assert_mem_eq(keep, k1, 8);
    /* k = 4: both 2.0, the 1.0, then the lowest-index 0.5. */
    ck_assert_int_eq(rv_gate_topk(s, 8, 4, keep), RV_OK);
    const uint8_t k4[8] = { 1, 1, 0, 1, 1, 0, 0, 0 };
    ck_assert_mem_eq(keep, k4, 8);
    ck_assert_int_eq(rv_gate_topk(s, 8, 5, keep), RV_OK);
    const uint8_t k5[8] = { 1, 1, 1, 1, 1, 0, 0, 0 };
    ck_assert_mem_eq(keep, k5, 8);
    /* k = 7: everything but the negative value. */
    ck_assert_int_eq(rv_gate_topk(s, 8, 7, keep), RV_OK);
    const uint8_t k7[8] = { 1, 1, 1, 1, 1, 1, 0, 1 };
    ck_assert_mem_eq(keep, k7, 8);
    ck_assert_int_eq(rv_gate_topk(s, 8, 0, keep), RV_OK);
    const uint8_t none[8] = { 0 };
    ck_assert_mem_eq(keep, none, 8);
    const uint8_t all[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
    ck_assert_int_eq(rv_gate_topk(s, 8, 8, keep), RV_OK);
    ck_assert_mem_eq(keep, all, 8);
    memset(keep, 0, 8);
    ck_assert_int_eq(rv_gate_topk(s, 8, 1000, keep), RV_OK);
    ck_assert_mem_eq(keep, all, 8);
    ck_assert_uint_eq(keep[8], 0xEE);
    /* NaN ranks lowest; -0 ties with +0 (lower index wins). */
    const float z[4] = { NAN, -0.0f, 0.0f, -3.0f };
    ck_assert_int_eq(rv_gate_topk(z, 4, 1, keep), RV_OK);
    const uint8_t kz1[4] = { 0, 1, 0, 0 };
    ck_assert_mem_eq(keep, kz1, 4);
    ck_assert_int_eq(rv_gate_topk(z, 4, 3, keep), RV_OK);
    const uint8_t kz3[4] = { 0, 1, 1, 1 };
    ck_assert_mem_eq(keep, kz3, 4);
    /* Errors and n = 0. */
    ck_assert_int_eq(rv_gate_topk(NULL, 8, 1, keep), RV_ERR_NULL);
    ck_assert_int_eq(rv_gate_topk(s, 8, 1, NULL), RV_ERR_NULL);
    ck_assert_int_eq(rv_gate_topk(NULL, 0, 1, NULL), RV_OK);
}
END_TEST

/* Brute force: rank by (value desc, index asc) with a stable sort. */
static const float *g_vals;
static int by_rank(const void *a, const void *b)
{
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    float x = g_vals[i], y = g_vals[j];
    if (x != y)
        return x > y ? -1 : 1;
    return i < j ? -1 : (i > j);
}

START_TEST(test_topk_random)
{
    uint32_t r = 17;
    enum { N = 300 };
    float s[N];
    uint32_t idx[N];
    uint8_t keep[N], want[N];
    for (int iter = 0; iter < 200; iter++) {
        uint32_t n = 1 + rng_next(&r) % N;
        /* Few distinct values so ties are common; some negatives. */
        uint32_t levels = 1 + rng_next(&r) % 20;
        for (uint32_t j = 0; j < n; j++) {
            s[j] = (float)(rng_next(&r) % levels) * 0.25f - 1.0f;
            idx[j] = j;
        }
        uint32_t k = rng_next(&r) % (n + 2);
        g_vals = s;
        qsort(idx, n, sizeof idx[0], by_rank);
        memset(want, 0, n);
        for (uint32_t t = 0; t < k && t < n; t++)
            want[idx[t]] = 1;
        ck_assert_int_eq(rv_gate_topk(s, n, k, keep), RV_OK);
        ck_assert_mem_eq(keep, want, n);
    }
}
END_TEST

/* ---- key pooling and the gated forward ---------------------------------- */

START_TEST(test_pool_keys)
{
    /* seq 2, 3 heads, dim 2 */
    const float k[12] = { 1, 2, 3, 4, 5, 6, /* t0 */ -1, 0, 0, 0, 4, 3 /* t1 */ };
    float out[4 + 1];
    out[4] = 42.0f;
    ck_assert_int_eq(rv_gate_pool_keys(k, 2, 3, 2, out), RV_OK);
    ck_assert_float_eq(out[0], 3.0f);
    ck_assert_float_eq(out[1], 4.0f);
    ck_assert_float_eq(out[2], 1.0f);
    ck_assert_float_eq(out[3], 1.0f);
    ck_assert_float_eq(out[4], 42.0f);
    ck_assert_int_eq(rv_gate_pool_keys(k, 2, 0, 2, out), RV_ERR_SHAPE);
    ck_assert_int_eq(rv_gate_pool_keys(k, 2, 3, 0, out), RV_ERR_SHAPE);
    ck_assert_int_eq(rv_gate_pool_keys(NULL, 2, 3, 2, out), RV_ERR_NULL);
    ck_assert_int_eq(rv_gate_pool_keys(k, 2, 3, 2, NULL), RV_ERR_NULL);
    ck_assert_int_eq(rv_gate_pool_keys(NULL, 0, 3, 2, NULL), RV_OK);
    ck_assert_int_eq(rv_gate_pool_keys(k, UINT32_MAX, UINT32_MAX, UINT32_MAX, out),
                     RV_ERR_OVERFLOW);
}
END_TEST

/* pool -> score -> top-k -> gated forward; k = n keeps everything, so the
 * gated output equals the plain forward; a small k changes it. */
START_TEST(test_gate_drives_attention)
{
    const rv_shape sh = { 96, 4, 2, 16 };
    static const uint32_t g0[] = { 0 };
    const rv_attn_cfg cfg = { .window = 8, .block_size = 8, .globals = g0, .n_globals = 1,
                              .causal = true, .log_stride = true, .landmarks = true };
    const size_t nq = (size_t)sh.seq * sh.q_heads * sh.dim, nk = (size_t)sh.seq * sh.kv_heads * sh.dim;
    float *q = malloc(nq * 4), *k = malloc(nk * 4), *v = malloc(nk * 4);
    float *o1 = malloc(nq * 4), *o2 = malloc(nq * 4), *pooled = malloc((size_t)sh.seq * sh.dim * 4);
    float sal[96];
    uint8_t keep[96];
    ck_assert(q && k && v && o1 && o2 && pooled);
    uint32_t r = 77;
    for (size_t e = 0; e < nq; e++)
        q[e] = rng_float(&r);
    for (size_t e = 0; e < nk; e++) {
        k[e] = rng_float(&r);
        v[e] = rng_float(&r);
    }
    void *gm;
    rv_gate *g = make_default(&gm, sh.dim, 24);
    ck_assert_int_eq(rv_gate_pool_keys(k, sh.seq, sh.kv_heads, sh.dim, pooled), RV_OK);
    ck_assert_int_eq(rv_gate_score(g, pooled, sh.seq, sal), RV_OK);
    size_t wsz = rv_attn_workspace_size(&cfg, sh);
    void *ws = malloc(wsz);
    ck_assert_int_eq(rv_attn_forward(&cfg, sh, q, k, v, o1, ws, wsz), RV_OK);
    ck_assert_int_eq(rv_gate_topk(sal, sh.seq, sh.seq, keep), RV_OK);
    ck_assert_int_eq(rv_attn_forward_gated(&cfg, sh, q, k, v, keep, o2, ws, wsz), RV_OK);
    ck_assert_mem_eq(o1, o2, nq * 4);
    ck_assert_int_eq(rv_gate_topk(sal, sh.seq, 8, keep), RV_OK);
    ck_assert_int_eq(rv_attn_forward_gated(&cfg, sh, q, k, v, keep, o2, ws, wsz), RV_OK);
    ck_assert(memcmp(o1, o2, nq * 4) != 0);
    /* Within the window nothing is gated: position 8 sees only window tokens
     * 0..8 (0 is also the global) and log-stride 7, 6, 4, 0 inside them. */
    ck_assert_mem_eq(o1, o2, 9 * sh.q_heads * sh.dim * 4);
    free(ws);
    free(gm);
    free(q);
    free(k);
    free(v);
    free(o1);
    free(o2);
    free(pooled);
}
END_TEST

static Suite *gate_suite(void)
{
    Suite *s = suite_create("gate");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_default_weights_by_hand);
    tcase_add_test(tc, test_default_equals_formula);
    tcase_add_test(tc, test_deterministic_finite);
    tcase_add_test(tc, test_gate_invalid);
    tcase_add_test(tc, test_topk_basic);
    tcase_add_test(tc, test_topk_random);
    tcase_add_test(tc, test_pool_keys);
    tcase_add_test(tc, test_gate_drives_attention);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(gate_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
