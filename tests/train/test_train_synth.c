/*
 * test_train_synth.c — end-to-end training on a tiny separable synthetic
 * task (must reach 100% on a held-out sample within seconds), determinism
 * (same seed, same weight bytes; another seed, other weights), weight
 * averaging (--ema), metrics.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "metrics.h"
#include "train.h"
#include "check_main.h"

#define IN 6
#define CLS 4
#define SEQ 48

static void tiny_cfg(rvt_net_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->arch = (rv_rvne_arch){ .input_dim = IN, .q_heads = 2, .kv_heads = 1,
        .head_dim = 8, .n_layers = 1, .d_model = 16, .d_ff = 32,
        .input_proj = true, .norm = true, .head_bias = true, .n_heads = 1 };
    c->arch.head_classes[0] = CLS;
    c->attn = (rv_rvne_attn){ .window = 8, .block_size = 8, .n_globals = 0,
        .log_stride = true, .landmarks = true };
    c->rope_pairs = 2;
    rvt_net_default_periods(2, c->rope_periods);
}

static void train_once(uint64_t seed, double ema, rvt_net *net, rvt_train_result *res,
                       double *heldout_acc, rvt_confusion *cm)
{
    rvt_dataset tr, va, ho;
    ck_assert(rvt_dataset_init(&tr, IN, SEQ));
    ck_assert(rvt_dataset_init(&ho, IN, SEQ));
    ck_assert(rvt_dataset_synthetic(&tr, 40, CLS, 0.25, 77, 1));
    ck_assert(rvt_dataset_synthetic(&ho, 10, CLS, 0.25, 77, 2));
    ck_assert(rvt_dataset_split(&tr, &va, 0.2, seed));
    ck_assert_uint_gt(va.n_seq, 0);
    ck_assert_uint_eq(tr.n_seq + va.n_seq, 40);
    rvt_net_cfg cfg;
    tiny_cfg(&cfg);
    ck_assert(rvt_net_init(net, &cfg, seed, NULL, 0));
    rvt_train_cfg tc = rvt_train_defaults();
    tc.epochs = 40;
    tc.batch = 4;
    tc.adam.lr = 1e-2;
    tc.warmup_steps = 5;
    tc.patience = 0;
    tc.seed = seed;
    tc.ema_decay = ema;
    ck_assert(rvt_train(net, &tr, &va, &tc, res));
    *heldout_acc = rvt_evaluate(net, &ho, cm, NULL);
    rvt_dataset_free(&tr);
    rvt_dataset_free(&va);
    rvt_dataset_free(&ho);
}

START_TEST(test_synthetic_reaches_100)
{
    rvt_net net;
    rvt_train_result res;
    rvt_confusion cm;
    double acc;
    train_once(5, 0.0, &net, &res, &acc, &cm);
    ck_assert_msg(acc == 1.0, "held-out accuracy %.4f after %u epochs", acc, res.epochs_run);
    ck_assert(res.seconds < 30.0);
    for (uint32_t c = 0; c < CLS; c++) {
        ck_assert(rvt_confusion_recall(&cm, c) == 1.0);
        ck_assert(rvt_confusion_precision(&cm, c) == 1.0);
    }
    rvt_net_free(&net);
}
END_TEST

START_TEST(test_deterministic)
{
    rvt_net a, b, c;
    rvt_train_result ra, rb, rc;
    double acc;
    rvt_confusion cm;
    train_once(9, 0.0, &a, &ra, &acc, &cm);
    train_once(9, 0.0, &b, &rb, &acc, &cm);
    train_once(10, 0.0, &c, &rc, &acc, &cm);
    ck_assert_uint_eq(a.P.total, b.P.total);
    ck_assert(memcmp(a.P.w, b.P.w, a.P.total * sizeof(double)) == 0);
    ck_assert(memcmp(a.P.w, c.P.w, a.P.total * sizeof(double)) != 0);
    ck_assert_uint_eq(ra.epochs_run, rb.epochs_run);
    rvt_net_free(&a);
    rvt_net_free(&b);
    rvt_net_free(&c);
}
END_TEST

/* Weight averaging (--ema): deterministic, still learns the task, and keeps
 * other weights than the same run without it. */
START_TEST(test_ema_run)
{
    rvt_net plain, a, b;
    rvt_train_result r;
    double acc;
    rvt_confusion cm;
    train_once(5, 0.0, &plain, &r, &acc, &cm);
    train_once(5, 0.9, &a, &r, &acc, &cm);
    ck_assert_msg(acc == 1.0, "held-out accuracy with averaging %.4f", acc);
    train_once(5, 0.9, &b, &r, &acc, &cm);
    ck_assert(memcmp(a.P.w, b.P.w, a.P.total * sizeof(double)) == 0);
    ck_assert(memcmp(a.P.w, plain.P.w, a.P.total * sizeof(double)) != 0);
    rvt_net_free(&plain);
    rvt_net_free(&a);
    rvt_net_free(&b);
}
END_TEST

START_TEST(test_confusion_metrics)
{
    rvt_confusion cm;
    rvt_confusion_reset(&cm, 3);
    rvt_confusion_add(&cm, 0, 0);
    rvt_confusion_add(&cm, 0, 1);
    rvt_confusion_add(&cm, 1, 1);
    rvt_confusion_add(&cm, 1, 1);
    rvt_confusion_add(&cm, 7, 1); /* out of range: ignored */
    ck_assert_uint_eq(rvt_confusion_total(&cm), 4);
    ck_assert(fabs(rvt_confusion_accuracy(&cm) - 0.75) < 1e-12);
    ck_assert(fabs(rvt_confusion_recall(&cm, 0) - 0.5) < 1e-12);
    ck_assert(fabs(rvt_confusion_precision(&cm, 1) - 2.0 / 3.0) < 1e-12);
    ck_assert(isnan(rvt_confusion_recall(&cm, 2)));
    ck_assert(isnan(rvt_confusion_precision(&cm, 2)));
    char buf[4096];
    FILE *f = tmpfile();
    ck_assert(f != NULL);
    static const char *const names[] = { "empty", "walking", "fall" };
    rvt_confusion_print(&cm, names, f);
    rewind(f);
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    buf[got] = 0;
    fclose(f);
    ck_assert(strstr(buf, "walking") != NULL);
    ck_assert(strstr(buf, "accuracy 0.7500") != NULL);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("train_synth");
    TCase *tc = tcase_create("train");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_synthetic_reaches_100);
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_ema_run);
    tcase_add_test(tc, test_confusion_metrics);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
