/*
 * test_train_ema.c — weight averaging (ema.h, rvtrain --ema): decay 0 is the
 * plain weights, a decay averages as specified, the swap is exact, bad
 * decays are refused; rvt_train with averaging is deterministic, still
 * learns the synthetic task, and keeps other weights than without it.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "dataset.h"
#include "ema.h"
#include "train.h"

static void two_tensors(rvt_params *p)
{
    memset(p, 0, sizeof *p);
    ck_assert_int_ge(rvt_params_add(p, "a", 2, 3, RVT_INIT_XAVIER, true), 0);
    ck_assert_int_ge(rvt_params_add(p, "b", 1, 4, RVT_INIT_ZERO, false), 0);
    ck_assert(rvt_params_alloc(p));
}

static void set_w(rvt_params *p, double base)
{
    for (size_t k = 0; k < p->total; k++)
        p->w[k] = base + 0.1 * (double)k;
}

START_TEST(test_decay_zero_is_plain)
{
    rvt_params p;
    rvt_ema e;
    two_tensors(&p);
    set_w(&p, 1.0);
    ck_assert(rvt_ema_init(&e, &p, 0.0));
    for (int s = 0; s < 3; s++) {
        set_w(&p, -0.37 * (s + 1));
        rvt_ema_update(&e, &p);
        ck_assert(memcmp(e.w, p.w, p.total * sizeof(double)) == 0);
    }
    rvt_ema_free(&e);
    rvt_params_free(&p);
}
END_TEST

START_TEST(test_averages)
{
    rvt_params p;
    rvt_ema e;
    two_tensors(&p);
    set_w(&p, 2.0);                 /* the start: shadow = weights */
    ck_assert(rvt_ema_init(&e, &p, 0.75));
    for (size_t k = 0; k < p.total; k++)
        ck_assert(e.w[k] == p.w[k]);
    set_w(&p, 6.0);
    rvt_ema_update(&e, &p);         /* 0.75*2 + 0.25*6 = 3 */
    set_w(&p, -1.0);
    rvt_ema_update(&e, &p);         /* 0.75*3 + 0.25*-1 = 2 */
    for (size_t k = 0; k < p.total; k++)
        ck_assert_msg(fabs(e.w[k] - (2.0 + 0.1 * (double)k)) < 1e-12,
                      "shadow[%zu] = %.15g", k, e.w[k]);
    rvt_ema_free(&e);
    rvt_params_free(&p);
}
END_TEST

START_TEST(test_swap_and_refusals)
{
    rvt_params p;
    rvt_ema e;
    two_tensors(&p);
    set_w(&p, 1.0);
    ck_assert(!rvt_ema_init(&e, &p, 1.0));
    ck_assert(e.w == NULL);
    ck_assert(!rvt_ema_init(&e, &p, -0.1));
    ck_assert(!rvt_ema_init(&e, &p, NAN));
    ck_assert(rvt_ema_init(&e, &p, 0.5));
    set_w(&p, 5.0);
    rvt_ema_swap(&e, &p);           /* p reads the average of 1 and nothing yet */
    ck_assert(p.w[0] == 1.0 && e.w[0] == 5.0);
    rvt_ema_swap(&e, &p);
    ck_assert(p.w[0] == 5.0 && e.w[0] == 1.0);
    rvt_ema_free(&e);
    rvt_params_free(&p);
}
END_TEST

#define IN 6
#define CLS 4
#define SEQ 48

static void train_once(double ema, rvt_net *net, double *acc)
{
    rvt_dataset tr, va, ho;
    ck_assert(rvt_dataset_init(&tr, IN, SEQ));
    ck_assert(rvt_dataset_init(&ho, IN, SEQ));
    ck_assert(rvt_dataset_synthetic(&tr, 40, CLS, 0.25, 77, 1));
    ck_assert(rvt_dataset_synthetic(&ho, 10, CLS, 0.25, 77, 2));
    ck_assert(rvt_dataset_split(&tr, &va, 0.2, 5));
    rvt_net_cfg c;
    memset(&c, 0, sizeof c);
    c.arch = (rv_rvne_arch){ .input_dim = IN, .q_heads = 2, .kv_heads = 1,
        .head_dim = 8, .n_layers = 1, .d_model = 16, .d_ff = 32,
        .input_proj = true, .norm = true, .head_bias = true, .n_heads = 1 };
    c.arch.head_classes[0] = CLS;
    c.attn = (rv_rvne_attn){ .window = 8, .block_size = 8, .log_stride = true,
        .landmarks = true };
    c.rope_pairs = 2;
    rvt_net_default_periods(2, c.rope_periods);
    ck_assert(rvt_net_init(net, &c, 5, NULL, 0));
    rvt_train_cfg tc = rvt_train_defaults();
    tc.epochs = 40;
    tc.batch = 4;
    tc.adam.lr = 1e-2;
    tc.warmup_steps = 5;
    tc.patience = 0;
    tc.seed = 5;
    tc.ema_decay = ema;
    rvt_train_result res;
    ck_assert(rvt_train(net, &tr, &va, &tc, &res));
    *acc = rvt_evaluate(net, &ho, NULL, NULL);
    rvt_dataset_free(&tr);
    rvt_dataset_free(&va);
    rvt_dataset_free(&ho);
}

START_TEST(test_train_with_ema)
{
    rvt_net plain, a, b;
    double acc_plain, acc_a, acc_b;
    train_once(0.0, &plain, &acc_plain);
    train_once(0.9, &a, &acc_a);
    train_once(0.9, &b, &acc_b);
    ck_assert(memcmp(a.P.w, b.P.w, a.P.total * sizeof(double)) == 0);
    ck_assert(memcmp(a.P.w, plain.P.w, a.P.total * sizeof(double)) != 0);
    ck_assert_msg(acc_a == 1.0, "held-out accuracy with averaging %.4f", acc_a);
    rvt_net_free(&plain);
    rvt_net_free(&a);
    rvt_net_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("train_ema");
    TCase *tc = tcase_create("ema");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_decay_zero_is_plain);
    tcase_add_test(tc, test_averages);
    tcase_add_test(tc, test_swap_and_refusals);
    tcase_add_test(tc, test_train_with_ema);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
