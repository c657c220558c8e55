/*
 * test_motion.c — the motion detector (rv_motion) on synthetic CSI: steps
 * into and out of motion, slow drift, AGC gain jumps (gain-locked and not),
 * rates from 20 to 150 Hz and a rate change, a stream that starts in
 * motion, outlier frames, and every argument check.
 */
#include <check.h>
#include <stdlib.h>

#include "motion_synth.h"
#include "rv_motion.h"

#define NS 1000000000.0

typedef struct {
    void *mem;
    rv_motion *m;
    synth s;
    double t;
    /* counts per phase */
    unsigned frames, motion_frames, changes;
    double first_motion_t, last_motion_t;
    bool calibrated;
} run;

static void run_init(run *r, uint64_t seed)
{
    memset(r, 0, sizeof *r);
    r->mem = malloc(rv_motion_state_size());
    r->m = rv_motion_init(r->mem, rv_motion_state_size(), NULL);
    ck_assert_ptr_nonnull(r->m);
    synth_init(&r->s, seed);
}

static void phase_reset(run *r)
{
    r->frames = r->motion_frames = r->changes = 0;
    r->first_motion_t = r->last_motion_t = -1.0;
}

/* Play `secs` at `hz` (with +-20% jitter) and count what the detector says. */
static void play(run *r, double secs, double hz, double motion)
{
    phase_reset(r);
    r->s.motion = motion;
    double end = r->t + secs;
    while (r->t < end) {
        rv_csi_frame f = synth_frame(&r->s, r->t);
        rv_motion_out o;
        ck_assert_int_eq(rv_motion_push(r->m, &f, 0, (uint64_t)(r->t * NS), &o), RV_OK);
        ck_assert(o.threshold >= 0.0f && o.score >= 0.0f);
        ck_assert(!o.motion || o.calibrated);
        r->frames++;
        r->changes += o.changed;
        r->calibrated = o.calibrated;
        if (o.motion) {
            r->motion_frames++;
            if (r->first_motion_t < 0)
                r->first_motion_t = r->t;
            r->last_motion_t = r->t;
        }
        r->t += (1.0 + 0.4 * (synth_u(&r->s) - 0.5)) / hz;
    }
}

static void run_free(run *r)
{
    free(r->mem);
}

START_TEST(test_quiet_then_step)
{
    run r;
    run_init(&r, 1);
    play(&r, 2.0, 100, 0.0);
    ck_assert(!r.calibrated);
    ck_assert_uint_eq(r.motion_frames, 0);
    play(&r, 20.0, 100, 0.0);
    ck_assert(r.calibrated);
    ck_assert_uint_eq(r.motion_frames, 0);
    double onset = r.t;
    play(&r, 10.0, 100, 0.3);
    ck_assert_msg(r.first_motion_t >= 0 && r.first_motion_t - onset < 0.3,
                  "motion seen %.3f s after onset", r.first_motion_t - onset);
    ck_assert_uint_ge(r.motion_frames, r.frames * 97 / 100);
    double stop = r.t;
    play(&r, 10.0, 100, 0.0);
    ck_assert_msg(r.last_motion_t < stop + 1.5, "motion held %.2f s", r.last_motion_t - stop);
    ck_assert_uint_le(r.changes, 1);
    run_free(&r);
}
END_TEST

START_TEST(test_rates)
{
    static const double rates[] = { 20, 50, 100, 150 };
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        run r;
        run_init(&r, 10 + i);
        play(&r, 15.0, rates[i], 0.0);
        ck_assert_msg(r.motion_frames == 0, "%g Hz: %u quiet frames in motion", rates[i],
                      r.motion_frames);
        double onset = r.t;
        play(&r, 10.0, rates[i], 0.3);
        ck_assert_msg(r.first_motion_t - onset < 0.4, "%g Hz: onset after %.3f s", rates[i],
                      r.first_motion_t - onset);
        ck_assert_msg(r.motion_frames >= r.frames * 95 / 100, "%g Hz: %u/%u", rates[i],
                      r.motion_frames, r.frames);
        run_free(&r);
    }
}
END_TEST

START_TEST(test_rate_change)
{
    run r;
    run_init(&r, 3);
    play(&r, 10.0, 20, 0.0);
    play(&r, 10.0, 150, 0.0);           /* quiet at 7.5x the rate: still quiet */
    ck_assert_uint_eq(r.motion_frames, 0);
    play(&r, 5.0, 150, 0.3);
    ck_assert_uint_ge(r.motion_frames, r.frames * 95 / 100);
    play(&r, 10.0, 20, 0.0);
    play(&r, 10.0, 20, 0.0);
    ck_assert_uint_eq(r.motion_frames, 0);
    run_free(&r);
}
END_TEST

START_TEST(test_drift)
{
    run r;
    run_init(&r, 4);
    play(&r, 5.0, 100, 0.0);
    /* the static profile tilts by +-0.4 LSB per subcarrier over 2 minutes */
    phase_reset(&r);
    unsigned motion = 0;
    for (int i = 0; i < 120; i++) {
        r.s.tilt = 0.4 * sin(i / 120.0 * 3.14159);
        play(&r, 1.0, 100, 0.0);
        motion += r.motion_frames;
    }
    ck_assert_uint_eq(motion, 0);
    double onset = r.t;
    play(&r, 5.0, 100, 0.3);
    ck_assert(r.first_motion_t >= 0 && r.first_motion_t - onset < 0.3);
    run_free(&r);
}
END_TEST

START_TEST(test_gain_not_locked)
{
    /* AGC free: every frame at its own gain, 0.5x .. 1.0x */
    run r;
    run_init(&r, 5);
    unsigned motion = 0;
    for (int i = 0; i < 2000; i++) {
        r.s.gain = 0.5 + 0.5 * synth_u(&r.s);
        play(&r, 0.01, 100, 0.0);
        motion += r.motion_frames;
    }
    ck_assert_uint_eq(motion, 0);
    unsigned hit = 0, n = 0;
    double onset = r.t;
    double first = -1;
    for (int i = 0; i < 1000; i++) {
        r.s.gain = 0.5 + 0.5 * synth_u(&r.s);
        play(&r, 0.01, 100, 0.3);
        hit += r.motion_frames;
        n += r.frames;
        if (first < 0 && r.first_motion_t >= 0)
            first = r.first_motion_t;
    }
    ck_assert_msg(first >= 0 && first - onset < 0.3, "onset after %.3f s", first - onset);
    ck_assert_uint_ge(hit, n * 95 / 100);
    run_free(&r);
}
END_TEST

START_TEST(test_gain_locked_steps)
{
    /* gain locked, but the lock is re-taken now and then: a step of -3 dB,
     * later +2 dB, each held for seconds */
    run r;
    run_init(&r, 6);
    play(&r, 6.0, 100, 0.0);
    r.s.gain = 0.7;
    play(&r, 6.0, 100, 0.0);
    ck_assert_uint_eq(r.motion_frames, 0);
    r.s.gain = 0.9;
    play(&r, 6.0, 100, 0.0);
    ck_assert_uint_eq(r.motion_frames, 0);
    play(&r, 5.0, 100, 0.3);
    ck_assert_uint_ge(r.motion_frames, r.frames * 95 / 100);
    run_free(&r);
}
END_TEST

START_TEST(test_starts_in_motion)
{
    run r;
    run_init(&r, 7);
    play(&r, 15.0, 100, 0.3);
    play(&r, 15.0, 100, 0.0);
    ck_assert(r.calibrated);
    /* converged on the quiet part: it ends quiet */
    ck_assert_msg(r.last_motion_t < r.t - 10.0, "still motion %.2f s before the end",
                  r.t - r.last_motion_t);
    play(&r, 15.0, 100, 0.0);
    ck_assert_uint_eq(r.motion_frames, 0);
    double onset = r.t;
    play(&r, 10.0, 100, 0.3);
    ck_assert(r.first_motion_t >= 0 && r.first_motion_t - onset < 0.3);
    ck_assert_uint_ge(r.motion_frames, r.frames * 95 / 100);
    run_free(&r);
}
END_TEST

START_TEST(test_outlier_frames)
{
    run r;
    run_init(&r, 8);
    play(&r, 5.0, 100, 0.0);
    unsigned motion = 0;
    for (int i = 0; i < 200; i++) {
        play(&r, 0.05, 100, 0.0);
        motion += r.motion_frames;
        rv_csi_frame f = synth_outlier(&r.s, r.t);
        rv_motion_out o;
        ck_assert_int_eq(rv_motion_push(r.m, &f, 0, (uint64_t)(r.t * NS), &o), RV_OK);
        motion += o.motion;
        r.t += 0.01;
    }
    ck_assert_uint_eq(motion, 0);
    run_free(&r);
}
END_TEST

START_TEST(test_sensitivity_and_reset)
{
    run r;
    run_init(&r, 9);
    play(&r, 6.0, 100, 0.0);
    rv_motion_out o;
    rv_csi_frame f = synth_frame(&r.s, r.t);
    ck_assert_int_eq(rv_motion_push(r.m, &f, 0, (uint64_t)(r.t * NS), &o), RV_OK);
    float thr = o.threshold;
    ck_assert(o.calibrated && thr > 0.0f);
    ck_assert_int_eq(rv_motion_set_sensitivity(r.m, 2.0f), RV_OK);
    r.t += 0.01;
    f = synth_frame(&r.s, r.t);
    ck_assert_int_eq(rv_motion_push(r.m, &f, 0, (uint64_t)(r.t * NS), &o), RV_OK);
    ck_assert(o.calibrated);
    ck_assert_float_eq_tol(o.threshold, thr / 2.0f, thr * 1e-3f);
    ck_assert_int_eq(rv_motion_reset(r.m), RV_OK);
    r.t += 0.01;
    f = synth_frame(&r.s, r.t);
    ck_assert_int_eq(rv_motion_push(r.m, &f, 0, (uint64_t)(r.t * NS), &o), RV_OK);
    ck_assert(!o.calibrated && !o.motion);
    run_free(&r);
}
END_TEST

START_TEST(test_bad_arguments)
{
    size_t sz = rv_motion_state_size();
    ck_assert_uint_gt(sz, 0);
    void *mem = malloc(sz);
    rv_motion_cfg c;
    rv_motion_cfg_default(&c);
    ck_assert_float_eq(c.sensitivity, RV_MOTION_DEFAULT_SENSITIVITY);
    ck_assert_uint_eq(c.calibration_ns, RV_MOTION_DEFAULT_CALIBRATION_NS);
    ck_assert_ptr_null(rv_motion_init(NULL, sz, &c));
    ck_assert_ptr_null(rv_motion_init(mem, sz - 1, &c));
    ck_assert_ptr_null(rv_motion_init((char *)mem + 1, sz - 1, &c));
    rv_motion_cfg bad = c;
    bad.sensitivity = 0.0f;
    ck_assert_ptr_null(rv_motion_init(mem, sz, &bad));
    bad.sensitivity = NAN;
    ck_assert_ptr_null(rv_motion_init(mem, sz, &bad));
    bad = c;
    bad.calibration_ns = RV_MOTION_MIN_CALIBRATION_NS - 1;
    ck_assert_ptr_null(rv_motion_init(mem, sz, &bad));
    bad = c;
    bad.tuning.factor = 1.0f;
    ck_assert_ptr_null(rv_motion_init(mem, sz, &bad));
    bad = c;
    bad.tuning.trim = 0.5f;
    ck_assert_ptr_null(rv_motion_init(mem, sz, &bad));
    bad = c;
    bad.tuning.exit_ratio = 0.0f;
    ck_assert_ptr_null(rv_motion_init(mem, sz, &bad));
    bad = c;
    bad.tuning.window_ns = 0;
    ck_assert_ptr_null(rv_motion_init(mem, sz, &bad));

    rv_motion *m = rv_motion_init(mem, sz, &c);
    ck_assert_ptr_nonnull(m);
    int8_t iq[4 * 64 * 2] = { 0 };
    rv_csi_frame f = { .node_id = 1, .n_antennas = 1, .n_subcarriers = 64, .iq = iq };
    rv_motion_out o;
    o.motion = true;
    ck_assert_int_eq(rv_motion_push(NULL, &f, 0, 0, &o), RV_ERR_NULL);
    ck_assert(!o.motion);
    ck_assert_int_eq(rv_motion_push(m, NULL, 0, 0, &o), RV_ERR_NULL);
    ck_assert_int_eq(rv_motion_push(m, &f, 0, 0, NULL), RV_ERR_NULL);
    ck_assert_int_eq(rv_motion_push(m, &f, 1, 0, &o), RV_ERR_ARG);
    f.iq = NULL;
    ck_assert_int_eq(rv_motion_push(m, &f, 0, 0, &o), RV_ERR_NULL);
    f.iq = iq;
    f.n_subcarriers = 0;
    ck_assert_int_eq(rv_motion_push(m, &f, 0, 0, &o), RV_ERR_SUBCARRIERS);
    f.n_subcarriers = 64;
    f.n_antennas = 0;
    ck_assert_int_eq(rv_motion_push(m, &f, 0, 0, &o), RV_ERR_ANTENNAS);
    f.n_antennas = 4;
    ck_assert_int_eq(rv_motion_push(m, &f, 3, 0, &o), RV_OK);   /* all-zero frame: nothing learnt */
    ck_assert(!o.calibrated && !o.motion);
    ck_assert_int_eq(rv_motion_set_sensitivity(m, 0.0f), RV_ERR_ARG);
    ck_assert_int_eq(rv_motion_set_sensitivity(m, 101.0f), RV_ERR_ARG);
    ck_assert_int_eq(rv_motion_set_sensitivity(NULL, 1.0f), RV_ERR_NULL);
    ck_assert_int_eq(rv_motion_reset(NULL), RV_ERR_NULL);
    memset(mem, 0, sz);
    ck_assert_int_eq(rv_motion_push(m, &f, 0, 0, &o), RV_ERR_BAD_OBJECT);
    ck_assert_int_eq(rv_motion_reset(m), RV_ERR_BAD_OBJECT);
    /* cfg NULL means the defaults */
    ck_assert_ptr_nonnull(rv_motion_init(mem, sz, NULL));
    free(mem);
}
END_TEST

START_TEST(test_time_backwards)
{
    run r;
    run_init(&r, 11);
    play(&r, 8.0, 100, 0.0);
    /* a frame stamped 1 s in the past is taken at the previous time */
    rv_csi_frame f = synth_frame(&r.s, r.t);
    rv_motion_out o;
    ck_assert_int_eq(rv_motion_push(r.m, &f, 0, (uint64_t)((r.t - 1.0) * NS), &o), RV_OK);
    ck_assert(!o.motion);
    play(&r, 5.0, 100, 0.0);
    ck_assert_uint_eq(r.motion_frames, 0);
    run_free(&r);
}
END_TEST

/* Play `secs` with every `every`-th frame re-laid out as `pairs` pairs. */
static void play_as(run *r, double secs, double hz, double motion, uint16_t pairs,
                    uint16_t every)
{
    phase_reset(r);
    r->s.motion = motion;
    double end = r->t + secs;
    static int8_t big[2 * 512];
    for (unsigned i = 0; r->t < end; i++) {
        rv_csi_frame f = synth_frame(&r->s, r->t);
        if (every && i % every == 0) {
            /* the 64 LLTF pairs, then the same channel as an HT-LTF (128)
             * or spread over an undocumented count (the rest zero) */
            memset(big, 0, sizeof big);
            memcpy(big, r->s.iq, 128);
            if (pairs == 128)
                memcpy(big + 128, r->s.iq, 128);
            else
                for (unsigned p = 0; p < 64; p++) {
                    big[2 * (p * 4u) + 2] = r->s.iq[2 * p];
                    big[2 * (p * 4u) + 3] = r->s.iq[2 * p + 1];
                }
            f.n_subcarriers = pairs;
            f.iq = big;
        }
        rv_motion_out o;
        ck_assert_int_eq(rv_motion_push(r->m, &f, 0, (uint64_t)(r->t * NS), &o), RV_OK);
        r->frames++;
        if (o.motion) {
            r->motion_frames++;
            if (r->first_motion_t < 0)
                r->first_motion_t = r->t;
        }
        r->t += 1.0 / hz;
    }
}

START_TEST(test_mixed_layouts)
{
    /* a node alternating 64- and 128-subcarrier frames (real nodes mix
     * 64/128/192): each layout keeps its own statistics */
    run r;
    run_init(&r, 12);
    play_as(&r, 15.0, 100, 0.0, 128, 2);
    ck_assert_uint_eq(r.motion_frames, 0);
    double onset = r.t;
    play_as(&r, 5.0, 100, 0.3, 128, 2);
    ck_assert(r.first_motion_t >= 0 && r.first_motion_t - onset < 0.3);
    ck_assert_uint_ge(r.motion_frames, r.frames * 95 / 100);
    run_free(&r);
}
END_TEST

START_TEST(test_undocumented_count)
{
    /* 300 pairs has no documented layout: every pair but the first is a
     * candidate, the empty ones are found as nulls */
    run r;
    run_init(&r, 13);
    play_as(&r, 15.0, 100, 0.0, 300, 1);
    ck_assert_uint_eq(r.motion_frames, 0);
    double onset = r.t;
    play_as(&r, 5.0, 100, 0.3, 300, 1);
    ck_assert(r.first_motion_t >= 0 && r.first_motion_t - onset < 0.3);
    ck_assert_uint_ge(r.motion_frames, r.frames * 95 / 100);
    run_free(&r);
}
END_TEST

START_TEST(test_garbage_frames)
{
    /* arbitrary bytes, counts and antennas: always RV_OK, finite outputs,
     * and reads stay inside the frame (run under ASan) */
    run r;
    run_init(&r, 14);
    for (int i = 0; i < 3000; i++) {
        uint16_t pairs = (uint16_t)(1 + (unsigned)(synth_u(&r.s) * 1024));
        uint8_t ants = (uint8_t)(1 + (unsigned)(synth_u(&r.s) * 4));
        size_t n = 2u * pairs * ants;
        int8_t *iq = malloc(n);
        for (size_t k = 0; k < n; k++)
            iq[k] = (int8_t)(synth_u(&r.s) < 0.3 ? 0 : (int)(synth_u(&r.s) * 256) - 128);
        rv_csi_frame f = { .node_id = 1, .n_antennas = ants, .n_subcarriers = pairs, .iq = iq };
        rv_motion_out o;
        ck_assert_int_eq(rv_motion_push(r.m, &f, (uint8_t)(i % ants), (uint64_t)i * 7000000u, &o),
                         RV_OK);
        ck_assert(isfinite(o.score) && isfinite(o.threshold) && o.score >= 0.0f);
        free(iq);
    }
    run_free(&r);
}
END_TEST

static Suite *motion_suite(void)
{
    Suite *s = suite_create("motion");
    TCase *tc = tcase_create("synthetic");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_quiet_then_step);
    tcase_add_test(tc, test_rates);
    tcase_add_test(tc, test_rate_change);
    tcase_add_test(tc, test_drift);
    tcase_add_test(tc, test_gain_not_locked);
    tcase_add_test(tc, test_gain_locked_steps);
    tcase_add_test(tc, test_starts_in_motion);
    tcase_add_test(tc, test_outlier_frames);
    tcase_add_test(tc, test_sensitivity_and_reset);
    tcase_add_test(tc, test_bad_arguments);
    tcase_add_test(tc, test_time_backwards);
    tcase_add_test(tc, test_mixed_layouts);
    tcase_add_test(tc, test_undocumented_count);
    tcase_add_test(tc, test_garbage_frames);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(motion_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
