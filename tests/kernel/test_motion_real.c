/*
 * test_motion_real.c — rv_motion with its shipped defaults on the vendored
 * real recordings (tests/data/real/espectre), scored as rvmotionbench
 * scores them: per chip, both sessions pooled, each session baseline then
 * movement as one stream, 2 s warm-up left out. The floors sit just under
 * the figures rvmotionbench prints (docs/real-csi.md), so a regression
 * fails; the false-positive bound is the target.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rvreal_eval.h"
#include "rvreal_sessions.h"

static const struct { const char *chip; double recall_floor; } floors[] = {
    { "C3", 0.9950 }, { "C5", 0.9955 }, { "C6", 0.9950 }, { "ESP32", 0.9950 }, { "S3", 0.9955 },
};
#define FP_MAX 0.001

static void run_chip(const char *chip, double recall_floor, uint64_t jitter_us)
{
    char dir[1024], err[512];
    const char *src = getenv("RV_SOURCE_DIR");
    snprintf(dir, sizeof dir, "%s/tests/data/real/espectre", src ? src : ".");
    rvreal_session idx[RVREAL_MAX_SESSIONS];
    size_t n;
    ck_assert_msg(rvreal_sessions_load(dir, idx, RVREAL_MAX_SESSIONS, &n, err, sizeof err) == 0,
                  "%s", err);
    rv_motion_cfg cfg;
    rv_motion_cfg_default(&cfg);
    rvreal_counts sum = { 0 };
    unsigned sessions = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(idx[i].chip, chip) != 0)
            continue;
        rvreal_eval_session s;
        ck_assert_msg(rvreal_eval_session_load(&idx[i], &s, err, sizeof err) == 0, "%s", err);
        rvreal_counts c;
        rvreal_eval_motion(&s, &cfg, jitter_us, 7 + i, &c);
        rvreal_counts_add(&sum, &c);
        rvreal_eval_session_free(&s);
        sessions++;
    }
    ck_assert_uint_eq(sessions, 2);
    ck_assert_uint_gt(sum.tp + sum.fn, 1500);
    ck_assert_uint_gt(sum.fp + sum.tn, 1500);
    ck_assert_msg(rvreal_recall(&sum) >= recall_floor, "%s: recall %.4f < %.4f", chip,
                  rvreal_recall(&sum), recall_floor);
    ck_assert_msg(rvreal_fp_rate(&sum) <= FP_MAX, "%s: false positives %.4f > %.4f", chip,
                  rvreal_fp_rate(&sum), FP_MAX);
}

START_TEST(test_chip)
{
    run_chip(floors[_i].chip, floors[_i].recall_floor, 0);
}
END_TEST

/* Real nodes jitter: +-3 ms on every packet changes nothing that matters. */
START_TEST(test_chip_jitter)
{
    run_chip(floors[_i].chip, floors[_i].recall_floor, 3000);
}
END_TEST

static Suite *real_suite(void)
{
    Suite *s = suite_create("motion_real");
    TCase *tc = tcase_create("espectre");
    tcase_set_timeout(tc, 120);
    int nf = (int)(sizeof floors / sizeof floors[0]);
    tcase_add_loop_test(tc, test_chip, 0, nf);
    tcase_add_loop_test(tc, test_chip_jitter, 0, nf);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(real_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
