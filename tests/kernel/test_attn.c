/*
 * test_attn.c — sparse forward, gated forward, dense reference, edge counts,
 * argument validation and the optimised-vs-reference agreement.
 */
#include <check.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rv_attn.h"
#include "rv_attn_impl.h"
#include "rv_vec.h"
#include "attn_brute.h"

static const uint32_t G0[] = { 0 };

static rv_attn_cfg aether(bool causal)
{
    rv_attn_cfg c = { .window = 32, .block_size = 16, .globals = G0, .n_globals = 1,
                      .causal = causal, .log_stride = true, .landmarks = true };
    return c;
}

static size_t tsize(rv_shape sh, uint32_t heads)
{
    return (size_t)sh.seq * heads * sh.dim;
}

/* q/k/v filled by the golden generator with distinct seeds. */
typedef struct {
    rv_shape sh;
    float *q, *k, *v, *out, *out2;
    void *ws;
    size_t ws_size;
} io;

static void io_make(io *t, rv_shape sh, uint32_t seed)
{
    t->sh = sh;
    t->q = malloc((tsize(sh, sh.q_heads) + 1) * sizeof(float));
    t->k = malloc((tsize(sh, sh.kv_heads) + 1) * sizeof(float));
    t->v = malloc((tsize(sh, sh.kv_heads) + 1) * sizeof(float));
    t->out = malloc((tsize(sh, sh.q_heads) + 1) * sizeof(float));
    t->out2 = malloc((tsize(sh, sh.q_heads) + 1) * sizeof(float));
    ck_assert(t->q && t->k && t->v && t->out && t->out2);
    golden_fill(t->q, tsize(sh, sh.q_heads), seed);
    golden_fill(t->k, tsize(sh, sh.kv_heads), seed + 1);
    golden_fill(t->v, tsize(sh, sh.kv_heads), seed + 2);
    t->ws = NULL;
    t->ws_size = 0;
}

static void io_ws(io *t, size_t size)
{
    free(t->ws);
    t->ws = malloc(size ? size : 1);
    ck_assert_ptr_nonnull(t->ws);
    t->ws_size = size;
}

static void io_free(io *t)
{
    free(t->q);
    free(t->k);
    free(t->v);
    free(t->out);
    free(t->out2);
    free(t->ws);
}

static void sparse(io *t, const rv_attn_cfg *cfg, float *out)
{
    io_ws(t, rv_attn_workspace_size(cfg, t->sh));
    ck_assert_int_eq(rv_attn_forward(cfg, t->sh, t->q, t->k, t->v, out, t->ws, t->ws_size), RV_OK);
}

static void dense(io *t, bool causal, float *out)
{
    io_ws(t, rv_attn_dense_workspace_size(t->sh));
    ck_assert_int_eq(rv_attn_dense(t->sh, causal, t->q, t->k, t->v, out, t->ws, t->ws_size), RV_OK);
}

/* |a - b| <= tol * max(1, |b|) elementwise. */
static void assert_close(const float *a, const float *b, size_t n, double tol)
{
    for (size_t e = 0; e < n; e++) {
        double ref = fabs((double)b[e]) > 1.0 ? fabs((double)b[e]) : 1.0;
        if (!(fabs((double)a[e] - (double)b[e]) <= tol * ref))
            ck_abort_msg("element %zu: %.9g vs %.9g", e, (double)a[e], (double)b[e]);
    }
}

static void assert_close_d(const float *a, const double *b, size_t n, double tol)
{
    for (size_t e = 0; e < n; e++) {
        double ref = fabs(b[e]) > 1.0 ? fabs(b[e]) : 1.0;
        if (!(fabs((double)a[e] - b[e]) <= tol * ref))
            ck_abort_msg("element %zu: %.9g vs %.9g", e, (double)a[e], b[e]);
    }
}

/* ---- golden ------------------------------------------------------------- */

static float *read_f32(const char *name, size_t n)
{
    const char *dir = getenv("RV_SOURCE_DIR");
    ck_assert_msg(dir != NULL, "RV_SOURCE_DIR not set");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/golden/%s", dir, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    unsigned char *raw = malloc(n * 4 + 1);
    float *x = malloc(n * sizeof(float));
    ck_assert(raw && x);
    size_t got = fread(raw, 1, n * 4 + 1, f);
    fclose(f);
    ck_assert_uint_eq(got, n * 4);
    for (size_t e = 0; e < n; e++) {
        uint32_t u = (uint32_t)raw[4 * e] | (uint32_t)raw[4 * e + 1] << 8 |
                     (uint32_t)raw[4 * e + 2] << 16 | (uint32_t)raw[4 * e + 3] << 24;
        memcpy(&x[e], &u, 4);
    }
    free(raw);
    return x;
}

START_TEST(test_golden_n37)
{
    rv_shape sh = { 37, 2, 2, 8 };
    const size_t n = tsize(sh, 2);
    float *gq = read_f32("fwd_mha_causal_aether_n37.q.f32", n);
    float *gk = read_f32("fwd_mha_causal_aether_n37.k.f32", n);
    float *gv = read_f32("fwd_mha_causal_aether_n37.v.f32", n);
    float *gout = read_f32("fwd_mha_causal_aether_n37.out.f32", n);
    /* The inputs are exactly the documented generator's output. */
    float *x = malloc(n * sizeof(float));
    ck_assert_ptr_nonnull(x);
    golden_fill(x, n, 101);
    ck_assert_mem_eq(x, gq, n * sizeof(float));
    golden_fill(x, n, 102);
    ck_assert_mem_eq(x, gk, n * sizeof(float));
    golden_fill(x, n, 103);
    ck_assert_mem_eq(x, gv, n * sizeof(float));

    rv_attn_cfg cfg = aether(true);
    size_t wsz = rv_attn_workspace_size(&cfg, sh);
    void *ws = malloc(wsz);
    ck_assert_ptr_nonnull(ws);
    ck_assert_int_eq(rv_attn_forward(&cfg, sh, gq, gk, gv, x, ws, wsz), RV_OK);
    for (size_t e = 0; e < n; e++)
        ck_assert_msg(fabsf(x[e] - gout[e]) <= 1e-5f, "opt %zu: %.9g vs %.9g", e,
                      (double)x[e], (double)gout[e]);
    ck_assert_int_eq(rv_attn_forward_ref(&cfg, sh, gq, gk, gv, NULL, x, ws, wsz), RV_OK);
    for (size_t e = 0; e < n; e++)
        ck_assert_msg(fabsf(x[e] - gout[e]) <= 1e-5f, "ref %zu: %.9g vs %.9g", e,
                      (double)x[e], (double)gout[e]);
    free(ws);
    free(x);
    free(gq);
    free(gk);
    free(gv);
    free(gout);
}
END_TEST

/* ---- sparse vs dense, sparse vs brute force ----------------------------- */

START_TEST(test_sparse_equals_dense)
{
    static const rv_shape shapes[] = {
        { 50, 4, 4, 16 }, /* MHA */
        { 50, 4, 2, 12 }, /* GQA */
        { 50, 4, 1, 33 }, /* MQA, dim not a multiple of 8 */
    };
    static const uint32_t globals[] = { 0, 7, 7 };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        for (int causal = 0; causal <= 1; causal++) {
            io t;
            io_make(&t, shapes[s], 11u + (uint32_t)s);
            /* Window covers the sequence; globals only repeat window tokens. */
            rv_attn_cfg cfg = { .window = 49, .block_size = 8, .globals = globals,
                                .n_globals = 3, .causal = causal };
            sparse(&t, &cfg, t.out);
            dense(&t, causal, t.out2);
            assert_close(t.out, t.out2, tsize(t.sh, t.sh.q_heads), 1e-5);
            /* A window far beyond the sequence must not overflow anything. */
            cfg.window = UINT32_MAX;
            sparse(&t, &cfg, t.out);
            assert_close(t.out, t.out2, tsize(t.sh, t.sh.q_heads), 1e-5);
            io_free(&t);
        }
    }
}
END_TEST

static void check_brute(const rv_attn_cfg *cfg, rv_shape sh, uint32_t seed, const uint8_t *keep)
{
    io t;
    io_make(&t, sh, seed);
    const size_t n = tsize(sh, sh.q_heads);
    double *want = malloc(n * sizeof(double));
    ck_assert_ptr_nonnull(want);
    brute_attn(cfg, sh, t.q, t.k, t.v, keep, want);
    io_ws(&t, rv_attn_workspace_size(cfg, sh));
    if (keep)
        ck_assert_int_eq(rv_attn_forward_gated(cfg, sh, t.q, t.k, t.v, keep, t.out, t.ws, t.ws_size), RV_OK);
    else
        ck_assert_int_eq(rv_attn_forward(cfg, sh, t.q, t.k, t.v, t.out, t.ws, t.ws_size), RV_OK);
    assert_close_d(t.out, want, n, 1e-5);
    ck_assert_int_eq(rv_attn_forward_ref(cfg, sh, t.q, t.k, t.v, keep, t.out2, t.ws, t.ws_size), RV_OK);
    assert_close_d(t.out2, want, n, 1e-5);
    free(want);
    io_free(&t);
}

START_TEST(test_sparse_vs_brute)
{
    uint32_t x = 777u;
    uint32_t globals[4];
    for (int iter = 0; iter < 60; iter++) {
        rv_shape sh;
        sh.seq = 1 + rng_next(&x) % 90;
        sh.kv_heads = 1 + rng_next(&x) % 3;
        sh.q_heads = sh.kv_heads * (1 + rng_next(&x) % 3);
        sh.dim = 1 + rng_next(&x) % 20;
        rv_attn_cfg cfg = { 0 };
        cfg.window = rng_next(&x) % 12;
        cfg.block_size = 1 + rng_next(&x) % 9;
        cfg.n_globals = rng_next(&x) % 4;
        for (uint32_t g = 0; g < cfg.n_globals; g++)
            globals[g] = rng_next(&x) % (sh.seq + 4);
        cfg.globals = globals;
        cfg.causal = rng_next(&x) & 1;
        cfg.log_stride = rng_next(&x) & 1;
        cfg.landmarks = rng_next(&x) & 1;
        check_brute(&cfg, sh, iter, NULL);
        uint8_t keep[90];
        for (uint32_t j = 0; j < sh.seq; j++)
            keep[j] = (rng_next(&x) & 3) == 0;
        check_brute(&cfg, sh, iter, keep);
    }
}
END_TEST

START_TEST(test_aether_vs_brute)
{
    rv_attn_cfg c = aether(true);
    check_brute(&c, (rv_shape){ 300, 4, 2, 32 }, 5, NULL);
    c = aether(false);
    check_brute(&c, (rv_shape){ 300, 3, 1, 32 }, 6, NULL);
}
END_TEST

/* ---- gated -------------------------------------------------------------- */

START_TEST(test_gated_all_keep)
{
    io t;
    io_make(&t, (rv_shape){ 200, 4, 2, 16 }, 21);
    uint8_t keep[200];
    memset(keep, 1, sizeof keep);
    for (int causal = 0; causal <= 1; causal++) {
        rv_attn_cfg cfg = aether(causal);
        sparse(&t, &cfg, t.out);
        ck_assert_int_eq(rv_attn_forward_gated(&cfg, t.sh, t.q, t.k, t.v, keep, t.out2,
                                               t.ws, t.ws_size), RV_OK);
        ck_assert_mem_eq(t.out, t.out2, tsize(t.sh, 4) * sizeof(float));
    }
    io_free(&t);
}
END_TEST

/* Dropping every non-window, non-global token: exactly the positions whose
 * candidate set had such a token change; a window-only config is immune. */
START_TEST(test_gated_drop_log_stride)
{
    io t;
    const uint32_t n = 120;
    io_make(&t, (rv_shape){ n, 2, 2, 8 }, 31);
    uint8_t keep[120];
    memset(keep, 0, sizeof keep);
    rv_attn_cfg cfg = { .window = 4, .block_size = 8, .globals = G0, .n_globals = 1,
                        .causal = true, .log_stride = true, .landmarks = true };
    sparse(&t, &cfg, t.out);
    ck_assert_int_eq(rv_attn_forward_gated(&cfg, t.sh, t.q, t.k, t.v, keep, t.out2,
                                           t.ws, t.ws_size), RV_OK);
    for (uint32_t i = 0; i < n; i++) {
        /* log-stride i-s outside the window [i-4, i] and not the global 0 */
        bool has = false;
        for (uint32_t s = 1; s < n; s *= 2)
            if (i >= s && i - s + 4 < i && i - s != 0)
                has = true;
        const size_t row = (size_t)i * 2 * 8;
        if (has)
            ck_assert_msg(memcmp(t.out + row, t.out2 + row, 16 * sizeof(float)) != 0,
                          "position %u should change", i);
        else
            ck_assert_msg(memcmp(t.out + row, t.out2 + row, 16 * sizeof(float)) == 0,
                          "position %u should not change", i);
    }
    io_free(&t);
}
END_TEST

/* ---- edge counts -------------------------------------------------------- */

START_TEST(test_edges_hand)
{
    /* n = 8, block 4 throughout. */
    rv_attn_cfg c = { .window = 1, .block_size = 4, .causal = true };
    /* Causal W=1: i=0 sees 1 token, i=1..7 see 2: 1 + 7*2 = 15. */
    ck_assert_uint_eq(rv_attn_count_edges(&c, 8), 15);
    /* Causal W=2: 1 + 2 + 6*3 = 21. */
    c.window = 2;
    ck_assert_uint_eq(rv_attn_count_edges(&c, 8), 21);
    /* Causal W=1 + global 0: 0 is outside the window for i=2..7: 15 + 6. */
    c.window = 1;
    c.globals = G0;
    c.n_globals = 1;
    ck_assert_uint_eq(rv_attn_count_edges(&c, 8), 21);
    /* Causal W=1 + log-stride (s = 1, 2, 4): i-1 is in the window; i-2 adds
     * for i=2..7 (6), i-4 for i=4..7 (4): 15 + 10 = 25. */
    c.globals = NULL;
    c.n_globals = 0;
    c.log_stride = true;
    ck_assert_uint_eq(rv_attn_count_edges(&c, 8), 25);
    /* + global 0: 6 more, but i-2 == 0 at i=2 and i-4 == 0 at i=4 were
     * already counted: 25 + 6 - 2 = 29. */
    c.globals = G0;
    c.n_globals = 1;
    ck_assert_uint_eq(rv_attn_count_edges(&c, 8), 29);
    /* + landmarks: available = (i+1)/4 is 0 for i<3; 1 for i=3..6 (pivot 0,
     * block {0}); 2 for i=7 (pivot 1, blocks {0,1}; log-stride 1-1=0 dup):
     * 29 + 4 + 2 = 35. */
    c.landmarks = true;
    ck_assert_uint_eq(rv_attn_count_edges(&c, 8), 35);
    /* Non-causal W=1, nothing else: 2 + 6*3 + 2 = 22. */
    rv_attn_cfg nc = { .window = 1, .block_size = 4, .causal = false };
    ck_assert_uint_eq(rv_attn_count_edges(&nc, 8), 22);
    /* + landmarks: nb = 2, pivot = cb; local blocks cb-1..cb+1 minus cb is the
     * other block: +1 per position: 30. */
    nc.landmarks = true;
    ck_assert_uint_eq(rv_attn_count_edges(&nc, 8), 30);
    /* A window covering everything is dense: n(n+1)/2 causal, n^2 not. */
    rv_attn_cfg d = { .window = 7, .block_size = 4, .causal = true };
    ck_assert_uint_eq(rv_attn_count_edges(&d, 8), 36);
    d.causal = false;
    ck_assert_uint_eq(rv_attn_count_edges(&d, 8), 64);
    /* n = 0 has no edges; n = 1 has the token itself (+ its block when causal
     * with block 1). */
    ck_assert_uint_eq(rv_attn_count_edges(&c, 0), 0);
    ck_assert_uint_eq(rv_attn_count_edges(&c, 1), 1);
    c.block_size = 1;
    ck_assert_uint_eq(rv_attn_count_edges(&c, 1), 2);
    /* Invalid configs count nothing. */
    ck_assert_uint_eq(rv_attn_count_edges(NULL, 8), 0);
    c.block_size = 0;
    ck_assert_uint_eq(rv_attn_count_edges(&c, 8), 0);
}
END_TEST

START_TEST(test_edges_sparse_vs_dense_4096)
{
    const uint32_t n = 4096;
    rv_attn_cfg c = { .window = 128, .block_size = 64, .globals = G0, .n_globals = 1,
                      .causal = true, .log_stride = true, .landmarks = true };
    uint64_t dense_edges = (uint64_t)n * (n + 1) / 2;
    uint64_t e = rv_attn_count_edges(&c, n);
    ck_assert_uint_lt(e, dense_edges / 4);
    /* Lower bound: every position sees at least its window. */
    ck_assert_uint_gt(e, (uint64_t)(n - 128) * 129);
}
END_TEST

/* ---- edge cases --------------------------------------------------------- */

START_TEST(test_n0_n1)
{
    rv_attn_cfg cfg = aether(true);
    float out[8] = { 7, 7, 7, 7, 7, 7, 7, 7 };
    /* n = 0: RV_OK, nothing written; data pointers may be NULL. */
    rv_shape z = { 0, 2, 1, 4 };
    ck_assert_int_eq(rv_attn_forward(&cfg, z, NULL, NULL, NULL, NULL, NULL, 0), RV_OK);
    ck_assert_int_eq(rv_attn_forward_gated(&cfg, z, NULL, NULL, NULL, NULL, NULL, NULL, 0), RV_OK);
    ck_assert_int_eq(rv_attn_dense(z, true, NULL, NULL, NULL, NULL, NULL, 0), RV_OK);
    void *ws = malloc(rv_attn_workspace_size(&cfg, z));
    float q[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, k[4] = { 1, 0, 1, 0 }, v[4] = { 3, -1, 2, 5 };
    ck_assert_int_eq(rv_attn_forward(&cfg, z, q, k, v, out, ws, rv_attn_workspace_size(&cfg, z)), RV_OK);
    for (int e = 0; e < 8; e++)
        ck_assert(out[e] == 7.0f);
    free(ws);
    /* n = 1: the only candidates are the token (and its block mean, which is
     * the same row), so every head outputs v. */
    rv_shape one = { 1, 2, 1, 4 };
    for (uint32_t bs = 1; bs <= 2; bs++) {
        for (int causal = 0; causal <= 1; causal++) {
            cfg = aether(causal);
            cfg.block_size = bs;
            size_t wsz = rv_attn_workspace_size(&cfg, one);
            ws = malloc(wsz);
            ck_assert_int_eq(rv_attn_forward(&cfg, one, q, k, v, out, ws, wsz), RV_OK);
            for (int e = 0; e < 8; e++)
                ck_assert_float_eq_tol(out[e], v[e % 4], 1e-6f);
            free(ws);
        }
    }
}
END_TEST

START_TEST(test_block1_window0_globals_out_of_range)
{
    uint32_t x = 99u;
    for (int iter = 0; iter < 8; iter++) {
        rv_shape sh = { 40 + (uint32_t)iter, 2, 1, 8 };
        rv_attn_cfg cfg = { .window = 0, .block_size = 1, .causal = iter & 1,
                            .log_stride = (iter >> 1) & 1, .landmarks = true };
        check_brute(&cfg, sh, 40 + iter, NULL);
        /* Out-of-range globals change nothing. */
        io t;
        io_make(&t, sh, 50 + iter);
        sparse(&t, &cfg, t.out);
        uint32_t far[3] = { sh.seq, sh.seq + 5, UINT32_MAX };
        cfg.globals = far;
        cfg.n_globals = 3;
        sparse(&t, &cfg, t.out2);
        ck_assert_mem_eq(t.out, t.out2, tsize(sh, 2) * sizeof(float));
        ck_assert_uint_eq(rv_attn_count_edges(&cfg, sh.seq),
                          rv_attn_count_edges(&(rv_attn_cfg){ .window = 0, .block_size = 1,
                              .causal = iter & 1, .log_stride = (iter >> 1) & 1,
                              .landmarks = true }, sh.seq));
        io_free(&t);
        (void)rng_next(&x);
    }
}
END_TEST

/* ---- invalid arguments -------------------------------------------------- */

#define GUARD 16u
#define CANARY 0x5Au

/* Buffers with canary bytes on both sides. */
typedef struct {
    unsigned char *raw;
    size_t size;
} guarded;

static void *g_make(guarded *g, size_t size)
{
    g->size = size;
    g->raw = malloc(size + 2 * GUARD);
    ck_assert_ptr_nonnull(g->raw);
    memset(g->raw, CANARY, size + 2 * GUARD);
    return g->raw + GUARD;
}

/* Guards intact; with inside_too the buffer itself too (never written). */
static bool g_untouched(const guarded *g, bool inside_too)
{
    for (size_t e = 0; e < g->size + 2 * GUARD; e++) {
        bool inside = e >= GUARD && e < GUARD + g->size;
        if ((!inside || inside_too) && g->raw[e] != CANARY)
            return false;
    }
    return true;
}

START_TEST(test_invalid_args)
{
    io t;
    rv_shape sh = { 33, 4, 2, 8 };
    io_make(&t, sh, 61);
    rv_attn_cfg cfg = aether(true);
    const size_t need = rv_attn_workspace_size(&cfg, sh);
    ck_assert_uint_gt(need, 0);
    guarded go, gw;
    float *out = g_make(&go, tsize(sh, 4) * sizeof(float));
    void *ws = g_make(&gw, need);
    uint8_t keep[33];
    memset(keep, 1, sizeof keep);

    /* Each failure returns its own code and touches neither out nor ws. */
    rv_attn_cfg bad = cfg;
    bad.block_size = 0;
    ck_assert_int_eq(rv_attn_forward(&bad, sh, t.q, t.k, t.v, out, ws, need), RV_ERR_BLOCK_SIZE);
    ck_assert_uint_eq(rv_attn_workspace_size(&bad, sh), 0);
    bad = cfg;
    bad.globals = NULL;
    ck_assert_int_eq(rv_attn_forward(&bad, sh, t.q, t.k, t.v, out, ws, need), RV_ERR_NULL);
    ck_assert_int_eq(rv_attn_forward(NULL, sh, t.q, t.k, t.v, out, ws, need), RV_ERR_NULL);
    rv_shape s2 = sh;
    s2.dim = 0;
    ck_assert_int_eq(rv_attn_forward(&cfg, s2, t.q, t.k, t.v, out, ws, need), RV_ERR_SHAPE);
    ck_assert_int_eq(rv_attn_dense(s2, true, t.q, t.k, t.v, out, ws, need), RV_ERR_SHAPE);
    ck_assert_uint_eq(rv_attn_workspace_size(&cfg, s2), 0);
    ck_assert_uint_eq(rv_attn_dense_workspace_size(s2), 0);
    s2 = sh;
    s2.q_heads = 3;
    ck_assert_int_eq(rv_attn_forward(&cfg, s2, t.q, t.k, t.v, out, ws, need), RV_ERR_SHAPE);
    ck_assert_int_eq(rv_attn_dense(s2, false, t.q, t.k, t.v, out, ws, need), RV_ERR_SHAPE);
    s2 = sh;
    s2.kv_heads = 0;
    ck_assert_int_eq(rv_attn_forward(&cfg, s2, t.q, t.k, t.v, out, ws, need), RV_ERR_SHAPE);
    s2 = sh;
    s2.q_heads = 0;
    ck_assert_int_eq(rv_attn_forward_gated(&cfg, s2, t.q, t.k, t.v, keep, out, ws, need), RV_ERR_SHAPE);
    ck_assert_int_eq(rv_attn_forward(&cfg, sh, t.q, t.k, t.v, out, ws, need - 1), RV_ERR_WORKSPACE);
    ck_assert_int_eq(rv_attn_forward_gated(&cfg, sh, t.q, t.k, t.v, keep, out, ws, need - 1),
                     RV_ERR_WORKSPACE);
    ck_assert_int_eq(rv_attn_forward_ref(&cfg, sh, t.q, t.k, t.v, NULL, out, ws, need - 1),
                     RV_ERR_WORKSPACE);
    ck_assert_int_eq(rv_attn_forward(&cfg, sh, NULL, t.k, t.v, out, ws, need), RV_ERR_NULL);
    ck_assert_int_eq(rv_attn_forward(&cfg, sh, t.q, NULL, t.v, out, ws, need), RV_ERR_NULL);
    ck_assert_int_eq(rv_attn_forward(&cfg, sh, t.q, t.k, NULL, out, ws, need), RV_ERR_NULL);
    ck_assert_int_eq(rv_attn_forward(&cfg, sh, t.q, t.k, t.v, NULL, ws, need), RV_ERR_NULL);
    ck_assert_int_eq(rv_attn_forward(&cfg, sh, t.q, t.k, t.v, out, NULL, need), RV_ERR_NULL);
    ck_assert_int_eq(rv_attn_forward_gated(&cfg, sh, t.q, t.k, t.v, NULL, out, ws, need), RV_ERR_NULL);
    /* Size overflow: the tensors alone would not fit in size_t. */
    rv_shape huge = { UINT32_MAX, 0x80000000u, 0x80000000u, 0x80000000u };
    ck_assert_int_eq(rv_attn_forward(&cfg, huge, t.q, t.k, t.v, out, ws, need), RV_ERR_OVERFLOW);
    ck_assert_int_eq(rv_attn_dense(huge, true, t.q, t.k, t.v, out, ws, need), RV_ERR_OVERFLOW);
    ck_assert_uint_eq(rv_attn_workspace_size(&cfg, huge), 0);
    ck_assert_uint_eq(rv_attn_dense_workspace_size(huge), 0);
    ck_assert(g_untouched(&go, true));
    ck_assert(g_untouched(&gw, true));

    /* Dense: one byte short, NULLs. */
    const size_t dneed = rv_attn_dense_workspace_size(sh);
    ck_assert_int_eq(rv_attn_dense(sh, true, t.q, t.k, t.v, out, ws, dneed - 1), RV_ERR_WORKSPACE);
    ck_assert_int_eq(rv_attn_dense(sh, true, t.q, t.k, t.v, out, NULL, dneed), RV_ERR_NULL);
    ck_assert_int_eq(rv_attn_dense(sh, true, NULL, t.k, t.v, out, ws, dneed), RV_ERR_NULL);
    ck_assert(g_untouched(&go, true));
    ck_assert(g_untouched(&gw, true));

    /* The exact size works and stays inside both buffers. */
    ck_assert_int_eq(rv_attn_forward(&cfg, sh, t.q, t.k, t.v, out, ws, need), RV_OK);
    ck_assert(g_untouched(&go, false));
    ck_assert(g_untouched(&gw, false));
    ck_assert_int_eq(rv_attn_forward_gated(&cfg, sh, t.q, t.k, t.v, keep, out, ws, need), RV_OK);
    ck_assert_int_eq(rv_attn_forward_ref(&cfg, sh, t.q, t.k, t.v, keep, out, ws, need), RV_OK);
    ck_assert(g_untouched(&go, false));
    ck_assert(g_untouched(&gw, false));
    free(gw.raw);
    ws = g_make(&gw, dneed);
    ck_assert_int_eq(rv_attn_dense(sh, false, t.q, t.k, t.v, out, ws, dneed), RV_OK);
    ck_assert(g_untouched(&go, false));
    ck_assert(g_untouched(&gw, false));
    free(go.raw);
    free(gw.raw);
    io_free(&t);
}
END_TEST

/* Workspace needs only float alignment: an odd offset inside a buffer works. */
START_TEST(test_workspace_alignment)
{
    io t;
    rv_shape sh = { 64, 2, 2, 8 };
    io_make(&t, sh, 71);
    rv_attn_cfg cfg = aether(true);
    sparse(&t, &cfg, t.out);
    const size_t need = rv_attn_workspace_size(&cfg, sh);
    for (size_t off = 4; off < 32; off += 4) {
        guarded gw;
        unsigned char *ws = g_make(&gw, need + off);
        ck_assert_int_eq(rv_attn_forward(&cfg, sh, t.q, t.k, t.v, t.out2, ws + off, need), RV_OK);
        ck_assert_mem_eq(t.out, t.out2, tsize(sh, 2) * sizeof(float));
        for (size_t e = GUARD + need + off; e < need + off + 2 * GUARD; e++)
            ck_assert_uint_eq(gw.raw[e], CANARY);
        free(gw.raw);
    }
    io_free(&t);
}
END_TEST

/* ---- optimised vs reference --------------------------------------------- */

START_TEST(test_opt_vs_ref_random)
{
    uint32_t x = 4242u;
    uint32_t globals[3];
    for (int iter = 0; iter < 40; iter++) {
        rv_shape sh;
        sh.seq = 1 + rng_next(&x) % 400;
        sh.kv_heads = 1 + rng_next(&x) % 4;
        sh.q_heads = sh.kv_heads * (1 + rng_next(&x) % 4);
        sh.dim = 1 + rng_next(&x) % 70;
        rv_attn_cfg cfg = { 0 };
        /* Windows up to and beyond a tile, so multi-tile rows are covered. */
        cfg.window = rng_next(&x) % 150;
        cfg.block_size = 1 + rng_next(&x) % 40;
        cfg.n_globals = rng_next(&x) % 4;
        for (uint32_t g = 0; g < cfg.n_globals; g++)
            globals[g] = rng_next(&x) % (sh.seq + 2);
        cfg.globals = globals;
        cfg.causal = rng_next(&x) & 1;
        cfg.log_stride = rng_next(&x) & 1;
        cfg.landmarks = rng_next(&x) & 1;
        io t;
        io_make(&t, sh, 1000u + (uint32_t)iter);
        uint8_t *keep = malloc(sh.seq);
        ck_assert_ptr_nonnull(keep);
        for (uint32_t j = 0; j < sh.seq; j++)
            keep[j] = rng_next(&x) & 1;
        io_ws(&t, rv_attn_workspace_size(&cfg, sh));
        ck_assert_int_eq(rv_attn_forward_opt(&cfg, sh, t.q, t.k, t.v, NULL, t.out, t.ws, t.ws_size), RV_OK);
        ck_assert_int_eq(rv_attn_forward_ref(&cfg, sh, t.q, t.k, t.v, NULL, t.out2, t.ws, t.ws_size), RV_OK);
        assert_close(t.out, t.out2, tsize(sh, sh.q_heads), 1e-5);
        ck_assert_int_eq(rv_attn_forward_opt(&cfg, sh, t.q, t.k, t.v, keep, t.out, t.ws, t.ws_size), RV_OK);
        ck_assert_int_eq(rv_attn_forward_ref(&cfg, sh, t.q, t.k, t.v, keep, t.out2, t.ws, t.ws_size), RV_OK);
        assert_close(t.out, t.out2, tsize(sh, sh.q_heads), 1e-5);
        free(keep);
        io_free(&t);
    }
}
END_TEST

/* The baseline and AVX2 builds of the optimised loops give identical bits.
 * (On a CPU without AVX2 both calls run the baseline build.) */
START_TEST(test_opt_isa_identical)
{
    uint32_t x = 99u;
    for (int iter = 0; iter < 12; iter++) {
        rv_shape sh;
        sh.seq = 1 + rng_next(&x) % 300;
        sh.kv_heads = 1 + rng_next(&x) % 3;
        sh.q_heads = sh.kv_heads * (1 + rng_next(&x) % 4);
        sh.dim = 1 + rng_next(&x) % 80;
        rv_attn_cfg cfg = aether(iter & 1);
        cfg.window = rng_next(&x) % 100;
        io t;
        io_make(&t, sh, 2000u + (uint32_t)iter);
        io_ws(&t, rv_attn_workspace_size(&cfg, sh));
        rv_attn_run r;
        ck_assert_int_eq(rv_attn_prepare(&r, &cfg, sh, t.q, t.k, t.v, NULL, t.out, t.ws, t.ws_size), RV_OK);
        rv_attn_opt_run(&r, false);
        ck_assert_int_eq(rv_attn_prepare(&r, &cfg, sh, t.q, t.k, t.v, NULL, t.out2, t.ws, t.ws_size), RV_OK);
        rv_attn_opt_run(&r, true);
        ck_assert_mem_eq(t.out, t.out2, tsize(sh, sh.q_heads) * sizeof(float));
        io_free(&t);
    }
}
END_TEST

START_TEST(test_vec_primitives)
{
    uint32_t x = 5u;
    float a[77], b[77], c[77], y1[77], y2[77];
    for (uint32_t n = 0; n <= 77; n++) {
        golden_fill(a, 77, 10 + n);
        golden_fill(b, 77, 20 + n);
        golden_fill(c, 77, 30 + n);
        float r = rv_vec_dot_ref(a, b, n), o = rv_vec_dot_opt(a, b, n);
        ck_assert_float_eq_tol(o, r, 1e-5f * (1.0f + fabsf(r)));
        memcpy(y1, a, sizeof a);
        memcpy(y2, a, sizeof a);
        rv_vec_axpy_ref(y1, 0.37f, b, n);
        rv_vec_axpy_opt(y2, 0.37f, b, n);
        ck_assert_mem_eq(y1, y2, sizeof y1);
        rv_vec_scale_ref(y1, -1.5f, n);
        rv_vec_scale_opt(y2, -1.5f, n);
        ck_assert_mem_eq(y1, y2, sizeof y1);
        if (n > 0) {
            ck_assert(rv_vec_max_opt(a, n) == rv_vec_max_ref(a, n));
            float sr = rv_vec_sum_ref(a, n), so = rv_vec_sum_opt(a, n);
            ck_assert_float_eq_tol(so, sr, 1e-5f * (1.0f + fabsf(sr)) * (float)n);
        }
        /* Weighted row sum over up to 5 rows. */
        const float *rows[5] = { a, b, c, a + 1, b + 2 };
        float w[5] = { 0.5f, -1.0f, 0.25f, 2.0f, 1e-3f };
        uint32_t cnt = n % 6, dim = n < 75 ? n : 75;
        memcpy(y1, b, sizeof b);
        memcpy(y2, b, sizeof b);
        rv_vec_wsum_ref(y1, w, rows, cnt, dim);
        rv_vec_wsum_opt(y2, w, rows, cnt, dim);
        ck_assert_mem_eq(y1, y2, sizeof y1);
        (void)rng_next(&x);
    }
    /* exp over its whole domain x <= 0, plus the special values. */
    for (int e = 0; e <= 20000; e++) {
        float v = -(float)e * 0.0045f;
        float r = expf(v), o = rv_vec_exp1_opt(v);
        if (!(fabsf(o - r) <= 3e-7f * r + 1e-37f))
            ck_abort_msg("exp(%g): %.9g vs %.9g", (double)v, (double)o, (double)r);
    }
    ck_assert(rv_vec_exp1_opt(0.0f) == 1.0f);
    ck_assert(rv_vec_exp1_opt(-0.0f) == 1.0f);
    ck_assert(rv_vec_exp1_opt(-87.5f) == 0.0f);
    ck_assert(rv_vec_exp1_opt(-INFINITY) == 0.0f);
    ck_assert(rv_vec_exp1_opt(-FLT_MAX) == 0.0f);
    ck_assert(isnan(rv_vec_exp1_opt(NAN)));
    ck_assert(isnan(rv_vec_exp1_opt(-NAN)));
    /* Outside the contract, but defined: no int overflow, finite result. */
    ck_assert(isfinite(rv_vec_exp1_opt(INFINITY)));
    ck_assert(isfinite(rv_vec_exp1_opt(1e30f)));
    ck_assert(rv_vec_exp1_opt(1.0f) > 1.0f);
    float arr[9] = { 0, -1, -2, -3, -10, -50, -86.9f, -100, -0.125f };
    float ref[9];
    memcpy(ref, arr, sizeof arr);
    rv_vec_exp_opt(arr, 9);
    rv_vec_exp_ref(ref, 9);
    for (int e = 0; e < 9; e++)
        ck_assert_float_eq_tol(arr[e], ref[e], 3e-7f * ref[e] + 1e-37f);
}
END_TEST

static Suite *attn_suite(void)
{
    Suite *s = suite_create("attn");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_golden_n37);
    tcase_add_test(tc, test_sparse_equals_dense);
    tcase_add_test(tc, test_sparse_vs_brute);
    tcase_add_test(tc, test_aether_vs_brute);
    tcase_add_test(tc, test_gated_all_keep);
    tcase_add_test(tc, test_gated_drop_log_stride);
    tcase_add_test(tc, test_edges_hand);
    tcase_add_test(tc, test_edges_sparse_vs_dense_4096);
    tcase_add_test(tc, test_n0_n1);
    tcase_add_test(tc, test_block1_window0_globals_out_of_range);
    tcase_add_test(tc, test_invalid_args);
    tcase_add_test(tc, test_workspace_alignment);
    tcase_add_test(tc, test_opt_vs_ref_random);
    tcase_add_test(tc, test_opt_isa_identical);
    tcase_add_test(tc, test_vec_primitives);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(attn_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
