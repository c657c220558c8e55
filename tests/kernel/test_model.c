/* test_model.c — temporal-head model: streaming vs prefill, ring cache
 * bounds, memory/workspace checks, heads, rotary positions, reference math. */
#include "model_util.h"
#include "rv_model_int.h"

#define NSEQ 500u

/* A deterministic random v2 model with every feature switched on:
 * input projection, 3 layers, GQA (4 q / 2 kv heads), norms, FFN, rotary
 * positions, feature normalisation, two heads, custom attention. */
static void make_v2(mu_model *mm, uint64_t seed, bool fp16)
{
    static const char *const l0[] = { "empty", "walk", "sit", "fall" };
    static const char *const l1[] = { "none", "present" };
    rv_rvne_head_spec heads[2] = { { "activity", l0 }, { "presence", l1 } };
    rv_rvne_attn attn = { 16, 8, 2, { 0, 5 }, true, true };
    uint32_t periods[4];
    float mean[12], inv[12];
    mu_rng r = { seed };
    for (int i = 0; i < 12; i++) {
        mean[i] = mu_unif(&r, 0.3f);
        inv[i] = 1.0f + mu_unif(&r, 0.5f);
    }
    ck_assert_int_eq(rv_model_rope_default_periods(4, periods), RV_OK);
    rv_rvne_spec s;
    memset(&s, 0, sizeof s);
    s.version = RV_RVNE_VERSION;
    s.fp16 = fp16;
    s.arch.input_dim = 12;
    s.arch.q_heads = 4;
    s.arch.kv_heads = 2;
    s.arch.head_dim = 8;
    s.arch.n_layers = 3;
    s.arch.d_model = 24;
    s.arch.d_ff = 32;
    s.arch.input_proj = true;
    s.arch.norm = true;
    s.arch.head_bias = true;
    s.arch.n_heads = 2;
    s.arch.head_classes[0] = 4;
    s.arch.head_classes[1] = 2;
    s.attn = &attn;
    s.feat_mean = mean;
    s.feat_inv_std = inv;
    s.rope_pairs = 4;
    s.rope_periods = periods;
    s.heads = heads;
    s.has_prov = true;
    s.prov_seed = seed;
    s.prov_accuracy = 0.5f;
    s.prov_trainer = "test_model";
    s.prov_dataset = "random";
    size_t len;
    uint8_t *b = mu_write(&s, &r, 1.0f, &len, NULL);
    mu_model_load(mm, b, len);
}

/* The seeds' v1 shape with random weights (no norm: magnitudes grow, so
 * keep weights moderate). */
static void make_v1(mu_model *mm, uint64_t seed)
{
    rv_rvne_spec s;
    memset(&s, 0, sizeof s);
    s.version = RV_RVNE_VERSION_1;
    s.arch = mu_v1_arch();
    mu_rng r = { seed };
    size_t len;
    uint8_t *b = mu_write(&s, &r, 0.8f, &len, NULL);
    ck_assert_uint_eq(len, 41244u);
    mu_model_load(mm, b, len);
}

static float *random_frames(uint32_t n, uint32_t din, uint64_t seed)
{
    mu_rng r = { seed };
    float *x = malloc(sizeof(float) * n * din);
    for (size_t i = 0; i < (size_t)n * din; i++)
        x[i] = mu_unif(&r, 1.0f);
    return x;
}

static rv_model_stream *new_stream(const rv_model *m, uint32_t cap, bool ring,
                                   rv_kv_precision prec, void **mem)
{
    rv_model_stream_opts o = { cap, prec, ring, 0 };
    size_t n = rv_model_stream_mem_size(m, &o);
    ck_assert_uint_gt(n, 0);
    *mem = malloc(n);
    rv_status st;
    rv_model_stream *s = rv_model_stream_init(*mem, n, m, &o, &st);
    ck_assert_msg(s != NULL, "stream init: %s", rv_status_str(st));
    return s;
}

static void check_stream_equals_prefill(mu_model *mm, uint32_t cap, bool ring)
{
    const rv_model *m = mm->m;
    uint32_t din = rv_model_input_dim(m), d = rv_model_d_model(m);
    float *x = random_frames(NSEQ, din, 99);
    float *ep = malloc(sizeof(float) * NSEQ * d), *es = malloc(sizeof(float) * NSEQ * d);
    mu_prefill(m, x, NSEQ, ep);
    void *smem;
    rv_model_stream *s = new_stream(m, cap, ring, RV_KV_F32, &smem);
    mu_stream_all(m, s, x, NSEQ, es);
    ck_assert_uint_eq(rv_model_stream_pos(s), NSEQ);
    float worst = 0.0f;
    for (uint32_t i = 0; i < NSEQ; i++) {
        float dd = mu_max_abs_diff(ep + (size_t)i * d, es + (size_t)i * d, d);
        ck_assert_msg(dd <= 1e-4f, "frame %u differs by %g", i, (double)dd);
        if (dd > worst)
            worst = dd;
    }
    /* reset gives the same stream again */
    rv_model_stream_reset(s);
    ck_assert_uint_eq(rv_model_stream_pos(s), 0);
    float *es2 = malloc(sizeof(float) * NSEQ * d);
    mu_stream_all(m, s, x, NSEQ, es2);
    ck_assert_float_eq(mu_max_abs_diff(es, es2, (size_t)NSEQ * d), 0.0f);
    free(es2);
    free(smem);
    free(x);
    free(ep);
    free(es);
}

START_TEST(stream_equals_prefill_v2)
{
    mu_model mm;
    make_v2(&mm, 1234, false);
    check_stream_equals_prefill(&mm, NSEQ, false);   /* plain cache */
    check_stream_equals_prefill(&mm, NSEQ, true);    /* full-size ring */
    mu_model_free(&mm);
}
END_TEST

START_TEST(stream_equals_prefill_v1)
{
    mu_model mm;
    make_v1(&mm, 77);
    check_stream_equals_prefill(&mm, NSEQ, false);
    check_stream_equals_prefill(&mm, NSEQ, true);
    mu_model_free(&mm);
}
END_TEST

START_TEST(stream_equals_prefill_fp16_weights)
{
    mu_model mm;
    make_v2(&mm, 4321, true);
    check_stream_equals_prefill(&mm, NSEQ, false);
    mu_model_free(&mm);
}
END_TEST

/* ---- independent double-precision evaluation of docs/model.md ---- */

typedef struct {
    const rv_rvne_info *in;
    uint64_t off;          /* next tensor, walking the documented order */
} walker;

static uint64_t take_t(walker *w, uint64_t n)
{
    uint64_t o = w->off;
    w->off += n;
    return o;
}

static double W(const walker *w, uint64_t i)
{
    return rv_rvne_weight(w->in, i);
}

static void rms(const double *x, const walker *w, uint64_t g, int n, double *y)
{
    double ss = 0;
    for (int i = 0; i < n; i++)
        ss += x[i] * x[i];
    double r = 1.0 / sqrt(ss / n + 1e-5);
    for (int i = 0; i < n; i++)
        y[i] = W(w, g + (uint64_t)i) * x[i] * r;
}

static void mv(const walker *w, uint64_t o, int rows, int cols, const double *x, double *y)
{
    for (int r = 0; r < rows; r++) {
        double s = 0;
        for (int c = 0; c < cols; c++)
            s += W(w, o + (uint64_t)(r * cols + c)) * x[c];
        y[r] = s;
    }
}

/* The make_v2 model (din 12, D 24, Hq 4, Hkv 2, d 8, L 3, F 32, 4 rope
 * pairs) over n <= 7 frames: every candidate set is all earlier frames
 * (window 16, no complete block of 8), so attention is dense causal. */
static void naive_v2(const rv_rvne_info *in, const float *x, int n, double *emb,
                     double *logits0)
{
    enum { DIN = 12, D = 24, HQ = 4, HKV = 2, HD = 8, L = 3, F = 32, NP = 4 };
    walker w = { in, 0 };
    uint32_t P[NP];
    rv_model_rope_default_periods(NP, P);
    double h[7][D], u[D];
    uint64_t win = take_t(&w, D * DIN), bin = take_t(&w, D);
    for (int i = 0; i < n; i++) {
        double xh[DIN];
        for (int j = 0; j < DIN; j++) {
            const uint8_t *fp = in->feat_norm;
            float mean, inv;
            memcpy(&mean, fp + 4 * j, 4);
            memcpy(&inv, fp + 4 * (DIN + j), 4);
            xh[j] = ((double)x[i * DIN + j] - mean) * inv;
        }
        mv(&w, win, D, DIN, xh, h[i]);
        for (int j = 0; j < D; j++)
            h[i][j] += W(&w, bin + (uint64_t)j);
    }
    for (int l = 0; l < L; l++) {
        uint64_t ga = take_t(&w, D), oq = take_t(&w, HQ * HD * D), ok = take_t(&w, HKV * HD * D),
                 ov = take_t(&w, HKV * HD * D), oo = take_t(&w, D * HQ * HD);
        uint64_t gf = take_t(&w, D), o1 = take_t(&w, F * D), b1 = take_t(&w, F),
                 o2 = take_t(&w, D * F), b2 = take_t(&w, D);
        double q[7][HQ * HD], k[7][HKV * HD], v[7][HKV * HD];
        for (int i = 0; i < n; i++) {
            rms(h[i], &w, ga, D, u);
            mv(&w, oq, HQ * HD, D, u, q[i]);
            mv(&w, ok, HKV * HD, D, u, k[i]);
            mv(&w, ov, HKV * HD, D, u, v[i]);
            for (int r = 0; r < NP; r++) {
                double th = 6.283185307179586 * (double)(i % (int)P[r]) / P[r];
                double c = cos(th), sn = sin(th);
                for (int t = 0; t < HQ; t++) {
                    double *e = q[i] + t * HD;
                    double a = e[2 * r], b = e[2 * r + 1];
                    e[2 * r] = a * c - b * sn;
                    e[2 * r + 1] = a * sn + b * c;
                }
                for (int t = 0; t < HKV; t++) {
                    double *e = k[i] + t * HD;
                    double a = e[2 * r], b = e[2 * r + 1];
                    e[2 * r] = a * c - b * sn;
                    e[2 * r + 1] = a * sn + b * c;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            double a[HQ * HD], y[D];
            for (int t = 0; t < HQ; t++) {
                int kvh = t / (HQ / HKV);
                double sc[7], mx = -1e300, z = 0;
                for (int j = 0; j <= i; j++) {
                    sc[j] = 0;
                    for (int dd = 0; dd < HD; dd++)
                        sc[j] += q[i][t * HD + dd] * k[j][kvh * HD + dd];
                    sc[j] /= sqrt((double)HD);
                    mx = sc[j] > mx ? sc[j] : mx;
                }
                for (int j = 0; j <= i; j++)
                    z += (sc[j] = exp(sc[j] - mx));
                for (int dd = 0; dd < HD; dd++) {
                    a[t * HD + dd] = 0;
                    for (int j = 0; j <= i; j++)
                        a[t * HD + dd] += sc[j] / z * v[j][kvh * HD + dd];
                }
            }
            mv(&w, oo, D, HQ * HD, a, y);
            for (int j = 0; j < D; j++)
                h[i][j] += y[j];
            double zz[F];
            rms(h[i], &w, gf, D, u);
            mv(&w, o1, F, D, u, zz);
            for (int j = 0; j < F; j++) {
                double t = zz[j] + W(&w, b1 + (uint64_t)j);
                zz[j] = t / (1.0 + exp(-t));
            }
            mv(&w, o2, D, F, zz, y);
            for (int j = 0; j < D; j++)
                h[i][j] += y[j] + W(&w, b2 + (uint64_t)j);
        }
    }
    uint64_t gfin = take_t(&w, D), hw = take_t(&w, 4 * D), hb = take_t(&w, 4);
    take_t(&w, 2 * D);
    take_t(&w, 2);
    ck_assert_uint_eq(w.off, in->n_weights);   /* the documented order covers the file */
    for (int i = 0; i < n; i++)
        rms(h[i], &w, gfin, D, emb + i * D);
    mv(&w, hw, 4, D, emb + (n - 1) * D, logits0);
    for (int c = 0; c < 4; c++)
        logits0[c] += W(&w, hb + (uint64_t)c);
}

START_TEST(v2_matches_documented_math)
{
    mu_model mm;
    make_v2(&mm, 555, false);
    const int n = 7;
    float *x = random_frames(n, 12, 6);
    float ep[7 * 24], es[7 * 24], lg[4];
    double ref[7 * 24], rl[4];
    mu_prefill(mm.m, x, n, ep);
    void *smem;
    rv_model_stream *s = new_stream(mm.m, 32, true, RV_KV_F32, &smem);
    mu_stream_all(mm.m, s, x, n, es);
    naive_v2(&mm.info, x, n, ref, rl);
    for (int i = 0; i < n * 24; i++) {
        ck_assert_msg(fabs(ep[i] - ref[i]) <= 1e-4 * (1.0 + fabs(ref[i])),
                      "prefill %d: %g vs %g", i, (double)ep[i], ref[i]);
        ck_assert(fabs(es[i] - ref[i]) <= 1e-4 * (1.0 + fabs(ref[i])));
    }
    ck_assert_int_eq(rv_model_head_logits(mm.m, 0, es + 6 * 24, lg), RV_OK);
    for (int c = 0; c < 4; c++)
        ck_assert(fabs(lg[c] - rl[c]) <= 1e-4 * (1.0 + fabs(rl[c])));
    free(smem);
    free(x);
    mu_model_free(&mm);
}
END_TEST

static float inf_norm(const rv_mmat *w)
{
    float best = 0.0f;
    for (uint32_t o = 0; o < w->rows; o++) {
        float s = 0.0f;
        for (uint32_t i = 0; i < w->cols; i++)
            s += fabsf(w->f[(size_t)o * w->cols + i]);
        if (s > best)
            best = s;
    }
    return best;
}

/* Ring smaller than the stream, v1-shaped model: equal while nothing is
 * evicted, afterwards within the documented convex-hull bound. */
START_TEST(ring_bounded_v1)
{
    mu_model mm;
    make_v1(&mm, 5);
    const rv_model *m = mm.m;
    ck_assert_ptr_nonnull(m->layers[0].wv.f);   /* malloc'd blob: in place */
    const uint32_t n = 2000, cap = 128, din = 16, d = 16;
    float *x = random_frames(n, din, 8);
    float *ep = malloc(sizeof(float) * n * d), *es = malloc(sizeof(float) * n * d);
    mu_prefill(m, x, n, ep);
    void *smem;
    rv_model_stream *s = new_stream(m, cap, true, RV_KV_F32, &smem);
    mu_stream_all(m, s, x, n, es);

    double M = 1.0, bound = 0.0;       /* |x| <= 1, no feature norm */
    for (uint32_t l = 0; l < m->nl; l++) {
        double vmax = inf_norm(&m->layers[l].wv) * M;
        double wo = inf_norm(&m->layers[l].wo);
        bound += 2.0 * wo * vmax;
        M += wo * vmax;
    }
    float worst_in = 0.0f, worst_out = 0.0f;
    for (uint32_t i = 0; i < n; i++) {
        float dd = mu_max_abs_diff(ep + (size_t)i * d, es + (size_t)i * d, d);
        if (i < cap) {
            ck_assert_msg(dd <= 1e-4f, "frame %u inside capacity differs by %g", i, (double)dd);
            if (dd > worst_in)
                worst_in = dd;
        } else {
            ck_assert_msg((double)dd <= bound, "frame %u: %g above bound %g", i,
                          (double)dd, bound);
            if (dd > worst_out)
                worst_out = dd;
        }
    }
    printf("ring v1: cap %u, inside %.3g, after %.3g, bound %.3g\n", cap,
           (double)worst_in, (double)worst_out, bound);
    free(smem);
    free(x);
    free(ep);
    free(es);
    mu_model_free(&mm);
}
END_TEST

/* Ring smaller than the stream, normed v2 model: equal inside capacity,
 * afterwards bounded by |e_i| <= |g_final_i| sqrt(D) for both. */
START_TEST(ring_bounded_v2)
{
    mu_model mm;
    make_v2(&mm, 99, false);
    const rv_model *m = mm.m;
    const uint32_t n = NSEQ, cap = 64, din = 12, d = 24;
    float *x = random_frames(n, din, 3);
    float *ep = malloc(sizeof(float) * n * d), *es = malloc(sizeof(float) * n * d);
    mu_prefill(m, x, n, ep);
    void *smem;
    rv_model_stream *s = new_stream(m, cap, true, RV_KV_F32, &smem);
    size_t before = rv_model_stream_mem_size(m, &(rv_model_stream_opts){ cap, RV_KV_F32, true, 0 });
    mu_stream_all(m, s, x, n, es);
    float worst = 0.0f;
    for (uint32_t i = 0; i < n; i++) {
        const float *a = ep + (size_t)i * d, *b = es + (size_t)i * d;
        float dd = mu_max_abs_diff(a, b, d);
        if (i < cap)
            ck_assert_msg(dd <= 1e-4f, "frame %u inside capacity differs by %g", i, (double)dd);
        for (uint32_t k = 0; k < d; k++) {
            float lim = fabsf(m->g_final[k]) * sqrtf((float)d) * 1.0001f;
            ck_assert(fabsf(b[k]) <= lim);
            ck_assert(fabsf(a[k] - b[k]) <= 2.0f * lim);
        }
        if (i >= cap && dd > worst)
            worst = dd;
    }
    printf("ring v2: cap %u, max diff after capacity %.3g\n", cap, (double)worst);
    ck_assert_uint_eq(rv_model_stream_mem_size(m, &(rv_model_stream_opts){ cap, RV_KV_F32, true, 0 }), before);
    free(smem);
    free(x);
    free(ep);
    free(es);
    mu_model_free(&mm);
}
END_TEST

START_TEST(fp16_cache_close)
{
    mu_model mm;
    make_v2(&mm, 11, false);
    const rv_model *m = mm.m;
    const uint32_t n = 200, d = 24;
    float *x = random_frames(n, 12, 4);
    float *ep = malloc(sizeof(float) * n * d), *es = malloc(sizeof(float) * n * d);
    mu_prefill(m, x, n, ep);
    void *smem;
    rv_model_stream *s = new_stream(m, n, false, RV_KV_F16, &smem);
    mu_stream_all(m, s, x, n, es);
    float dd = mu_max_abs_diff(ep, es, (size_t)n * d);
    printf("fp16 KV cache vs prefill: %.3g\n", (double)dd);
    ck_assert(dd <= 2e-2f);
    free(smem);
    free(x);
    free(ep);
    free(es);
    mu_model_free(&mm);
}
END_TEST

START_TEST(full_cache_and_bad_input)
{
    mu_model mm;
    make_v2(&mm, 7, false);
    const rv_model *m = mm.m;
    float *x = random_frames(12, 12, 5);
    float e1[24], e2[24];
    void *smem;
    rv_model_stream *s = new_stream(m, 10, false, RV_KV_F32, &smem);
    size_t wsz = rv_model_step_workspace_size(m);
    void *ws = malloc(wsz);
    for (uint32_t i = 0; i < 3; i++)
        ck_assert_int_eq(rv_model_step(m, s, x + 12 * i, e1, ws, wsz), RV_OK);
    float bad[12];
    memcpy(bad, x + 36, sizeof bad);
    bad[5] = NAN;
    ck_assert_int_eq(rv_model_step(m, s, bad, e1, ws, wsz), RV_ERR_NOT_FINITE);
    bad[5] = INFINITY;
    ck_assert_int_eq(rv_model_step(m, s, bad, e1, ws, wsz), RV_ERR_NOT_FINITE);
    ck_assert_uint_eq(rv_model_stream_pos(s), 3);
    /* the rejected frames left no trace: frame 3 equals prefill's frame 3 */
    ck_assert_int_eq(rv_model_step(m, s, x + 36, e1, ws, wsz), RV_OK);
    float ep[4 * 24];
    mu_prefill(m, x, 4, ep);
    ck_assert(mu_max_abs_diff(ep + 3 * 24, e1, 24) <= 1e-4f);
    for (uint32_t i = 4; i < 10; i++)
        ck_assert_int_eq(rv_model_step(m, s, x + 12 * i, e1, ws, wsz), RV_OK);
    ck_assert_int_eq(rv_model_step(m, s, x + 120, e2, ws, wsz), RV_ERR_FULL);
    ck_assert_uint_eq(rv_model_stream_pos(s), 10);
    ck_assert_int_eq(rv_model_step(m, s, x, e2, ws, wsz - 1), RV_ERR_WORKSPACE);
    ck_assert_int_eq(rv_model_step(m, s, NULL, e2, ws, wsz), RV_ERR_NULL);
    rv_model_stream_reset(s);
    ck_assert_int_eq(rv_model_step(m, s, x, e2, ws, wsz), RV_OK);
    ck_assert(mu_max_abs_diff(ep, e2, 24) <= 1e-4f);

    /* a stream of another model */
    mu_model other;
    make_v2(&other, 8, false);
    ck_assert_int_eq(rv_model_step(other.m, s, x, e2, ws, wsz), RV_ERR_MISMATCH);
    mu_model_free(&other);
    free(ws);
    free(smem);
    free(x);
    mu_model_free(&mm);
}
END_TEST

START_TEST(memory_exact_sizes)
{
    mu_model mm;
    make_v2(&mm, 3, false);
    size_t ms = rv_model_mem_size(&mm.info);
    rv_status st = RV_OK;
    uint8_t *mem = malloc(ms);
    ck_assert_ptr_null(rv_model_init(mem, ms - 1, &mm.info, &st));
    ck_assert_int_eq(st, RV_ERR_MEM);
    ck_assert_ptr_null(rv_model_init(NULL, ms, &mm.info, &st));
    ck_assert_int_eq(st, RV_ERR_NULL);
    /* misaligned caller memory works (size includes the slack) */
    uint8_t *mem2 = malloc(ms + 1);
    ck_assert_ptr_nonnull(rv_model_init(mem2 + 1, ms, &mm.info, &st));
    free(mem2);
    free(mem);

    rv_model_stream_opts o = { 100, RV_KV_F32, true, 0 };
    size_t ss = rv_model_stream_mem_size(mm.m, &o);
    uint8_t *smem = malloc(ss);
    ck_assert_ptr_null(rv_model_stream_init(smem, ss - 1, mm.m, &o, &st));
    ck_assert_int_eq(st, RV_ERR_MEM);
    ck_assert_ptr_nonnull(rv_model_stream_init(smem, ss, mm.m, &o, &st));
    rv_model_stream_opts bad = { 0, RV_KV_F32, true, 0 };
    ck_assert_uint_eq(rv_model_stream_mem_size(mm.m, &bad), 0);
    ck_assert_ptr_null(rv_model_stream_init(smem, ss, mm.m, &bad, &st));
    ck_assert_int_eq(st, RV_ERR_ARG);
    free(smem);

    /* fp16 cache halves the KV part */
    rv_model_stream_opts h = { 100, RV_KV_F16, true, 0 };
    ck_assert_uint_lt(rv_model_stream_mem_size(mm.m, &h), ss);

    size_t pw = rv_model_prefill_workspace_size(mm.m, 10);
    void *ws = malloc(pw);
    float x[10 * 12] = {0}, e[10 * 24];
    ck_assert_int_eq(rv_model_prefill(mm.m, x, 10, e, ws, pw - 1), RV_ERR_WORKSPACE);
    ck_assert_int_eq(rv_model_prefill(mm.m, x, 10, e, ws, pw), RV_OK);
    ck_assert_int_eq(rv_model_prefill(mm.m, x, 0, e, ws, pw), RV_ERR_ARG);
    x[7] = NAN;
    ck_assert_int_eq(rv_model_prefill(mm.m, x, 10, e, ws, pw), RV_ERR_NOT_FINITE);
    free(ws);
    mu_model_free(&mm);
}
END_TEST

START_TEST(heads_and_labels)
{
    mu_model mm;
    make_v2(&mm, 21, false);
    const rv_model *m = mm.m;
    ck_assert_uint_eq(rv_model_n_heads(m), 2);
    ck_assert_uint_eq(rv_model_n_classes(m, 0), 4);
    ck_assert_uint_eq(rv_model_n_classes(m, 1), 2);
    ck_assert_uint_eq(rv_model_n_classes(m, 2), 0);
    size_t len;
    const char *s = rv_model_head_name(m, 1, &len);
    ck_assert(len == 8 && memcmp(s, "presence", 8) == 0);
    s = rv_model_label(m, 0, 3, &len);
    ck_assert(len == 4 && memcmp(s, "fall", 4) == 0);
    ck_assert_ptr_null(rv_model_label(m, 0, 4, &len));
    ck_assert_int_eq(rv_model_find_head(m, "presence", 8), 1);
    ck_assert_int_eq(rv_model_find_head(m, "nope", 4), -1);
    const rv_attn_cfg *c = rv_model_attn_cfg(m);
    ck_assert_uint_eq(c->window, 16);
    ck_assert_uint_eq(c->n_globals, 2);
    ck_assert_uint_eq(c->globals[1], 5);

    /* logits = W e + b, checked against the weights read from the blob */
    float e[24], lg[4];
    mu_rng r = { 5 };
    for (int i = 0; i < 24; i++)
        e[i] = mu_unif(&r, 1.0f);
    ck_assert_int_eq(rv_model_head_logits(m, 0, e, lg), RV_OK);
    rv_rvne_tensor t;
    uint32_t nt = rv_rvne_tensor_count(&mm.info.arch);
    ck_assert_int_eq(rv_rvne_tensor_at(&mm.info.arch, nt - 4, &t), RV_OK);
    ck_assert_int_eq(t.kind, RV_RVNE_T_HEAD_W);
    ck_assert_uint_eq(t.index, 0);
    for (uint32_t cl = 0; cl < 4; cl++) {
        double sum = rv_rvne_weight(&mm.info, t.offset + 4u * 24u + cl); /* bias follows W */
        for (uint32_t i = 0; i < 24; i++)
            sum += (double)rv_rvne_weight(&mm.info, t.offset + cl * 24u + i) * e[i];
        ck_assert(fabs(sum - lg[cl]) <= 1e-5);
    }
    ck_assert_int_eq(rv_model_head_logits(m, 2, e, lg), RV_ERR_ARG);
    mu_model_free(&mm);
}
END_TEST

START_TEST(v1_default_labels)
{
    mu_model mm;
    make_v1(&mm, 1);
    size_t len;
    const char *s = rv_model_head_name(mm.m, 0, &len);
    ck_assert(len == 7 && memcmp(s, "default", 7) == 0);
    s = rv_model_label(mm.m, 0, 2, &len);
    ck_assert(len == 6 && memcmp(s, "class2", 6) == 0);
    const rv_attn_cfg *c = rv_model_attn_cfg(mm.m);
    ck_assert(c->window == 32 && c->block_size == 16 && c->n_globals == 1 &&
              c->globals[0] == 0 && c->log_stride && c->landmarks && c->causal);
    mu_model_free(&mm);
}
END_TEST

START_TEST(matvec_ref_vs_opt)
{
    mu_rng r = { 42 };
    for (uint32_t cols = 1; cols <= 37; cols += 3) {
        uint32_t rows = 5;
        float W[5 * 37], x[37], y1[5], y2[5], y3[5];
        uint8_t b[5 * 37 * 4];
        for (uint32_t i = 0; i < rows * cols; i++) {
            W[i] = mu_unif(&r, 1.0f);
            uint32_t u;
            memcpy(&u, &W[i], 4);
            for (int k = 0; k < 4; k++)
                b[4 * i + (uint32_t)k] = (uint8_t)(u >> (8 * k));
        }
        for (uint32_t i = 0; i < cols; i++)
            x[i] = mu_unif(&r, 1.0f);
        rv_model_matvec_ref(W, rows, cols, x, y1);
        rv_model_matvec_f32(W, rows, cols, x, y2);
        rv_model_matvec_bytes(b, false, rows, cols, x, y3);
        for (uint32_t o = 0; o < rows; o++) {
            ck_assert(fabsf(y1[o] - y2[o]) <= 1e-5f * (1.0f + fabsf(y1[o])));
            ck_assert(y2[o] == y3[o]);   /* same lane order: bit-identical */
        }
    }
}
END_TEST

START_TEST(own_sincos_and_silu_accuracy)
{
    /* the kernel's integer-reduced sin/cos against libm in double */
    static const uint32_t Ps[] = { 2, 3, 4, 7, 40, 406, 4096, 65537, 16777216 };
    float worst = 0.0f;
    for (size_t k = 0; k < sizeof Ps / sizeof Ps[0]; k++) {
        uint32_t P = Ps[k];
        for (uint64_t pos = 0; pos < 5000; pos += (P > 5000 ? 7 : 1)) {
            uint64_t p = pos * (P > 5000 ? 3331u : 1u);
            float cs[2];
            rv_model_rope_cs(&P, 1, p, cs);
            double th = 6.283185307179586 * (double)(p % P) / (double)P;
            float dc = (float)fabs(cs[0] - cos(th)), ds = (float)fabs(cs[1] - sin(th));
            if (dc > worst) worst = dc;
            if (ds > worst) worst = ds;
        }
    }
    printf("rope sin/cos max error %.3g\n", (double)worst);
    ck_assert(worst <= 3e-7f);
    /* exact values at the quadrant points */
    uint32_t P4 = 4;
    float cs[2];
    rv_model_rope_cs(&P4, 1, 1, cs);
    ck_assert(cs[0] == 0.0f && cs[1] == 1.0f);
    rv_model_rope_cs(&P4, 1, 2, cs);
    ck_assert(cs[0] == -1.0f && cs[1] == 0.0f);
    for (float t = -100.0f; t <= 100.0f; t += 0.37f) {
        double ref = t / (1.0 + exp(-(double)t));
        ck_assert_msg(fabs(rv_model_silu(t) - ref) <= 1e-6 * (1.0 + fabs(ref)), "silu(%g)", (double)t);
    }
    ck_assert(rv_model_silu(0.0f) == 0.0f);
    ck_assert(rv_model_silu(-1000.0f) == 0.0f || fabsf(rv_model_silu(-1000.0f)) < 1e-30f);
    ck_assert(rv_model_silu(1000.0f) == 1000.0f);
}
END_TEST

START_TEST(h2f_matches_reference)
{
    /* every finite half, including subnormals and signed zeros */
    for (uint32_t h = 0; h < 65536u; h++) {
        if ((h & 0x7C00u) == 0x7C00u)
            continue;
        float a = rv_model_h2f((uint16_t)h), b = rv_rvne_f16_to_f32((uint16_t)h);
        ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "half 0x%04x", h);
    }
}
END_TEST

START_TEST(rope_relative_and_periodic)
{
    uint32_t P[4];
    ck_assert_int_eq(rv_model_rope_default_periods(4, P), RV_OK);
    ck_assert_uint_eq(P[0], 4);
    ck_assert_uint_eq(P[3], 4096);
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(P[i], (uint32_t)llround(4.0 * pow(1024.0, i / 3.0)));
    ck_assert_int_eq(rv_model_rope_default_periods(0, P), RV_ERR_ARG);
    uint32_t one;
    ck_assert_int_eq(rv_model_rope_default_periods(1, &one), RV_OK);
    ck_assert_uint_eq(one, 4);

    mu_rng r = { 9 };
    float q[8], k[8];
    for (int i = 0; i < 8; i++) {
        q[i] = mu_unif(&r, 1.0f);
        k[i] = mu_unif(&r, 1.0f);
    }
    const uint64_t shifts[3] = { 0, 1000003u, 1099511627776ull + 12345u };
    float ref = 0.0f;
    for (int si = 0; si < 3; si++) {
        float cs[8], qq[8], kk[8];
        memcpy(qq, q, sizeof q);
        memcpy(kk, k, sizeof k);
        rv_model_rope_cs(P, 4, 37 + shifts[si], cs);
        rv_model_rope_apply(qq, 1, 8, 4, cs);
        rv_model_rope_cs(P, 4, 30 + shifts[si], cs);
        rv_model_rope_apply(kk, 1, 8, 4, cs);
        float dot = 0.0f;
        for (int i = 0; i < 8; i++)
            dot += qq[i] * kk[i];
        if (si == 0)
            ref = dot;
        ck_assert_msg(fabsf(dot - ref) <= 1e-5f, "shift %d: %g vs %g", si,
                      (double)dot, (double)ref);
    }
    /* a whole period later the rotation is bit-identical */
    float a[8], b[8];
    rv_model_rope_cs(P, 4, 5, a);
    rv_model_rope_cs(P, 4, 5 + 4ull * 40 * 406 * 4096 * 1000, b);
    ck_assert(memcmp(a, b, sizeof a) == 0);
}
END_TEST

static Suite *model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, v2_matches_documented_math);
    tcase_add_test(tc, stream_equals_prefill_v2);
    tcase_add_test(tc, stream_equals_prefill_v1);
    tcase_add_test(tc, stream_equals_prefill_fp16_weights);
    tcase_add_test(tc, ring_bounded_v1);
    tcase_add_test(tc, ring_bounded_v2);
    tcase_add_test(tc, fp16_cache_close);
    tcase_add_test(tc, full_cache_and_bad_input);
    tcase_add_test(tc, memory_exact_sizes);
    tcase_add_test(tc, heads_and_labels);
    tcase_add_test(tc, v1_default_labels);
    tcase_add_test(tc, matvec_ref_vs_opt);
    tcase_add_test(tc, own_sincos_and_silu_accuracy);
    tcase_add_test(tc, h2f_matches_reference);
    tcase_add_test(tc, rope_relative_and_periodic);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(model_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
