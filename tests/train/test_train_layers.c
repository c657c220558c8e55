/*
 * test_train_layers.c — finite-difference gradient checks of every trainer
 * layer: linear, RMSNorm, LayerNorm, activations, cross-entropy, and the
 * sparse attention w.r.t. q, k and v over several candidate configurations.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attn.h"
#include "gradcheck.h"
#include "layers.h"
#include "loss.h"
#include "rng.h"
#include "check_main.h"

static double *rnd(rvt_rng *r, size_t n, double scale)
{
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = scale * (2.0 * rvt_rng_uniform(r) - 1.0);
    return x;
}

static double dotn(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* ---- linear ---- */
typedef struct { double *x, *W, *b, *R, *y; uint32_t n, in, out; } lin_ctx;

static double lin_loss(void *c)
{
    lin_ctx *l = c;
    rvt_linear_fwd(l->x, l->n, l->in, l->W, l->b, l->out, l->y);
    return dotn(l->y, l->R, (size_t)l->n * l->out);
}

START_TEST(test_linear_grad)
{
    rvt_rng r;
    rvt_rng_seed(&r, 1);
    lin_ctx l = { 0 };
    l.n = 5; l.in = 7; l.out = 4;
    l.x = rnd(&r, 35, 1); l.W = rnd(&r, 28, 1); l.b = rnd(&r, 4, 1);
    l.R = rnd(&r, 20, 1); l.y = calloc(20, sizeof(double));
    double *dx = calloc(35, sizeof(double)), *dW = calloc(28, sizeof(double)),
           *db = calloc(4, sizeof(double));
    rvt_linear_bwd(l.x, l.R, l.n, l.in, l.W, l.out, dx, dW, db);
    ck_assert_int_eq(gc_check("lin.x", l.x, dx, 35, lin_loss, &l, 1000), 0);
    ck_assert_int_eq(gc_check("lin.W", l.W, dW, 28, lin_loss, &l, 1000), 0);
    ck_assert_int_eq(gc_check("lin.b", l.b, db, 4, lin_loss, &l, 1000), 0);
    free(l.x); free(l.W); free(l.b); free(l.R); free(l.y);
    free(dx); free(dW); free(db);
}
END_TEST

/* ---- norms ---- */
typedef struct { double *x, *g, *bias, *R, *y, *mean, *rstd; uint32_t n, d; bool layer; } norm_ctx;

static double norm_loss(void *c)
{
    norm_ctx *t = c;
    if (t->layer)
        rvt_layernorm_fwd(t->x, t->n, t->d, t->g, t->bias, 1e-5, t->y, t->mean, t->rstd);
    else
        rvt_rmsnorm_fwd(t->x, t->n, t->d, t->g, 1e-5, t->y, t->rstd);
    return dotn(t->y, t->R, (size_t)t->n * t->d);
}

static void norm_case(bool layer)
{
    rvt_rng r;
    rvt_rng_seed(&r, layer ? 2 : 3);
    norm_ctx t = { 0 };
    t.n = 4; t.d = 9; t.layer = layer;
    t.x = rnd(&r, 36, 2); t.g = rnd(&r, 9, 1.5); t.bias = rnd(&r, 9, 1);
    t.R = rnd(&r, 36, 1); t.y = calloc(36, sizeof(double));
    t.mean = calloc(4, sizeof(double)); t.rstd = calloc(4, sizeof(double));
    double *dx = calloc(36, sizeof(double)), *dg = calloc(9, sizeof(double)),
           *dbias = calloc(9, sizeof(double));
    norm_loss(&t);
    if (layer)
        rvt_layernorm_bwd(t.x, t.R, t.n, t.d, t.g, t.mean, t.rstd, dx, dg, dbias);
    else
        rvt_rmsnorm_bwd(t.x, t.R, t.n, t.d, t.g, t.rstd, dx, dg);
    ck_assert_int_eq(gc_check("norm.x", t.x, dx, 36, norm_loss, &t, 1000), 0);
    ck_assert_int_eq(gc_check("norm.g", t.g, dg, 9, norm_loss, &t, 1000), 0);
    if (layer)
        ck_assert_int_eq(gc_check("norm.b", t.bias, dbias, 9, norm_loss, &t, 1000), 0);
    free(t.x); free(t.g); free(t.bias); free(t.R); free(t.y); free(t.mean);
    free(t.rstd); free(dx); free(dg); free(dbias);
}

START_TEST(test_rmsnorm_grad) { norm_case(false); }
END_TEST
START_TEST(test_layernorm_grad) { norm_case(true); }
END_TEST

/* ---- activations ---- */
typedef struct { double *x, *R, *y; rvt_act a; } act_ctx;

static double act_loss(void *c)
{
    act_ctx *t = c;
    rvt_act_fwd(t->a, t->x, 40, t->y);
    return dotn(t->y, t->R, 40);
}

START_TEST(test_act_grad)
{
    rvt_rng r;
    rvt_rng_seed(&r, 4);
    act_ctx t = { rnd(&r, 40, 3), rnd(&r, 40, 1), calloc(40, sizeof(double)),
                  (rvt_act)_i };
    /* Keep ReLU inputs away from the kink. */
    for (int i = 0; i < 40; i++)
        if (fabs(t.x[i]) < 1e-3)
            t.x[i] = 0.5;
    double *dx = calloc(40, sizeof(double));
    rvt_act_bwd(t.a, t.x, t.R, 40, dx);
    ck_assert_int_eq(gc_check("act", t.x, dx, 40, act_loss, &t, 1000), 0);
    free(t.x); free(t.R); free(t.y); free(dx);
}
END_TEST

/* ---- cross-entropy ---- */
typedef struct { double *x; int32_t lab[6]; double cw[4]; } xent_ctx;

static double xent_loss(void *c)
{
    xent_ctx *t = c;
    double ws;
    return rvt_xent(t->x, t->lab, 6, 4, t->cw, 0.0, NULL, &ws) / ws;
}

START_TEST(test_xent_grad)
{
    rvt_rng r;
    rvt_rng_seed(&r, 5);
    xent_ctx t = { rnd(&r, 24, 3), { 0, 3, -1, 2, 1, 3 }, { 1, 2, 0.5, 3 } };
    double d[24], ws;
    double l = rvt_xent(t.x, t.lab, 6, 4, t.cw, 0.0, d, &ws);
    ck_assert(l > 0.0);
    ck_assert(fabs(ws - (1 + 3 + 0.5 + 2 + 3)) < 1e-12);
    for (int j = 0; j < 4; j++)
        ck_assert(d[2 * 4 + j] == 0.0); /* ignored row */
    ck_assert_int_eq(gc_check("xent", t.x, d, 24, xent_loss, &t, 1000), 0);
    free(t.x);
}
END_TEST

/* ---- sparse attention ---- */
typedef struct {
    rvt_attn_plan plan;
    rvt_attn_buf buf;
    double *q, *k, *v, *R, *out, *probs;
    uint32_t n, H, G, D;
} attn_ctx;

static double attn_loss(void *c)
{
    attn_ctx *t = c;
    rvt_attn_fwd(&t->plan, &t->buf, t->q, t->k, t->v, t->out, t->probs);
    return dotn(t->out, t->R, (size_t)t->n * t->H * t->D);
}

static void attn_case(const rv_attn_cfg *cfg, uint32_t n, uint32_t H,
                      uint32_t G, uint32_t D, uint64_t seed)
{
    rvt_rng r;
    rvt_rng_seed(&r, seed);
    attn_ctx t;
    memset(&t, 0, sizeof t);
    t.n = n; t.H = H; t.G = G; t.D = D;
    ck_assert(rvt_attn_plan_build(&t.plan, cfg, n));
    ck_assert(rvt_attn_buf_alloc(&t.buf, &t.plan, H, G, D));
    size_t nq = (size_t)n * H * D, nk = (size_t)n * G * D;
    t.q = rnd(&r, nq, 1.5); t.k = rnd(&r, nk, 1.5); t.v = rnd(&r, nk, 1);
    t.R = rnd(&r, nq, 1); t.out = calloc(nq, sizeof(double));
    t.probs = calloc(rvt_attn_probs_len(&t.plan, H), sizeof(double));
    attn_loss(&t);
    /* Probabilities of each query/head sum to one. */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t cnt = t.plan.off[i + 1] - t.plan.off[i];
        for (uint32_t h = 0; h < H; h++) {
            double s = 0;
            for (uint32_t c = 0; c < cnt; c++)
                s += t.probs[t.plan.off[i] * H + h * cnt + c];
            ck_assert(fabs(s - 1.0) < 1e-12);
        }
    }
    double *dq = calloc(nq, sizeof(double)), *dk = calloc(nk, sizeof(double)),
           *dv = calloc(nk, sizeof(double));
    rvt_attn_bwd(&t.plan, &t.buf, t.q, t.k, t.v, t.probs, t.R, dq, dk, dv);
    ck_assert_int_eq(gc_check("attn.q", t.q, dq, nq, attn_loss, &t, 400), 0);
    ck_assert_int_eq(gc_check("attn.k", t.k, dk, nk, attn_loss, &t, 400), 0);
    ck_assert_int_eq(gc_check("attn.v", t.v, dv, nk, attn_loss, &t, 400), 0);
    free(t.q); free(t.k); free(t.v); free(t.R); free(t.out); free(t.probs);
    free(dq); free(dk); free(dv);
    rvt_attn_buf_free(&t.buf);
    rvt_attn_plan_free(&t.plan);
}

START_TEST(test_attn_grad_causal_aether)
{
    static const uint32_t glob[] = { 0 };
    rv_attn_cfg cfg = { 4, 4, glob, 1, true, true, true };
    attn_case(&cfg, 37, 4, 1, 6, 10);   /* MQA */
    attn_case(&cfg, 37, 4, 2, 5, 11);   /* GQA */
    attn_case(&cfg, 19, 2, 2, 4, 12);   /* MHA */
}
END_TEST

START_TEST(test_attn_grad_noncausal)
{
    static const uint32_t glob[] = { 0, 9 };
    rv_attn_cfg cfg = { 3, 5, glob, 2, false, true, true };
    attn_case(&cfg, 23, 2, 1, 4, 13);
    rv_attn_cfg plain = { 2, 3, NULL, 0, false, false, true };
    attn_case(&plain, 11, 2, 2, 3, 14);
}
END_TEST

START_TEST(test_attn_grad_window_only)
{
    rv_attn_cfg cfg = { 5, 8, NULL, 0, true, false, false };
    attn_case(&cfg, 17, 2, 1, 4, 15);
}
END_TEST

/* Landmark candidates exist in the plan and reference block means. */
START_TEST(test_attn_plan_landmarks)
{
    rv_attn_cfg cfg = { 2, 4, NULL, 0, true, true, true };
    rvt_attn_plan p;
    ck_assert(rvt_attn_plan_build(&p, &cfg, 40));
    uint32_t blocks = 0;
    for (size_t o = p.off[39]; o < p.off[40]; o++)
        blocks += p.is_block[o];
    ck_assert_uint_gt(blocks, 0);
    /* The window of query 39 is 37..39, first in order. */
    ck_assert_uint_eq(p.idx[p.off[39]], 37);
    ck_assert(!p.is_block[p.off[39]]);
    rvt_attn_plan_free(&p);
    rv_attn_cfg bad = { 2, 0, NULL, 0, true, true, true };
    ck_assert(!rvt_attn_plan_build(&p, &bad, 10));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("train_layers");
    TCase *tc = tcase_create("grad");
    tcase_add_test(tc, test_linear_grad);
    tcase_add_test(tc, test_rmsnorm_grad);
    tcase_add_test(tc, test_layernorm_grad);
    tcase_add_loop_test(tc, test_act_grad, 0, 4);
    tcase_add_test(tc, test_xent_grad);
    tcase_add_test(tc, test_attn_grad_causal_aether);
    tcase_add_test(tc, test_attn_grad_noncausal);
    tcase_add_test(tc, test_attn_grad_window_only);
    tcase_add_test(tc, test_attn_plan_landmarks);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
