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
#include "rng.h"
#include "rv_attn.h"

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

static Suite *suite(void)
{
    Suite *s = suite_create("train_kernel");
    TCase *tc = tcase_create("match");
    tcase_add_test(tc, test_attn_matches_kernel);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
