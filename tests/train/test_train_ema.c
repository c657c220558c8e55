/*
 * test_train_ema.c — weight averaging (ema.h, rvtrain --ema): decay 0 is the
 * plain weights, a decay averages as specified, the swap is exact, bad
 * decays are refused. Training with it: test_train_synth.c.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "ema.h"
#include "check_main.h"

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
    rvt_ema_swap(&e, &p);           /* p reads the shadow: still the start, 1 */
    ck_assert(p.w[0] == 1.0 && e.w[0] == 5.0);
    rvt_ema_swap(&e, &p);
    ck_assert(p.w[0] == 5.0 && e.w[0] == 1.0);
    rvt_ema_free(&e);
    rvt_params_free(&p);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("train_ema");
    TCase *tc = tcase_create("ema");
    tcase_add_test(tc, test_decay_zero_is_plain);
    tcase_add_test(tc, test_averages);
    tcase_add_test(tc, test_swap_and_refusals);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(make_suite)
