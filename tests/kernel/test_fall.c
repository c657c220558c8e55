/* test_fall.c — the fall rule (rv_fall.h): impact and onset, confirmation,
 * the descent's own motion (grace), getting up before and after the
 * alarm, a later impact restarting the candidate, one event per impact, a
 * late frame of another link. */
#include <check.h>
#include <string.h>
#include "check_main.h"
#include "rv_fall.h"

#define MS 1000000ull
#define S  1000000000ull
#define STEP (10 * MS)

typedef struct {
    rv_fall f;
    uint64_t t;
    int alarms, cancels;
    rv_fall_event last;
} run;

static void start(run *r)
{
    rv_fall_config c;
    memset(r, 0, sizeof *r);
    rv_fall_config_default(&c);
    ck_assert_int_eq(rv_fall_init(&r->f, &c), RV_OK);
}

/* dur of frames with this evidence and reading. */
static void feed(run *r, uint64_t dur, float ev, int low, int up, int node)
{
    for (uint64_t end = r->t + dur; r->t < end; r->t += STEP) {
        rv_fall_obs o = { r->t, ev, low, up, node };
        rv_fall_event e;
        ck_assert_int_eq(rv_fall_push(&r->f, &o, &e), RV_OK);
        if (e.kind == RV_FALL_ALARM)
            r->alarms++;
        if (e.kind == RV_FALL_CANCEL)
            r->cancels++;
        if (e.kind != RV_FALL_NONE)
            r->last = e;
    }
}

/* standing 2 s, a rise (0.3 for 0.2 s, then 0.8 for 0.5 s), then lie. */
static void impact(run *r, int node)
{
    feed(r, 2 * S, 0.05f, 0, 0, 1);
    feed(r, 200 * MS, 0.3f, 0, 0, node);
    feed(r, 500 * MS, 0.8f, 0, 0, node);
}

START_TEST(confirmed_once_with_onset)
{
    run r;
    start(&r);
    impact(&r, 3);
    feed(&r, 10 * S, 0.05f, 1, 0, 1);
    ck_assert_int_eq(r.alarms, 1);
    ck_assert_int_eq(r.cancels, 0);
    /* onset: the rise above half the threshold, before the crossing */
    ck_assert_uint_eq(r.last.onset_ns, 2 * S);
    ck_assert_uint_ge(r.last.delay_ns, 700 * MS + RV_FALL_DEFAULT_CONFIRM_NS);
    ck_assert_uint_lt(r.last.delay_ns, 700 * MS + RV_FALL_DEFAULT_CONFIRM_NS + 50 * MS);
    ck_assert_int_eq(r.last.node, 3);
    ck_assert_float_eq_tol(r.last.confidence, 0.8f, 1e-6f);
}
END_TEST

START_TEST(no_impact_no_alarm)
{
    /* lying down slowly: low and still, but never an impact */
    run r;
    start(&r);
    feed(&r, 2 * S, 0.05f, 0, 0, 1);
    feed(&r, 20 * S, RV_FALL_DEFAULT_THRESHOLD - 0.01f, 1, 0, 1);
    ck_assert_int_eq(r.alarms, 0);
}
END_TEST

START_TEST(descent_motion_is_not_getting_up)
{
    /* the room reads walking / stand_up for 1 s right after the impact
     * (the descent), then lies still: still a fall */
    run r;
    start(&r);
    impact(&r, 1);
    feed(&r, 1 * S, 0.05f, 0, 1, 1);
    feed(&r, 8 * S, 0.05f, 1, 0, 1);
    ck_assert_int_eq(r.alarms, 1);
}
END_TEST

START_TEST(got_up_before_confirmation)
{
    run r;
    start(&r);
    impact(&r, 1);
    feed(&r, 2 * S, 0.05f, 1, 0, 1);
    feed(&r, 3 * S, 0.05f, 0, 1, 1);   /* up after the grace */
    feed(&r, 10 * S, 0.05f, 1, 0, 1);  /* sits still: no second chance */
    ck_assert_int_eq(r.alarms, 0);
}
END_TEST

START_TEST(not_low_long_enough)
{
    /* low in spells shorter than fall-confirm: the window runs out */
    run r;
    start(&r);
    impact(&r, 1);
    for (int i = 0; i < 6; i++) {
        feed(&r, RV_FALL_DEFAULT_CONFIRM_NS - 500 * MS, 0.05f, 1, 0, 1);
        feed(&r, 200 * MS, 0.05f, 0, 0, 1);
    }
    ck_assert_int_eq(r.alarms, 0);
}
END_TEST

START_TEST(cancelled_when_up_at_once)
{
    run r;
    start(&r);
    impact(&r, 1);
    feed(&r, RV_FALL_DEFAULT_CONFIRM_NS + 100 * MS, 0.05f, 1, 0, 1);
    ck_assert_int_eq(r.alarms, 1);
    uint64_t onset = r.last.onset_ns;
    feed(&r, 1 * S, 0.05f, 0, 1, 1);
    ck_assert_int_eq(r.cancels, 1);
    ck_assert_int_eq(r.last.kind, RV_FALL_CANCEL);
    ck_assert_uint_eq(r.last.onset_ns, onset);
    /* up well after the cancel window: the alarm stands */
    start(&r);
    impact(&r, 1);
    feed(&r, RV_FALL_DEFAULT_CONFIRM_NS + RV_FALL_DEFAULT_CANCEL_NS + 1 * S,
         0.05f, 1, 0, 1);
    feed(&r, 2 * S, 0.05f, 0, 1, 1);
    ck_assert_int_eq(r.alarms, 1);
    ck_assert_int_eq(r.cancels, 0);
}
END_TEST

START_TEST(later_impact_restarts)
{
    /* a stride reads as an impact, then the fall 3 s later: the alarm is
     * timed by the fall, not the stride */
    run r;
    start(&r);
    impact(&r, 1);
    feed(&r, 1 * S, 0.05f, 0, 0, 1);
    uint64_t fall = r.t + 2 * S;
    impact(&r, 2);
    feed(&r, 8 * S, 0.05f, 1, 0, 2);
    ck_assert_int_eq(r.alarms, 1);
    ck_assert_uint_eq(r.last.onset_ns, fall);
    ck_assert_int_eq(r.last.node, 2);
}
END_TEST

START_TEST(one_event_per_impact)
{
    /* evidence that stays high never re-arms: one alarm */
    run r;
    start(&r);
    feed(&r, 1 * S, 0.05f, 0, 0, 1);
    feed(&r, 20 * S, 0.9f, 1, 0, 1);
    ck_assert_int_eq(r.alarms, 1);
}
END_TEST

START_TEST(late_frame_of_another_link)
{
    /* a link 100 ms behind the others sends a frame older than the
     * onset: it counts at the newest time, the candidate survives */
    run r;
    start(&r);
    impact(&r, 1);
    rv_fall_obs late = { r.t - 800 * MS, 0.05f, 1, 0, 2 };
    rv_fall_event e;
    ck_assert_int_eq(rv_fall_push(&r.f, &late, &e), RV_OK);
    ck_assert_int_eq(e.kind, RV_FALL_NONE);
    feed(&r, 8 * S, 0.05f, 1, 0, 1);
    ck_assert_int_eq(r.alarms, 1);
    ck_assert_uint_eq(r.last.onset_ns, 2 * S);
    ck_assert_int_eq(rv_fall_push(NULL, &late, &e), RV_ERR_NULL);
    ck_assert_int_eq(rv_fall_push(&r.f, NULL, &e), RV_ERR_NULL);
}
END_TEST

START_TEST(bad_config)
{
    rv_fall f;
    rv_fall_config c;
    rv_fall_config_default(&c);
    c.threshold = 0.0f;
    ck_assert_int_eq(rv_fall_init(&f, &c), RV_ERR_ARG);
    c.threshold = 1.0f;
    ck_assert_int_eq(rv_fall_init(&f, &c), RV_ERR_ARG);
    rv_fall_config_default(&c);
    c.confirm_ns = c.window_ns + 1;
    ck_assert_int_eq(rv_fall_init(&f, &c), RV_ERR_ARG);
    c.confirm_ns = 0;
    ck_assert_int_eq(rv_fall_init(&f, &c), RV_ERR_ARG);
    ck_assert_int_eq(rv_fall_init(NULL, &c), RV_ERR_NULL);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("fall");
    TCase *tc = tcase_create("fall");
    tcase_add_test(tc, confirmed_once_with_onset);
    tcase_add_test(tc, no_impact_no_alarm);
    tcase_add_test(tc, descent_motion_is_not_getting_up);
    tcase_add_test(tc, got_up_before_confirmation);
    tcase_add_test(tc, not_low_long_enough);
    tcase_add_test(tc, cancelled_when_up_at_once);
    tcase_add_test(tc, later_impact_restarts);
    tcase_add_test(tc, one_event_per_impact);
    tcase_add_test(tc, late_frame_of_another_link);
    tcase_add_test(tc, bad_config);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(make_suite)
