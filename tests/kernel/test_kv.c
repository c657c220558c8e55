/*
 * test_kv.c — KV cache, streaming decode, ring mode and fp16 storage.
 *
 * References used here:
 *  - rv_attn_forward (causal) at the last position: the contract decode must
 *    reproduce for an unbounded cache;
 *  - brute(): an independent, double-precision reading of the candidate-set
 *    rules of docs/kernel.md in uint64 positions, filtered by what a ring
 *    cache still holds (the documented reduced set);
 *  - IEEE 754 facts for binary16 (exact values of ldexp, rounding ties).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv.h"
#include "rv_f16.h"
#include "rv_kv_impl.h"

/* ---------------------------------------------------------------- helpers */

/* Check records every passing ck_assert through a syscall; hot loops check
 * with this instead and only call into Check on failure. */
#define EXPECT(cond, ...)                                                      \
    do {                                                                       \
        if (!(cond))                                                           \
            ck_abort_msg(__VA_ARGS__);                                         \
    } while (0)
#define EXPECT_EQ(a, b) EXPECT((a) == (b), "%s:%d: %s != %s (%llx vs %llx)", \
                               __FILE__, __LINE__, #a, #b,                   \
                               (unsigned long long)(a), (unsigned long long)(b))

static uint32_t rng_u32(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (uint32_t)(*s >> 11);
}

static float rng_f(uint64_t *s) /* uniform in [-1, 1) */
{
    return (float)(rng_u32(s) & 0xffffffu) / 8388608.0f - 1.0f;
}

static float f16_round(float x)
{
    return rv_f16_to_f32_ref(rv_f16_from_f32_ref(x));
}

/* A test stream: one kv geometry plus all appended rows, so references can
 * see every token ever appended (the cache itself forgets in ring mode). */
typedef struct {
    rv_kv_opts o;
    uint32_t q_heads;
    uint32_t max_len;          /* rows allocated */
    float *k, *v, *q;          /* [max_len][heads][dim], index = pos - first_pos */
} stream;

static void stream_fill(stream *st, uint64_t seed)
{
    const size_t kr = (size_t)st->o.kv_heads * st->o.dim, qr = (size_t)st->q_heads * st->o.dim;
    st->k = malloc((size_t)st->max_len * kr * sizeof(float));
    st->v = malloc((size_t)st->max_len * kr * sizeof(float));
    st->q = malloc((size_t)st->max_len * qr * sizeof(float));
    ck_assert(st->k && st->v && st->q);
    uint64_t s = seed | 1u;
    for (size_t t = 0; t < (size_t)st->max_len * kr; t++) {
        st->k[t] = rng_f(&s);
        st->v[t] = rng_f(&s);
    }
    for (size_t t = 0; t < (size_t)st->max_len * qr; t++)
        st->q[t] = rng_f(&s) * 2.0f;
}

static void stream_free(stream *st)
{
    free(st->k);
    free(st->v);
    free(st->q);
}

static bool in_list64(const uint64_t *l, uint32_t n, uint64_t x)
{
    for (uint32_t t = 0; t < n; t++)
        if (l[t] == x)
            return true;
    return false;
}

/*
 * Brute-force decode of the query at absolute position len-1 over the
 * reduced candidate set of a cache with options st->o after appending
 * positions first_pos..len-1. Double precision, two-pass softmax.
 * fp16 caches: token rows rounded through binary16, landmarks from the
 * unrounded rows (that is what the cache stores).
 */
static void brute(const rv_attn_cfg *cfg, const stream *st, uint64_t len,
                  const float *q, double *out)
{
    const rv_kv_opts *o = &st->o;
    const uint32_t dim = o->dim, kvh = o->kv_heads, group = st->q_heads / kvh;
    const uint64_t start = o->ring ? o->first_pos : 0, i = len - 1, n = len;
    const uint64_t bs = cfg->block_size;
    const uint64_t cap = o->capacity;
    const uint64_t oldest = len - start > cap ? len - cap : start;
    const uint32_t n_lm = !o->ring ? (uint32_t)((cap + bs - 1) / bs)
                          : o->max_landmark_blocks ? o->max_landmark_blocks
                          : (uint32_t)(2 * ((cap + bs - 1) / bs));
    const uint64_t done = len / bs, first = start / bs;
    const uint64_t first_blk = done - first > n_lm ? done - n_lm : first;
    const bool f16 = o->precision == RV_KV_F16;

    /* Unbounded candidate set, contract order, deduplicated. */
    const uint32_t maxc = cfg->window + 1 + cfg->n_globals + 130;
    uint64_t *tok = malloc(maxc * sizeof *tok), *blk = malloc(140 * sizeof *blk);
    ck_assert(tok && blk);
    uint32_t nt = 0, nb = 0;
    for (uint64_t j = i > cfg->window ? i - cfg->window : 0; j <= i; j++)
        tok[nt++] = j;
    for (uint32_t t = 0; t < cfg->n_globals; t++) {
        const uint64_t g = cfg->globals[t];
        if (g < n && g <= i && !in_list64(tok, nt, g))
            tok[nt++] = g;
    }
    if (cfg->log_stride)
        for (uint64_t s = 1; s < n; s <<= 1)
            if (i >= s && !in_list64(tok, nt, i - s))
                tok[nt++] = i - s;
    if (cfg->landmarks) {
        const uint64_t nbk = (n + bs - 1) / bs, avail = (i + 1) / bs;
        if (avail > 0) {
            const uint64_t pivot = avail - 1;
            const uint64_t lo = pivot > 0 ? pivot - 1 : 0;
            const uint64_t hi = pivot + 1 < avail ? pivot + 1 : avail - 1;
            for (uint64_t b = lo; b <= hi; b++)
                if (!in_list64(blk, nb, b))
                    blk[nb++] = b;
            if (cfg->log_stride)
                for (uint64_t s = 1; s < nbk; s <<= 1)
                    if (pivot >= s && !in_list64(blk, nb, pivot - s))
                        blk[nb++] = pivot - s;
        }
    }
    /* Reduced set: tokens still held (ring or pinned), blocks retained. */
    uint32_t kt = 0, kb = 0;
    for (uint32_t t = 0; t < nt; t++) {
        const uint64_t j = tok[t];
        bool held = j >= start && j >= oldest;
        if (!held && o->ring && j >= start)
            for (uint32_t p = 0; p < o->n_pinned; p++)
                held |= o->pinned[p] == j;
        if (held)
            tok[kt++] = j;
    }
    for (uint32_t t = 0; t < nb; t++)
        if (blk[t] >= first_blk)
            blk[kb++] = blk[t];

    const size_t kr = (size_t)kvh * dim;
    double *sc = malloc((kt + kb) * sizeof *sc);
    ck_assert(sc != NULL);
    for (uint32_t h = 0; h < st->q_heads; h++) {
        const uint32_t g = h / group;
        const float *qh = q + (size_t)h * dim;
        double mx = -INFINITY;
        for (uint32_t c = 0; c < kt + kb; c++) {
            double s = 0;
            for (uint32_t d = 0; d < dim; d++) {
                double kd;
                if (c < kt) {
                    const float x = st->k[(size_t)(tok[c] - start) * kr + (size_t)g * dim + d];
                    kd = f16 ? f16_round(x) : x;
                } else {
                    double sum = 0;
                    for (uint64_t j = blk[c - kt] * bs; j < (blk[c - kt] + 1) * bs; j++)
                        sum += st->k[(size_t)(j - start) * kr + (size_t)g * dim + d];
                    kd = sum / (double)bs;
                }
                s += (double)qh[d] * kd;
            }
            sc[c] = s / sqrt((double)dim);
            mx = sc[c] > mx ? sc[c] : mx;
        }
        double l = 0;
        for (uint32_t c = 0; c < kt + kb; c++) {
            sc[c] = exp(sc[c] - mx);
            l += sc[c];
        }
        for (uint32_t d = 0; d < dim; d++) {
            double a = 0;
            for (uint32_t c = 0; c < kt + kb; c++) {
                double vd;
                if (c < kt) {
                    const float x = st->v[(size_t)(tok[c] - start) * kr + (size_t)g * dim + d];
                    vd = f16 ? f16_round(x) : x;
                } else {
                    double sum = 0;
                    for (uint64_t j = blk[c - kt] * bs; j < (blk[c - kt] + 1) * bs; j++)
                        sum += st->v[(size_t)(j - start) * kr + (size_t)g * dim + d];
                    vd = sum / (double)bs;
                }
                a += sc[c] * vd;
            }
            out[(size_t)h * dim + d] = a / l;
        }
    }
    free(sc);
    free(tok);
    free(blk);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    ck_assert(p != NULL);
    return p;
}

/* Cache + decode workspace for a stream. */
typedef struct {
    void *mem, *ws;
    size_t mem_size, ws_size;
    rv_kv *kv;
} cache;

static void cache_open(cache *c, const stream *st, const rv_attn_cfg *cfg)
{
    c->mem_size = rv_kv_mem_size_ex(&st->o);
    ck_assert_uint_gt(c->mem_size, 0);
    c->mem = xmalloc(c->mem_size);
    c->kv = rv_kv_init_ex(c->mem, c->mem_size, &st->o);
    ck_assert_ptr_nonnull(c->kv);
    c->ws_size = rv_attn_decode_workspace_size(cfg, st->q_heads, st->o.dim);
    ck_assert_uint_gt(c->ws_size, 0);
    c->ws = xmalloc(c->ws_size);
}

static void cache_close(cache *c)
{
    free(c->mem);
    free(c->ws);
}

static const float *row_k(const stream *st, uint64_t t)
{
    return st->k + (size_t)t * st->o.kv_heads * st->o.dim;
}
static const float *row_v(const stream *st, uint64_t t)
{
    return st->v + (size_t)t * st->o.kv_heads * st->o.dim;
}
static const float *row_q(const stream *st, uint64_t t)
{
    return st->q + (size_t)t * st->q_heads * st->o.dim;
}

static const uint32_t aether_globals[] = { 0 };

static rv_attn_cfg aether(void)
{
    rv_attn_cfg c = { .window = 32, .block_size = 16, .globals = aether_globals,
                      .n_globals = 1, .causal = true, .log_stride = true,
                      .landmarks = true };
    return c;
}

/*
 * fp16 error bound of one decode output element (docs/kernel.md): every
 * stored key/value element x carries |dx| <= 2^-11 |x| + 2^-25. To first
 * order a score moves by at most ds_j = sum_d |q_d| |dk_jd| / sqrt(dim), the
 * softmax weights by p_j |ds_j - sum p ds| (so the output by at most
 * 2 max|v| max_j ds_j), and the values add max |dv|. 10% headroom covers
 * the second-order terms; fp32 rounding adds 1e-5.
 */
static double f16_bound(const stream *st, uint64_t len, const float *q)
{
    const uint32_t dim = st->o.dim, kvh = st->o.kv_heads, group = st->q_heads / kvh;
    double worst = 0;
    for (uint32_t h = 0; h < st->q_heads; h++) {
        const uint32_t g = h / group;
        double ds = 0, vmax = 0, dv = 0;
        for (uint64_t j = 0; j < len; j++) {
            const float *k = row_k(st, j) + (size_t)g * dim, *v = row_v(st, j) + (size_t)g * dim;
            double s = 0;
            for (uint32_t d = 0; d < dim; d++) {
                s += fabs(q[(size_t)h * dim + d]) * (ldexp(fabs(k[d]), -11) + ldexp(1, -25));
                vmax = fmax(vmax, fabs(v[d]));
                dv = fmax(dv, ldexp(fabs(v[d]), -11) + ldexp(1, -25));
            }
            ds = fmax(ds, s / sqrt((double)dim));
        }
        worst = fmax(worst, 1.1 * (2 * vmax * ds + dv));
    }
    return worst + 1e-5;
}

/* --------------------------------------- decode == causal forward, streamed */

static void stream_vs_forward(uint32_t q_heads, uint32_t kv_heads, uint32_t dim,
                              rv_kv_precision prec, uint32_t steps)
{
    const rv_attn_cfg cfg = aether();
    stream st = { .o = { .capacity = steps, .kv_heads = kv_heads, .dim = dim,
                         .block_size = cfg.block_size, .precision = prec },
                  .q_heads = q_heads, .max_len = steps };
    stream_fill(&st, 0x1234u + q_heads * 7u + kv_heads + prec);
    cache c;
    cache_open(&c, &st, &cfg);
    const size_t qr = (size_t)q_heads * dim;
    float *out = xmalloc(qr * sizeof(float));
    float *fout = xmalloc((size_t)steps * qr * sizeof(float));
    double *bout = xmalloc(qr * sizeof(double));
    double max_err = 0;
    for (uint32_t t = 0; t < steps; t++) {
        ck_assert_int_eq(rv_kv_append(c.kv, row_k(&st, t), row_v(&st, t)), RV_OK);
        ck_assert_uint_eq(rv_kv_len(c.kv), t + 1u);
        ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, q_heads, row_q(&st, t), out,
                                        c.ws, c.ws_size), RV_OK);
        /* The contract reference: causal forward over t+1 tokens. */
        const rv_shape sh = { .seq = t + 1u, .q_heads = q_heads, .kv_heads = kv_heads, .dim = dim };
        const size_t fws = rv_attn_workspace_size(&cfg, sh);
        void *fw = xmalloc(fws);
        ck_assert_int_eq(rv_attn_forward(&cfg, sh, st.q, st.k, st.v, fout, fw, fws), RV_OK);
        free(fw);
        const float *last = fout + (size_t)t * qr;
        const double tol = prec == RV_KV_F32 ? 1e-5 : f16_bound(&st, t + 1u, row_q(&st, t));
        for (size_t e = 0; e < qr; e++) {
            const double err = fabs((double)out[e] - last[e]);
            max_err = fmax(max_err, err);
            EXPECT(err <= tol, "step %u elem %zu: decode %.9g forward %.9g (tol %.3g)",
                          t, e, (double)out[e], (double)last[e], tol);
        }
        if (prec == RV_KV_F16) {
            /* Against the exact reduced computation on rounded tokens. */
            brute(&cfg, &st, t + 1u, row_q(&st, t), bout);
            for (size_t e = 0; e < qr; e++)
                EXPECT(fabs(out[e] - bout[e]) <= 1e-5, "f16 step %u: %.9g vs brute %.9g", t,
                       (double)out[e], bout[e]);
        }
    }
    ck_assert(max_err < (prec == RV_KV_F32 ? 1e-5 : 1e-2));
    free(out);
    free(fout);
    free(bout);
    cache_close(&c);
    stream_free(&st);
}

START_TEST(test_decode_vs_forward_mha) { stream_vs_forward(4, 4, 32, RV_KV_F32, 300); }
END_TEST
START_TEST(test_decode_vs_forward_mqa) { stream_vs_forward(4, 1, 32, RV_KV_F32, 300); }
END_TEST
START_TEST(test_decode_vs_forward_gqa) { stream_vs_forward(6, 2, 16, RV_KV_F32, 300); }
END_TEST
START_TEST(test_decode_vs_forward_f16_mqa) { stream_vs_forward(4, 1, 32, RV_KV_F16, 300); }
END_TEST
START_TEST(test_decode_vs_forward_f16_gqa) { stream_vs_forward(4, 2, 32, RV_KV_F16, 300); }
END_TEST

/* ------------------------------------------------ full cache, bad arguments */

START_TEST(test_full_unchanged)
{
    const rv_attn_cfg cfg = aether();
    stream st = { .o = { .capacity = 40, .kv_heads = 1, .dim = 8, .block_size = 16 },
                  .q_heads = 2, .max_len = 41 };
    stream_fill(&st, 99);
    cache c;
    cache_open(&c, &st, &cfg);
    for (uint32_t t = 0; t < 40; t++)
        ck_assert_int_eq(rv_kv_append(c.kv, row_k(&st, t), row_v(&st, t)), RV_OK);
    float before[16], after[16];
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 2, row_q(&st, 39), before, c.ws, c.ws_size), RV_OK);
    unsigned char *snap = xmalloc(c.mem_size);
    memcpy(snap, c.mem, c.mem_size);
    ck_assert_int_eq(rv_kv_append(c.kv, row_k(&st, 40), row_v(&st, 40)), RV_ERR_FULL);
    ck_assert_int_eq(memcmp(snap, c.mem, c.mem_size), 0);
    ck_assert_uint_eq(rv_kv_len(c.kv), 40);
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 2, row_q(&st, 39), after, c.ws, c.ws_size), RV_OK);
    ck_assert_int_eq(memcmp(before, after, sizeof before), 0);
    /* reset empties it and it fills again */
    rv_kv_reset(c.kv);
    ck_assert_uint_eq(rv_kv_len(c.kv), 0);
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 2, row_q(&st, 0), after, c.ws, c.ws_size),
                     RV_ERR_EMPTY);
    ck_assert_int_eq(rv_kv_append(c.kv, row_k(&st, 0), row_v(&st, 0)), RV_OK);
    free(snap);
    cache_close(&c);
    stream_free(&st);
}
END_TEST

START_TEST(test_not_finite_unchanged)
{
    const rv_attn_cfg cfg = aether();
    for (int prec = 0; prec < 2; prec++) {
        stream st = { .o = { .capacity = 4, .kv_heads = 1, .dim = 4, .block_size = 16,
                             .precision = (rv_kv_precision)prec, .ring = true },
                      .q_heads = 1, .max_len = 8 };
        stream_fill(&st, 5);
        cache c;
        cache_open(&c, &st, &cfg);
        for (uint32_t t = 0; t < 6; t++)
            ck_assert_int_eq(rv_kv_append(c.kv, row_k(&st, t), row_v(&st, t)), RV_OK);
        unsigned char *snap = xmalloc(c.mem_size);
        memcpy(snap, c.mem, c.mem_size);
        float bad[4] = { 0.5f, NAN, 0.0f, 1.0f };
        ck_assert_int_eq(rv_kv_append(c.kv, bad, row_v(&st, 0)), RV_ERR_NOT_FINITE);
        bad[1] = -INFINITY;
        ck_assert_int_eq(rv_kv_append(c.kv, row_k(&st, 0), bad), RV_ERR_NOT_FINITE);
        bad[1] = 1e5f; /* finite, but beyond binary16 */
        ck_assert_int_eq(rv_kv_append(c.kv, bad, row_v(&st, 0)),
                         prec ? RV_ERR_NOT_FINITE : RV_OK);
        if (!prec)
            memcpy(snap, c.mem, c.mem_size); /* the fp32 cache took it */
        ck_assert_int_eq(memcmp(snap, c.mem, c.mem_size), 0);
        free(snap);
        cache_close(&c);
        stream_free(&st);
    }
}
END_TEST

#define CANARY 0xa5u

/* Buffer of n bytes followed by 64 canary bytes. */
static unsigned char *canary_buf(size_t n)
{
    unsigned char *p = xmalloc(n + 64);
    memset(p, CANARY, n + 64);
    return p;
}

static void canary_check(const unsigned char *p, size_t n)
{
    for (size_t t = n; t < n + 64; t++)
        EXPECT_EQ(p[t], CANARY);
}

START_TEST(test_init_sizes)
{
    const rv_kv_opts good[] = {
        { .capacity = 100, .kv_heads = 2, .dim = 8, .block_size = 16 },
        { .capacity = 100, .kv_heads = 2, .dim = 8, .block_size = 16, .precision = RV_KV_F16 },
        { .capacity = 7, .kv_heads = 1, .dim = 3, .block_size = 5, .ring = true,
          .max_landmark_blocks = 3, .pinned = (const uint32_t[]){ 9, 0, 9, 4 }, .n_pinned = 4 },
    };
    for (size_t g = 0; g < sizeof good / sizeof good[0]; g++) {
        const size_t need = rv_kv_mem_size_ex(&good[g]);
        ck_assert_uint_gt(need, 0);
        for (size_t shift = 0; shift < 8; shift++) {
            /* one byte too small -> NULL, untouched */
            unsigned char *b = canary_buf(need + shift);
            ck_assert_ptr_null(rv_kv_init_ex(b + shift, need - 1, &good[g]));
            for (size_t t = 0; t < need + shift + 64; t++)
                EXPECT_EQ(b[t], CANARY);
            /* exact size at any alignment works and stays inside */
            rv_kv *kv = rv_kv_init_ex(b + shift, need, &good[g]);
            ck_assert_ptr_nonnull(kv);
            float k[16] = { 0 }, v[16] = { 0 };
            for (uint32_t t = 0; t < 300; t++) {
                const rv_status s = rv_kv_append(kv, k, v);
                ck_assert(s == RV_OK || (s == RV_ERR_FULL && !good[g].ring));
            }
            canary_check(b + shift, need);
            free(b);
        }
    }
    /* the 4-argument form equals the ex form with defaults */
    ck_assert_uint_eq(rv_kv_mem_size(100, 2, 8, 16), rv_kv_mem_size_ex(&good[0]));
    /* fp16 halves the token storage (k and v: 4096 x 32 x 2 bytes each saved);
     * landmark sums and means stay fp32 */
    const rv_kv_opts big32 = { .capacity = 4096, .kv_heads = 1, .dim = 32, .block_size = 16 };
    const rv_kv_opts big16 = { .capacity = 4096, .kv_heads = 1, .dim = 32, .block_size = 16,
                               .precision = RV_KV_F16 };
    ck_assert_uint_eq(rv_kv_mem_size_ex(&big32) - rv_kv_mem_size_ex(&big16), 2u * 4096u * 32u * 2u);

    unsigned char mem[4096];
    const rv_kv_opts bad[] = {
        { .capacity = 0, .kv_heads = 1, .dim = 4, .block_size = 4 },
        { .capacity = 8, .kv_heads = 0, .dim = 4, .block_size = 4 },
        { .capacity = 8, .kv_heads = 1, .dim = 0, .block_size = 4 },
        { .capacity = 8, .kv_heads = 1, .dim = 4, .block_size = 0 },
        { .capacity = 8, .kv_heads = 1, .dim = 4, .block_size = 4, .precision = (rv_kv_precision)7 },
        { .capacity = 8, .kv_heads = 1, .dim = 4, .block_size = 4, .ring = true, .n_pinned = 2 },
        { .capacity = 8, .kv_heads = 1, .dim = 4, .block_size = 4, .ring = true,
          .pinned = (const uint32_t[]){ 1 }, .n_pinned = RV_KV_MAX_PINNED + 1 },
        { .capacity = 8, .kv_heads = 1, .dim = 4, .block_size = 4, .first_pos = 8 },
        { .capacity = 8, .kv_heads = 1, .dim = 4, .block_size = 4, .ring = true, .first_pos = 6 },
        { .capacity = UINT32_MAX, .kv_heads = UINT32_MAX, .dim = UINT32_MAX, .block_size = 4 },
        { .capacity = UINT32_MAX - 2, .kv_heads = 1, .dim = 1, .block_size = 4, .ring = true },
    };
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        ck_assert_uint_eq(rv_kv_mem_size_ex(&bad[b]), 0);
        ck_assert_ptr_null(rv_kv_init_ex(mem, sizeof mem, &bad[b]));
    }
    ck_assert_uint_eq(rv_kv_mem_size(8, 1, 0, 4), 0);
    ck_assert_uint_eq(rv_kv_mem_size(8, 1, 4, 0), 0);
    ck_assert_ptr_null(rv_kv_init(mem, sizeof mem, 8, 1, 4, 0));
    ck_assert_ptr_null(rv_kv_init(mem, sizeof mem, 8, 1, 0, 4));
    ck_assert_ptr_null(rv_kv_init(NULL, sizeof mem, 8, 1, 4, 4));
    ck_assert_uint_eq(rv_kv_mem_size_ex(NULL), 0);
    ck_assert_ptr_null(rv_kv_init_ex(mem, sizeof mem, NULL));
}
END_TEST

START_TEST(test_bad_args)
{
    const rv_attn_cfg cfg = aether();
    stream st = { .o = { .capacity = 64, .kv_heads = 2, .dim = 8, .block_size = 16 },
                  .q_heads = 4, .max_len = 64 };
    stream_fill(&st, 3);
    cache c;
    cache_open(&c, &st, &cfg);
    float out[64];
    const float *q = row_q(&st, 0);
    /* empty cache */
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 4, q, out, c.ws, c.ws_size), RV_ERR_EMPTY);
    for (uint32_t t = 0; t < 40; t++)
        ck_assert_int_eq(rv_kv_append(c.kv, row_k(&st, t), row_v(&st, t)), RV_OK);

    /* appends */
    ck_assert_int_eq(rv_kv_append(NULL, row_k(&st, 0), row_v(&st, 0)), RV_ERR_NULL);
    ck_assert_int_eq(rv_kv_append(c.kv, NULL, row_v(&st, 0)), RV_ERR_NULL);
    ck_assert_int_eq(rv_kv_append(c.kv, row_k(&st, 0), NULL), RV_ERR_NULL);
    _Alignas(32) unsigned char garbage[512];
    memset(garbage, 0xab, sizeof garbage);
    ck_assert_int_eq(rv_kv_append((rv_kv *)(void *)garbage, row_k(&st, 0), row_v(&st, 0)),
                     RV_ERR_BAD_OBJECT);
    ck_assert_int_eq(rv_kv_append((rv_kv *)(void *)(garbage + 4), row_k(&st, 0), row_v(&st, 0)),
                     RV_ERR_BAD_OBJECT);
    ck_assert_uint_eq(rv_kv_len((const rv_kv *)(void *)garbage), 0);
    ck_assert_uint_eq(rv_kv_len(NULL), 0);
    rv_kv_reset(NULL); /* no-op */
    rv_kv_reset((rv_kv *)(void *)garbage);
    for (size_t t = 0; t < sizeof garbage; t++)
        ck_assert_uint_eq(garbage[t], 0xab);

    /* workspace: one byte too small, nothing written beyond it or into out */
    unsigned char *ws = canary_buf(c.ws_size);
    float oc[64 + 16];
    memset(oc, CANARY, sizeof oc);
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 4, q, oc, ws, c.ws_size - 1), RV_ERR_WORKSPACE);
    canary_check(ws, c.ws_size - 1);
    for (size_t t = 0; t < sizeof oc; t++)
        ck_assert_uint_eq(((unsigned char *)oc)[t], CANARY);
    /* exact size at an odd address: fine, and stays inside */
    unsigned char *ws2 = canary_buf(c.ws_size + 3);
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 4, q, oc, ws2 + 3, c.ws_size), RV_OK);
    canary_check(ws2 + 3, c.ws_size);
    for (size_t t = 32 * sizeof(float); t < sizeof oc; t++)
        ck_assert_uint_eq(((unsigned char *)oc)[t], CANARY);
    free(ws);
    free(ws2);

    /* NULLs */
    ck_assert_int_eq(rv_attn_decode(NULL, c.kv, 4, q, out, c.ws, c.ws_size), RV_ERR_NULL);
    ck_assert_int_eq(rv_attn_decode(&cfg, NULL, 4, q, out, c.ws, c.ws_size), RV_ERR_NULL);
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 4, NULL, out, c.ws, c.ws_size), RV_ERR_NULL);
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 4, q, NULL, c.ws, c.ws_size), RV_ERR_NULL);
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 4, q, out, NULL, c.ws_size), RV_ERR_NULL);
    rv_attn_cfg nog = cfg;
    nog.globals = NULL;
    ck_assert_int_eq(rv_attn_decode(&nog, c.kv, 4, q, out, c.ws, c.ws_size), RV_ERR_NULL);
    ck_assert_uint_eq(rv_attn_decode_workspace_size(&nog, 4, 8), 0);
    /* foreign object */
    ck_assert_int_eq(rv_attn_decode(&cfg, (const rv_kv *)(void *)garbage, 4, q, out, c.ws,
                                    c.ws_size), RV_ERR_BAD_OBJECT);
    /* heads: zero, or not a multiple of the cache's kv heads */
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 0, q, out, c.ws, c.ws_size), RV_ERR_SHAPE);
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 3, q, out, c.ws, c.ws_size), RV_ERR_SHAPE);
    /* more q heads than the workspace was sized for */
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 8, q, out, c.ws, c.ws_size), RV_ERR_WORKSPACE);
    /* workspace sized for a smaller dim than the cache's */
    const size_t ws4 = rv_attn_decode_workspace_size(&cfg, 4, 4);
    ck_assert_uint_lt(ws4, c.ws_size);
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 4, q, out, c.ws, ws4), RV_ERR_WORKSPACE);
    /* block size zero, or not the cache's */
    rv_attn_cfg b0 = cfg;
    b0.block_size = 0;
    ck_assert_int_eq(rv_attn_decode(&b0, c.kv, 4, q, out, c.ws, c.ws_size), RV_ERR_BLOCK_SIZE);
    ck_assert_uint_eq(rv_attn_decode_workspace_size(&b0, 4, 8), 0);
    rv_attn_cfg b8 = cfg;
    b8.block_size = 8;
    ck_assert_int_eq(rv_attn_decode(&b8, c.kv, 4, q, out, c.ws, c.ws_size), RV_ERR_MISMATCH);
    /* size query argument checks */
    ck_assert_uint_eq(rv_attn_decode_workspace_size(NULL, 4, 8), 0);
    ck_assert_uint_eq(rv_attn_decode_workspace_size(&cfg, 0, 8), 0);
    ck_assert_uint_eq(rv_attn_decode_workspace_size(&cfg, 4, 0), 0);
    /* workspace does not depend on the window's size */
    rv_attn_cfg wide = cfg;
    wide.window = UINT32_MAX;
    ck_assert_uint_eq(rv_attn_decode_workspace_size(&wide, 4, 8), c.ws_size);
    /* after all of that the cache still decodes */
    ck_assert_int_eq(rv_attn_decode(&cfg, c.kv, 4, q, out, c.ws, c.ws_size), RV_OK);
    cache_close(&c);
    stream_free(&st);
}
END_TEST

/* ------------------------------------------------------------------ ring */

/* Ring and non-ring caches agree bit for bit while nothing has been evicted. */
START_TEST(test_ring_identical_until_full)
{
    const rv_attn_cfg cfg = aether();
    for (int prec = 0; prec < 2; prec++) {
        stream sa = { .o = { .capacity = 200, .kv_heads = 1, .dim = 32, .block_size = 16,
                             .precision = (rv_kv_precision)prec },
                      .q_heads = 4, .max_len = 200 };
        stream sb = sa;
        sb.o.ring = true;
        sb.o.pinned = aether_globals;
        sb.o.n_pinned = 1;
        stream_fill(&sa, 77);
        cache a, b;
        cache_open(&a, &sa, &cfg);
        cache_open(&b, &sb, &cfg);
        float oa[128], ob[128];
        for (uint32_t t = 0; t < 200; t++) {
            ck_assert_int_eq(rv_kv_append(a.kv, row_k(&sa, t), row_v(&sa, t)), RV_OK);
            ck_assert_int_eq(rv_kv_append(b.kv, row_k(&sa, t), row_v(&sa, t)), RV_OK);
            ck_assert_int_eq(rv_attn_decode(&cfg, a.kv, 4, row_q(&sa, t), oa, a.ws, a.ws_size), RV_OK);
            ck_assert_int_eq(rv_attn_decode(&cfg, b.kv, 4, row_q(&sa, t), ob, b.ws, b.ws_size), RV_OK);
            ck_assert_int_eq(memcmp(oa, ob, sizeof oa), 0);
        }
        cache_close(&a);
        cache_close(&b);
        stream_free(&sa);
    }
}
END_TEST

/* reset returns a ring cache (pinned tokens, first_pos) to its initial
 * state: replaying the same stream gives bit-identical outputs. */
START_TEST(test_ring_reset_replays)
{
    const rv_attn_cfg cfg = aether();
    stream st = { .o = { .capacity = 48, .kv_heads = 1, .dim = 8, .block_size = 16,
                         .precision = RV_KV_F16, .ring = true, .max_landmark_blocks = 3,
                         .pinned = (const uint32_t[]){ 0, 37, 1000 }, .n_pinned = 3,
                         .first_pos = 32 },
                  .q_heads = 2, .max_len = 300 };
    stream_fill(&st, 8);
    cache c;
    cache_open(&c, &st, &cfg);
    float *first = xmalloc(300 * 16 * sizeof(float)), out[16];
    for (int pass = 0; pass < 2; pass++) {
        rv_kv_reset(c.kv);
        ck_assert(rv_kv_len(c.kv) == 32u);
        ck_assert_uint_eq(rv_kv_stored(c.kv), 0);
        for (uint32_t t = 0; t < 300; t++) {
            EXPECT_EQ(rv_kv_append(c.kv, row_k(&st, t), row_v(&st, t)), RV_OK);
            EXPECT_EQ(rv_attn_decode(&cfg, c.kv, 2, row_q(&st, t), out, c.ws, c.ws_size), RV_OK);
            if (pass == 0)
                memcpy(first + t * 16, out, sizeof out);
            else
                EXPECT(memcmp(first + t * 16, out, sizeof out) == 0, "step %u differs", t);
        }
    }
    free(first);
    cache_close(&c);
    stream_free(&st);
}
END_TEST

/* After wrapping, decode equals the brute-force reduced candidate set. */
static void ring_vs_brute(const rv_attn_cfg *cfg, rv_kv_opts o, uint32_t q_heads,
                          uint32_t steps, uint64_t seed)
{
    stream st = { .o = o, .q_heads = q_heads, .max_len = steps };
    stream_fill(&st, seed);
    cache c;
    cache_open(&c, &st, cfg);
    const size_t qr = (size_t)q_heads * o.dim;
    float *out = xmalloc(qr * sizeof(float)), *oref = xmalloc(qr * sizeof(float));
    float *obase = xmalloc(qr * sizeof(float));
    double *bout = xmalloc(qr * sizeof(double));
    for (uint32_t t = 0; t < steps; t++) {
        EXPECT_EQ(rv_kv_append(c.kv, row_k(&st, t), row_v(&st, t)), RV_OK);
        const uint64_t len = o.first_pos + t + 1u;
        ck_assert(rv_kv_len(c.kv) == len);
        ck_assert_uint_eq(rv_kv_stored(c.kv), t + 1u < o.capacity ? t + 1u : o.capacity);
        ck_assert_int_eq(rv_attn_decode(cfg, c.kv, q_heads, row_q(&st, t), out, c.ws,
                                        c.ws_size), RV_OK);
        ck_assert_int_eq(rv_attn_decode_ref(cfg, c.kv, q_heads, row_q(&st, t), oref, c.ws,
                                            c.ws_size), RV_OK);
        /* the baseline build of the optimised loop: bit-identical to the
         * AVX2 build rv_attn_decode picks on CPUs that have it */
        ck_assert_int_eq(rv_attn_decode_opt_isa(cfg, c.kv, q_heads, row_q(&st, t), obase,
                                                c.ws, c.ws_size, false), RV_OK);
        EXPECT(memcmp(obase, out, qr * sizeof(float)) == 0, "step %u: baseline != dispatched", t);
        brute(cfg, &st, len, row_q(&st, t), bout);
        for (size_t e = 0; e < qr; e++) {
            EXPECT(fabs(out[e] - bout[e]) <= 1e-5,
                          "step %u elem %zu: decode %.9g brute %.9g", t, e, (double)out[e], bout[e]);
            EXPECT(fabs(oref[e] - bout[e]) <= 1e-5, "ref step %u elem %zu", t, e);
        }
    }
    free(out);
    free(oref);
    free(obase);
    free(bout);
    cache_close(&c);
    stream_free(&st);
}

START_TEST(test_ring_vs_brute)
{
    const rv_attn_cfg cfg = aether();
    /* AETHER, ring of 64 tokens, 6 retained blocks, global 0 pinned. */
    ring_vs_brute(&cfg, (rv_kv_opts){ .capacity = 64, .kv_heads = 1, .dim = 16,
                                      .block_size = 16, .ring = true,
                                      .max_landmark_blocks = 6,
                                      .pinned = aether_globals, .n_pinned = 1 },
                  4, 400, 11);
    /* same, fp16 */
    ring_vs_brute(&cfg, (rv_kv_opts){ .capacity = 64, .kv_heads = 2, .dim = 8,
                                      .block_size = 16, .ring = true,
                                      .precision = RV_KV_F16,
                                      .pinned = aether_globals, .n_pinned = 1 },
                  4, 400, 12);
    /* ring smaller than the window, pinned tokens inside the window, several
     * globals (one never pinned), capacity not a multiple of the block */
    static const uint32_t g3[] = { 0, 50, 130 };
    static const uint32_t pins[] = { 130, 3, 50, 200, 210 };
    const rv_attn_cfg wide = { .window = 40, .block_size = 5, .globals = g3, .n_globals = 3,
                               .causal = true, .log_stride = true, .landmarks = true };
    ring_vs_brute(&wide, (rv_kv_opts){ .capacity = 23, .kv_heads = 1, .dim = 8,
                                       .block_size = 5, .ring = true,
                                       .max_landmark_blocks = 4,
                                       .pinned = pins, .n_pinned = 5 },
                  2, 300, 13);
}
END_TEST

/* Absolute positions are uint64: a stream that starts just below 2^32 (or far
 * beyond it) crosses the boundary without a change in results. */
START_TEST(test_ring_positions_past_u32)
{
    static const uint32_t g[] = { 4294967200u }; /* a global inside the run */
    const rv_attn_cfg cfg = { .window = 32, .block_size = 16, .globals = g, .n_globals = 1,
                              .causal = true, .log_stride = true, .landmarks = true };
    ring_vs_brute(&cfg, (rv_kv_opts){ .capacity = 96, .kv_heads = 1, .dim = 8,
                                      .block_size = 16, .ring = true,
                                      .max_landmark_blocks = 5, .pinned = g, .n_pinned = 1,
                                      .first_pos = 4294967296ull - 160u },
                  4, 300, 21);
    ring_vs_brute(&cfg, (rv_kv_opts){ .capacity = 50, .kv_heads = 1, .dim = 8,
                                      .block_size = 16, .ring = true,
                                      .first_pos = (1ull << 40) + 4096u },
                  2, 200, 22);
}
END_TEST

/* Endless stream in fixed memory: 100,000 appends and decodes. */
START_TEST(test_ring_100k_constant_memory)
{
    const rv_attn_cfg cfg = aether();
    const rv_kv_opts o = { .capacity = 512, .kv_heads = 1, .dim = 32, .block_size = 16,
                           .ring = true, .max_landmark_blocks = 64,
                           .pinned = aether_globals, .n_pinned = 1 };
    const size_t need = rv_kv_mem_size_ex(&o);
    const size_t ws_size = rv_attn_decode_workspace_size(&cfg, 4, 32);
    unsigned char *mem = canary_buf(need), *ws = canary_buf(ws_size);
    rv_kv *kv = rv_kv_init_ex(mem, need, &o);
    ck_assert_ptr_nonnull(kv);
    uint64_t s = 42;
    float k[32], v[32], q[128], out[128];
    for (uint32_t t = 0; t < 100000u; t++) {
        for (int d = 0; d < 32; d++) {
            k[d] = rng_f(&s);
            v[d] = rng_f(&s);
        }
        for (int d = 0; d < 128; d++)
            q[d] = rng_f(&s);
        EXPECT_EQ(rv_kv_append(kv, k, v), RV_OK);
        EXPECT_EQ(rv_attn_decode(&cfg, kv, 4, q, out, ws, ws_size), RV_OK);
        float mx = 0;
        for (int d = 0; d < 128; d++) {
            EXPECT(isfinite(out[d]), "step %u: output not finite", t);
            mx = fmaxf(mx, fabsf(out[d]));
        }
        /* a convex combination of values in [-1, 1] */
        EXPECT(mx <= 1.0f, "step %u: |out| %g > 1", t, (double)mx);
    }
    ck_assert(rv_kv_len(kv) == 100000u);
    ck_assert_uint_eq(rv_kv_stored(kv), 512);
    ck_assert_uint_eq(rv_kv_mem_size_ex(&o), need); /* size fixed at init */
    canary_check(mem, need);
    canary_check(ws, ws_size);
    free(mem);
    free(ws);
}
END_TEST

/* ------------------------------------------------- optimised vs reference */

START_TEST(test_opt_vs_ref_random)
{
    uint64_t s = 0x9e3779b97f4a7c15ull;
    static const uint32_t dims[] = { 1, 3, 8, 17, 32, 64 };
    for (int trial = 0; trial < 40; trial++) {
        uint32_t globals[4];
        rv_attn_cfg cfg = { .window = rng_u32(&s) % 50, .block_size = 1 + rng_u32(&s) % 20,
                            .globals = globals, .n_globals = rng_u32(&s) % 4,
                            .causal = rng_u32(&s) & 1, .log_stride = rng_u32(&s) & 1,
                            .landmarks = rng_u32(&s) & 1 };
        for (uint32_t g = 0; g < cfg.n_globals; g++)
            globals[g] = rng_u32(&s) % 150;
        const uint32_t kvh = 1 + rng_u32(&s) % 3, group = 1 + rng_u32(&s) % 4;
        rv_kv_opts o = { .capacity = 20 + rng_u32(&s) % 200, .kv_heads = kvh,
                         .dim = dims[rng_u32(&s) % 6], .block_size = cfg.block_size,
                         .precision = (rv_kv_precision)(rng_u32(&s) & 1),
                         .ring = rng_u32(&s) & 1 };
        const uint32_t steps = o.ring ? 250 : o.capacity;
        if (o.ring) {
            o.max_landmark_blocks = rng_u32(&s) % 8;
            o.pinned = globals;
            o.n_pinned = cfg.n_globals;
        }
        /* every step against the reference and the brute force */
        ring_vs_brute(&cfg, o, kvh * group, steps, rng_u32(&s));
    }
}
END_TEST

/* ------------------------------------------------------------------ fp16 */

static uint32_t bits_of(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float float_of(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static uint16_t from_opt(float f)
{
    uint16_t h;
    rv_f16_from_f32_opt(&f, &h, 1);
    return h;
}

START_TEST(test_f16_all_halves)
{
    static uint16_t hs[65536];
    static float fo[65536];
    for (uint32_t h = 0; h < 65536u; h++)
        hs[h] = (uint16_t)h;
    static float ff[65536];
    rv_f16_to_f32_opt(hs, fo, 65536u);
    rv_f16_to_f32_finite_opt(hs, ff, 65536u);
    for (uint32_t h = 0; h < 65536u; h++) {
        const float fr = rv_f16_to_f32_ref((uint16_t)h);
        EXPECT_EQ(bits_of(fo[h]), bits_of(fr)); /* bit-exact, NaNs too */
        if (((h >> 10) & 31u) != 31u) /* the cache's converter: finite halves */
            EXPECT_EQ(bits_of(ff[h]), bits_of(fr));
        const uint32_t e = (h >> 10) & 31u, m = h & 1023u;
        if (e == 31u) {
            EXPECT(m ? isnan(fr) : isinf(fr), "%s", "m ? isnan(fr) : isinf(fr)");
            EXPECT_EQ(bits_of(fr) >> 31, h >> 15);
            /* quietened, payload kept: back to the same half when quiet */
            EXPECT_EQ(rv_f16_from_f32_ref(fr), h | (m ? 0x200u : 0u));
            continue;
        }
        /* IEEE value from the fields */
        const double val = (e == 0 ? ldexp((double)m, -24) : ldexp(1024.0 + m, (int)e - 25)) *
                           ((h & 0x8000u) ? -1.0 : 1.0);
        EXPECT(fr == (float)val, "%s", "fr == (float)val");
        EXPECT_EQ(bits_of(fr) >> 31, h >> 15); /* -0 stays -0 */
        /* round trip is exact */
        EXPECT_EQ(rv_f16_from_f32_ref(fr), h);
        EXPECT_EQ(from_opt(fr), h);
        /* ties between neighbours go to the even one; just off the tie
         * rounds to the nearer one */
        if (e < 30u || (e == 30u && m < 1023u)) {
            const float up = rv_f16_to_f32_ref((uint16_t)(h + 1u));
            const float mid = (float)(((double)fr + (double)up) / 2);
            const uint16_t even = (h & 1u) ? (uint16_t)(h + 1u) : (uint16_t)h;
            EXPECT_EQ(rv_f16_from_f32_ref(mid), even);
            EXPECT_EQ(from_opt(mid), even);
            const float lo = nextafterf(mid, fr), hi = nextafterf(mid, up);
            EXPECT_EQ(rv_f16_from_f32_ref(lo), h);
            EXPECT_EQ(from_opt(lo), h);
            EXPECT_EQ(rv_f16_from_f32_ref(hi), h + 1u);
            EXPECT_EQ(from_opt(hi), h + 1u);
        }
    }
}
END_TEST

START_TEST(test_f16_floats)
{
    /* Known conversions (IEEE 754 binary16). */
    static const struct { float f; uint16_t h; } known[] = {
        { 1.0f, 0x3c00 }, { -2.0f, 0xc000 }, { 0.0f, 0x0000 }, { -0.0f, 0x8000 },
        { 65504.0f, 0x7bff }, { 65519.99f, 0x7bff }, { 65520.0f, 0x7c00 }, { 1e9f, 0x7c00 },
        { -1e9f, 0xfc00 }, { INFINITY, 0x7c00 }, { -INFINITY, 0xfc00 },
        { 0x1p-24f, 0x0001 }, { 0x1p-25f, 0x0000 }, { 0x1.8p-25f, 0x0001 },
        { 0x1p-14f, 0x0400 }, { 0x1.ffcp-15f, 0x0400 }, { 0x1.ff8p-15f, 0x03ff }, { 0x1p-149f, 0x0000 },
        { 0.333251953125f, 0x3555 }, { 1.0009765625f, 0x3c01 }, { 1.00048828125f, 0x3c00 },
        { 1.00146484375f, 0x3c02 },
    };
    for (size_t t = 0; t < sizeof known / sizeof known[0]; t++) {
        EXPECT_EQ(rv_f16_from_f32_ref(known[t].f), known[t].h);
        EXPECT_EQ(from_opt(known[t].f), known[t].h);
    }
    EXPECT_EQ(rv_f16_from_f32_ref(NAN) & 0x7e00u, 0x7e00u);
    /* A sweep over the whole float range (every 4093rd bit pattern, NaNs and
     * subnormals included), plus every float in the half-subnormal range
     * near its edges, opt against ref in arrays as the cache uses them. */
    enum { N = 4096 };
    static float f[N];
    static uint16_t ho[N];
    uint32_t n = 0;
    for (uint64_t u = 0; u <= 0xffffffffull; u += 4093u) {
        f[n++] = float_of((uint32_t)u);
        if (n == N || u + 4093u > 0xffffffffull) {
            rv_f16_from_f32_opt(f, ho, n);
            for (uint32_t t = 0; t < n; t++)
                EXPECT(ho[t] == rv_f16_from_f32_ref(f[t]), "float bits %08x",
                              bits_of(f[t]));
            n = 0;
        }
    }
    for (uint32_t base = 0x33000000u; base < 0x39000000u; base += 0x00400000u) {
        for (uint32_t u = base - 2048u; u < base + 2048u; u++) {
            f[n++] = float_of(u | ((u & 1u) << 31));
            if (n == N) {
                rv_f16_from_f32_opt(f, ho, n);
                for (uint32_t t = 0; t < n; t++)
                    EXPECT(ho[t] == rv_f16_from_f32_ref(f[t]), "float bits %08x",
                                  bits_of(f[t]));
                n = 0;
            }
        }
    }
}
END_TEST

static Suite *kv_suite(void)
{
    Suite *s = suite_create("kv");
    TCase *tc = tcase_create("decode");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_decode_vs_forward_mha);
    tcase_add_test(tc, test_decode_vs_forward_mqa);
    tcase_add_test(tc, test_decode_vs_forward_gqa);
    tcase_add_test(tc, test_decode_vs_forward_f16_mqa);
    tcase_add_test(tc, test_decode_vs_forward_f16_gqa);
    tcase_add_test(tc, test_opt_vs_ref_random);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("ring");
    tcase_set_timeout(tr, 300);
    tcase_add_test(tr, test_ring_identical_until_full);
    tcase_add_test(tr, test_ring_reset_replays);
    tcase_add_test(tr, test_ring_vs_brute);
    tcase_add_test(tr, test_ring_positions_past_u32);
    tcase_add_test(tr, test_ring_100k_constant_memory);
    suite_add_tcase(s, tr);
    TCase *te = tcase_create("errors");
    tcase_add_test(te, test_full_unchanged);
    tcase_add_test(te, test_not_finite_unchanged);
    tcase_add_test(te, test_init_sizes);
    tcase_add_test(te, test_bad_args);
    suite_add_tcase(s, te);
    TCase *tf = tcase_create("f16");
    tcase_add_test(tf, test_f16_all_halves);
    tcase_add_test(tf, test_f16_floats);
    suite_add_tcase(s, tf);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(kv_suite());
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
