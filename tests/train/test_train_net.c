/*
 * test_train_net.c — finite-difference gradient check of every parameter
 * tensor of the trainable temporal-head network (with and without norms,
 * input projection, feed-forward and rotary positions).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gradcheck.h"
#include "loss.h"
#include "net.h"
#include "check_main.h"

typedef struct {
    rvt_net net;
    rvt_net_ws ws;
    float *x;
    int32_t *y;
    uint32_t n;
} net_ctx;

static double net_loss(void *c)
{
    net_ctx *t = c;
    ck_assert(rvt_net_forward(&t->net, &t->ws, t->x, t->n));
    double ws;
    return rvt_xent(t->ws.logits, t->y, t->n, t->net.cfg.arch.head_classes[0],
                    NULL, 0.0, NULL, &ws) / ws;
}

static void small_cfg(rvt_net_cfg *c, bool full)
{
    memset(c, 0, sizeof *c);
    c->arch.input_dim = 5;
    c->arch.q_heads = 4;
    c->arch.kv_heads = 2;
    c->arch.head_dim = 4;
    c->arch.n_layers = 2;
    c->arch.d_model = full ? 8 : 5;
    c->arch.d_ff = full ? 12 : 0;
    c->arch.input_proj = full;
    c->arch.norm = full;
    c->arch.head_bias = full;
    c->arch.n_heads = 1;
    c->arch.head_classes[0] = 3;
    c->attn.window = 3;
    c->attn.block_size = 4;
    c->attn.n_globals = 1;
    c->attn.globals[0] = 0;
    c->attn.log_stride = true;
    c->attn.landmarks = true;
    c->rope_pairs = full ? 2 : 0;
    rvt_net_default_periods(c->rope_pairs, c->rope_periods);
    c->has_feat_norm = full;
    for (uint32_t i = 0; i < 5; i++) {
        c->feat_mean[i] = 0.1f * (float)i;
        c->feat_inv_std[i] = 1.0f + 0.2f * (float)i;
    }
}

static void check_all(bool full, uint64_t seed)
{
    net_ctx t;
    memset(&t, 0, sizeof t);
    rvt_net_cfg cfg;
    small_cfg(&cfg, full);
    char err[128];
    ck_assert_msg(rvt_net_init(&t.net, &cfg, seed, err, sizeof err), "%s", err);
    /* Perturb gains/biases away from 1/0 so their gradients are generic. */
    rvt_rng r;
    rvt_rng_seed(&r, seed + 100);
    for (size_t i = 0; i < t.net.P.total; i++)
        t.net.P.w[i] += 0.3 * (2.0 * rvt_rng_uniform(&r) - 1.0);
    t.n = 21;
    ck_assert(rvt_net_ws_alloc(&t.ws, &t.net, t.n));
    t.x = malloc(sizeof(float) * t.n * 5);
    t.y = malloc(sizeof(int32_t) * t.n);
    for (uint32_t i = 0; i < t.n * 5; i++)
        t.x[i] = (float)(2.0 * rvt_rng_uniform(&r) - 1.0);
    for (uint32_t i = 0; i < t.n; i++)
        t.y[i] = i < 2 ? -1 : (int32_t)rvt_rng_below(&r, 3);

    net_loss(&t);
    double *dl = calloc((size_t)t.n * 3, sizeof(double)), wsum;
    rvt_xent(t.ws.logits, t.y, t.n, 3, NULL, 0.0, dl, &wsum);
    rvt_params_zero_grad(&t.net.P);
    rvt_net_backward(&t.net, &t.ws, dl);

    int bad = 0;
    for (uint32_t i = 0; i < t.net.P.n; i++) {
        const rvt_tensor *tt = &t.net.P.t[i];
        size_t cnt = (size_t)tt->rows * tt->cols;
        /* The gradient must not be identically zero (tensor is used). */
        double mx = 0.0;
        for (size_t k = 0; k < cnt; k++)
            mx = fmax(mx, fabs(t.net.P.g[tt->off + k]));
        ck_assert_msg(mx > 0.0, "tensor %s has zero gradient", tt->name);
        bad += gc_check(tt->name, t.net.P.w + tt->off, t.net.P.g + tt->off, cnt,
                        net_loss, &t, 200);
    }
    ck_assert_int_eq(bad, 0);
    free(dl);
    free(t.x);
    free(t.y);
    rvt_net_ws_free(&t.ws);
    rvt_net_free(&t.net);
}

START_TEST(test_net_grad_full)
{
    check_all(true, 21);
}
END_TEST

START_TEST(test_net_grad_v1_shape)
{
    check_all(false, 22);
}
END_TEST

START_TEST(test_net_tensor_order)
{
    rvt_net_cfg cfg;
    small_cfg(&cfg, true);
    rvt_net net;
    ck_assert(rvt_net_init(&net, &cfg, 1, NULL, 0));
    /* File order of rv_rvne.h: W_in, b_in, then per layer. */
    ck_assert_str_eq(net.P.t[0].name, "W_in");
    ck_assert_str_eq(net.P.t[1].name, "b_in");
    ck_assert_str_eq(net.P.t[2].name, "g_attn[0]");
    ck_assert_str_eq(net.P.t[net.P.n - 1].name, "b_head");
    ck_assert_str_eq(net.P.t[net.P.n - 3].name, "g_final");
    rvt_net_free(&net);
    cfg.arch.kv_heads = 3;
    char err[64];
    ck_assert(!rvt_net_init(&net, &cfg, 1, err, sizeof err));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("train_net");
    TCase *tc = tcase_create("grad");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_net_grad_full);
    tcase_add_test(tc, test_net_grad_v1_shape);
    tcase_add_test(tc, test_net_tensor_order);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
