/*
 * test_train_kernel.c — the trainer's forward against the kernel's:
 * training-time sparse attention vs rv_attn_forward (same candidate sets by
 * construction), on random inputs over several configurations.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attn.h"
#include "export.h"
#include "net.h"
#include "rng.h"
#include "rv_attn.h"
#include "rv_model.h"
#include "check_main.h"

static void attn_vs_kernel(const rv_attn_cfg *cfg, uint32_t n, uint32_t H,
                           uint32_t G, uint32_t D, uint64_t seed)
{
    rvt_rng r;
    rvt_rng_seed(&r, seed);
    const size_t nq = (size_t)n * H * D, nk = (size_t)n * G * D;
    float *qf = malloc(nq * 4), *kf = malloc(nk * 4), *vf = malloc(nk * 4),
          *of = malloc(nq * 4);
    double *q = malloc(nq * 8), *k = malloc(nk * 8), *v = malloc(nk * 8),
           *o = malloc(nq * 8);
    for (size_t i = 0; i < nq; i++)
        q[i] = qf[i] = (float)(2.0 * rvt_rng_uniform(&r) - 1.0);
    for (size_t i = 0; i < nk; i++) {
        k[i] = kf[i] = (float)(2.0 * rvt_rng_uniform(&r) - 1.0);
        v[i] = vf[i] = (float)(2.0 * rvt_rng_uniform(&r) - 1.0);
    }
    rv_shape sh = { n, H, G, D };
    size_t wsz = rv_attn_workspace_size(cfg, sh);
    void *ws = malloc(wsz);
    ck_assert_int_eq(rv_attn_forward(cfg, sh, qf, kf, vf, of, ws, wsz), RV_OK);

    rvt_attn_plan p;
    rvt_attn_buf b;
    ck_assert(rvt_attn_plan_build(&p, cfg, n));
    ck_assert(rvt_attn_buf_alloc(&b, &p, H, G, D));
    double *probs = malloc(rvt_attn_probs_len(&p, H) * 8);
    rvt_attn_fwd(&p, &b, q, k, v, o, probs);
    ck_assert_uint_eq(p.total, rv_attn_count_edges(cfg, n));
    double worst = 0.0;
    for (size_t i = 0; i < nq; i++)
        worst = fmax(worst, fabs(o[i] - (double)of[i]));
    ck_assert_msg(worst < 1e-5, "max |train - kernel| = %g", worst);
    free(qf); free(kf); free(vf); free(of); free(q); free(k); free(v); free(o);
    free(ws); free(probs);
    rvt_attn_buf_free(&b);
    rvt_attn_plan_free(&p);
}

START_TEST(test_attn_matches_kernel)
{
    static const uint32_t g0[] = { 0 }, g2[] = { 0, 7, 40 };
    rv_attn_cfg aether = { 32, 16, g0, 1, true, true, true };
    attn_vs_kernel(&aether, 300, 4, 1, 16, 1);
    attn_vs_kernel(&aether, 37, 4, 4, 32, 2);
    rv_attn_cfg small = { 3, 4, g2, 3, true, true, true };
    attn_vs_kernel(&small, 97, 4, 2, 8, 3);
    rv_attn_cfg nc = { 5, 6, g2, 3, false, true, true };
    attn_vs_kernel(&nc, 61, 2, 1, 8, 4);
    rv_attn_cfg wo = { 8, 16, NULL, 0, true, false, false };
    attn_vs_kernel(&wo, 50, 2, 1, 8, 5);
    rv_attn_cfg lm = { 8, 8, NULL, 0, true, false, true };
    attn_vs_kernel(&lm, 70, 2, 2, 4, 6);
}
END_TEST

/* Random network -> .rvne -> kernel model; prefill must equal the
 * trainer's forward (embeddings and logits) on the same float weights. */
static void model_vs_kernel(const rvt_net_cfg *cfg, uint32_t n, uint64_t seed)
{
    rvt_net net;
    char err[200];
    ck_assert_msg(rvt_net_init(&net, cfg, seed, err, sizeof err), "%s", err);
    rvt_rng r;
    rvt_rng_seed(&r, seed + 7);
    for (size_t i = 0; i < net.P.total; i++)
        net.P.w[i] = (double)(float)(net.P.w[i] + 0.2 * (2.0 * rvt_rng_uniform(&r) - 1.0));
    static const char *const labels[] = { "a", "b", "c", "d", "e" };
    rvt_export_info info = { .head_name = "activity", .labels = labels, .seed = seed,
                             .accuracy = 0.5f, .dataset = "test",
                             .input_kind = RV_RVNE_INPUT_CSI_RAW, .input_layout = 7 };
    size_t len = 0;
    uint8_t *blob = rvt_export_blob(&net, &info, &len, err, sizeof err);
    ck_assert_msg(blob != NULL, "%s", err);
    rv_rvne_info bi;
    ck_assert_int_eq(rv_rvne_parse(blob, len, &bi), RV_OK);
    ck_assert_uint_eq(bi.n_weights, net.P.total);
    ck_assert_uint_eq(bi.input_kind, RV_RVNE_INPUT_CSI_RAW);   /* INPT round trip */
    ck_assert_uint_eq(bi.input_layout, 7);
    size_t msz = rv_model_mem_size(&bi);
    void *mm = malloc(msz);
    rv_status st;
    rv_model *m = rv_model_init(mm, msz, &bi, &st);
    ck_assert_msg(m != NULL, "rv_model_init: %s", rv_status_str(st));
    const uint32_t Din = cfg->arch.input_dim, D = cfg->arch.d_model,
                   C = cfg->arch.head_classes[0];
    float *x = malloc(sizeof(float) * n * Din), *emb = malloc(sizeof(float) * n * D);
    for (uint32_t i = 0; i < n * Din; i++)
        x[i] = (float)(2.0 * rvt_rng_normal(&r));
    size_t wsz = rv_model_prefill_workspace_size(m, n);
    void *ws = malloc(wsz);
    ck_assert_int_eq(rv_model_prefill(m, x, n, emb, ws, wsz), RV_OK);

    rvt_net_ws tw;
    ck_assert(rvt_net_ws_alloc(&tw, &net, n));
    ck_assert(rvt_net_forward(&net, &tw, x, n));
    double we = 0.0, wl = 0.0;
    float lg[8];
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t d = 0; d < D; d++)
            we = fmax(we, fabs(tw.e[(size_t)i * D + d] - (double)emb[(size_t)i * D + d]));
        ck_assert_int_eq(rv_model_head_logits(m, 0, emb + (size_t)i * D, lg), RV_OK);
        for (uint32_t c = 0; c < C; c++)
            wl = fmax(wl, fabs(tw.logits[(size_t)i * C + c] - (double)lg[c]));
    }
    ck_assert_msg(we < 1e-5, "embedding max diff %g", we);
    ck_assert_msg(wl < 1e-5, "logit max diff %g", wl);
    rvt_net_ws_free(&tw);
    rvt_net_free(&net);
    free(blob); free(mm); free(x); free(emb); free(ws);
}

START_TEST(test_model_matches_kernel_prefill)
{
    rvt_net_cfg c;
    memset(&c, 0, sizeof c);
    c.arch = (rv_rvne_arch){ .input_dim = 7, .q_heads = 4, .kv_heads = 1,
        .head_dim = 8, .n_layers = 2, .d_model = 12, .d_ff = 20,
        .input_proj = true, .norm = true, .head_bias = true, .n_heads = 1 };
    c.arch.head_classes[0] = 5;
    c.attn = (rv_rvne_attn){ .window = 6, .block_size = 4, .n_globals = 2,
        .globals = { 0, 9 }, .log_stride = true, .landmarks = true };
    c.rope_pairs = 3;
    rvt_net_default_periods(3, c.rope_periods);
    c.has_feat_norm = true;
    for (uint32_t i = 0; i < 7; i++) {
        c.feat_mean[i] = 0.3f * (float)i - 1.0f;
        c.feat_inv_std[i] = 0.5f + 0.25f * (float)i;
    }
    model_vs_kernel(&c, 150, 1);
    /* GQA, one layer, no feed-forward, no positions, window only. */
    c.arch.q_heads = 4; c.arch.kv_heads = 2; c.arch.n_layers = 1; c.arch.d_ff = 0;
    c.rope_pairs = 0;
    c.attn = (rv_rvne_attn){ .window = 16, .block_size = 8, .n_globals = 0,
        .log_stride = false, .landmarks = false };
    model_vs_kernel(&c, 60, 2);
    /* The default CSI shape. */
    memset(&c, 0, sizeof c);
    c.arch = (rv_rvne_arch){ .input_dim = 32, .q_heads = 4, .kv_heads = 1,
        .head_dim = 16, .n_layers = 2, .d_model = 32, .d_ff = 64,
        .input_proj = true, .norm = true, .head_bias = true, .n_heads = 1 };
    c.arch.head_classes[0] = 5;
    c.attn = (rv_rvne_attn){ .window = 32, .block_size = 16, .n_globals = 0,
        .log_stride = true, .landmarks = true };
    c.rope_pairs = 4;
    rvt_net_default_periods(4, c.rope_periods);
    model_vs_kernel(&c, 300, 3);
}
END_TEST

START_TEST(test_default_periods_match_kernel)
{
    for (uint32_t n = 1; n <= 16; n++) {
        uint32_t a[16], b[16];
        rvt_net_default_periods(n, a);
        ck_assert_int_eq(rv_model_rope_default_periods(n, b), RV_OK);
        for (uint32_t i = 0; i < n; i++)
            ck_assert_uint_eq(a[i], b[i]);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("train_kernel");
    TCase *tc = tcase_create("match");
    tcase_add_test(tc, test_attn_matches_kernel);
    tcase_add_test(tc, test_model_matches_kernel_prefill);
    tcase_add_test(tc, test_default_periods_match_kernel);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
