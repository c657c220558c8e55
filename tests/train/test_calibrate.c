/*
 * test_calibrate.c — the recall floor (calibrate.h): the offset it picks
 * gives the promised recall and accuracy when the network is run again
 * (rvt_evaluate), it is the smallest such offset, a floor already met
 * changes nothing, and a model without head bias is refused.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "calibrate.h"
#include "dataset.h"
#include "metrics.h"
#include "train.h"
#include "check_main.h"

#define IN 6
#define CLS 4
#define SEQ 48

/* An untrained network on the synthetic task: its recalls are far from 1,
 * which is what calibration has to fix. */
static void setup(rvt_net *net, rvt_dataset *ds, bool head_bias)
{
    rvt_net_cfg c;
    memset(&c, 0, sizeof c);
    c.arch = (rv_rvne_arch){ .input_dim = IN, .q_heads = 2, .kv_heads = 1,
        .head_dim = 8, .n_layers = 1, .d_model = 16, .d_ff = 32,
        .input_proj = true, .norm = true, .head_bias = head_bias, .n_heads = 1 };
    c.arch.head_classes[0] = CLS;
    c.attn = (rv_rvne_attn){ .window = 8, .block_size = 8, .log_stride = true,
        .landmarks = true };
    ck_assert(rvt_net_init(net, &c, 5, NULL, 0));
    ck_assert(rvt_dataset_init(ds, IN, SEQ));
    ck_assert(rvt_dataset_synthetic(ds, 12, CLS, 0.25, 9, 1));
}

static double recall_of(const rvt_net *net, const rvt_dataset *ds,
                        uint32_t cls, double *acc)
{
    rvt_confusion cm;
    *acc = rvt_evaluate(net, ds, &cm, NULL);
    return rvt_confusion_recall(&cm, cls);
}

START_TEST(test_floor_reached_and_measured)
{
    rvt_net net;
    rvt_dataset ds;
    rvt_calibration cal;
    double acc0, acc1, r0, r1;
    uint32_t cls = 1;

    setup(&net, &ds, true);
    r0 = recall_of(&net, &ds, cls, &acc0);
    ck_assert_double_lt(r0, 0.9);
    ck_assert(rvt_calibrate_recall(&net, &ds, cls, 0.9, &cal));
    ck_assert(cal.reached);
    ck_assert_double_gt(cal.offset, 0.0);
    ck_assert_double_le(cal.offset, RVT_CALIBRATE_MAX_OFFSET);
    ck_assert_double_eq_tol(cal.recall_before, r0, 1e-12);
    ck_assert_double_eq_tol(cal.acc_before, acc0, 1e-12);
    /* what calibration predicted is what the network now does */
    r1 = recall_of(&net, &ds, cls, &acc1);
    ck_assert_double_ge(r1, 0.9);
    ck_assert_double_eq_tol(cal.recall_after, r1, 1e-12);
    ck_assert_double_eq_tol(cal.acc_after, acc1, 1e-12);

    /* smallest: a slightly smaller offset misses the floor */
    rvt_params_w(&net.P, net.ix.head_b)[cls] -= 1e-6;
    ck_assert_double_lt(recall_of(&net, &ds, cls, &acc1), 0.9);
    rvt_net_free(&net);
    rvt_dataset_free(&ds);
}
END_TEST

START_TEST(test_floor_already_met)
{
    rvt_net net;
    rvt_dataset ds;
    rvt_calibration cal;
    double acc;
    uint32_t cls = 2;

    setup(&net, &ds, true);
    double r = recall_of(&net, &ds, cls, &acc);
    double b = rvt_params_w(&net.P, net.ix.head_b)[cls];
    ck_assert(rvt_calibrate_recall(&net, &ds, cls, r, &cal));
    ck_assert(cal.reached);
    ck_assert_double_eq(cal.offset, 0.0);
    ck_assert_double_eq(rvt_params_w(&net.P, net.ix.head_b)[cls], b);
    rvt_net_free(&net);
    rvt_dataset_free(&ds);
}
END_TEST

START_TEST(test_refusals)
{
    rvt_net net;
    rvt_dataset ds, empty;
    rvt_calibration cal;

    setup(&net, &ds, false);
    ck_assert(!rvt_calibrate_recall(&net, &ds, 1, 0.9, &cal));
    rvt_net_free(&net);
    rvt_dataset_free(&ds);

    setup(&net, &ds, true);
    ck_assert(!rvt_calibrate_recall(&net, &ds, CLS, 0.9, &cal));
    ck_assert(rvt_dataset_init(&empty, IN, SEQ));
    ck_assert(!rvt_calibrate_recall(&net, &empty, 1, 0.9, &cal));
    rvt_net_free(&net);
    rvt_dataset_free(&ds);
    rvt_dataset_free(&empty);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("calibrate");
    TCase *tc = tcase_create("recall floor");
    tcase_add_test(tc, test_floor_reached_and_measured);
    tcase_add_test(tc, test_floor_already_met);
    tcase_add_test(tc, test_refusals);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(make_suite)
