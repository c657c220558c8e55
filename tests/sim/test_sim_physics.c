/*
 * test_sim_physics.c — the simulator's physics seen through the kernel
 * feature extractor: breathing rate recoverable, empty room stationary,
 * walking spreads Doppler energy, a fall is a larger, shorter disturbance
 * than sitting down. Analysis code here is test-only.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rv_wire.h"
#include "sim_analysis.h"
#include "check_main.h"

static void cfg_for(rvsim_config *c, const char *sc, uint64_t seed, uint32_t nodes, double dur)
{
    rvsim_config_default(c);
    c->scenario = sc;
    c->seed = seed;
    c->n_nodes = nodes;
    c->rate_hz = 50;
    c->duration_s = dur;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define BPM_LO 6.0
#define BPM_STEP 0.1
#define BPM_N 241   /* 6..30 bpm */

START_TEST(test_breathing_rate_recovered)
{
    /* Pick the node whose spectrum has the clearest peak (node selection by
     * SNR, as a real system would), then read the rate off the peak. */
    for (uint64_t seed = 1; seed <= 4; seed++) {
        rvsim_config c;
        cfg_for(&c, "breathing", seed, 4, 60);
        double best_ratio = 0, est = 0, truth = 0;
        feat_series all[4];
        rvsim_session *s;
        ck_assert_int_eq(sim_collect_all(&c, all, &s), 0);
        truth = rvsim_session_segment(s, 0)->breath_bpm;
        ck_assert(truth >= 8 && truth <= 25);
        for (uint8_t node = 1; node <= 4; node++) {
            feat_series *fs = &all[node - 1];
            double pw[BPM_N], sorted[BPM_N];
            sim_spectrum(fs, 0, RV_CSI_FEAT_NORM_DIMS, 0, 60, BPM_LO / 60, BPM_STEP / 60, BPM_N, 1, pw);
            unsigned arg = 0;
            for (unsigned k = 0; k < BPM_N; k++)
                if (pw[k] > pw[arg])
                    arg = k;
            memcpy(sorted, pw, sizeof(pw));
            qsort(sorted, BPM_N, sizeof(double), cmp_double);
            double ratio = pw[arg] / sorted[BPM_N / 2];
            if (ratio > best_ratio) {
                best_ratio = ratio;
                est = BPM_LO + arg * BPM_STEP;
            }
            feat_series_free(fs);
        }
        rvsim_session_free(s);
        fprintf(stderr, "breathing seed %llu: true %.2f bpm, estimated %.2f bpm (peak/median %.1f)\n",
                (unsigned long long)seed, truth, est, best_ratio);
        ck_assert_msg(fabs(est - truth) <= 1.0, "seed %llu: true %.2f est %.2f",
                      (unsigned long long)seed, truth, est);
        ck_assert(best_ratio > 5.0);
    }
}
END_TEST

/* Mean over nodes and amplitude bands of the raw feature std, and of the
 * un-standardised spectral energy in [f_lo, f_hi] Hz. */
static void scene_stats(const char *sc, uint64_t seed, double *amp_std, double *doppler)
{
    rvsim_config c;
    cfg_for(&c, sc, seed, 3, 40);
    *amp_std = *doppler = 0;
    feat_series all[3];
    ck_assert_int_eq(sim_collect_all(&c, all, NULL), 0);
    for (uint8_t node = 1; node <= 3; node++) {
        feat_series *fs = &all[node - 1];
        double sd = 0;
        for (unsigned d = 0; d < RV_CSI_FEAT_BANDS; d++)
            sd += sim_std(fs, d, 5, 40);
        *amp_std += sd / RV_CSI_FEAT_BANDS / 3;
        double pw[29];
        sim_spectrum(fs, 0, RV_CSI_FEAT_BANDS, 5, 40, 1.0, 0.25, 29, 0, pw);   /* 1..8 Hz */
        double e = 0;
        for (unsigned k = 0; k < 29; k++)
            e += pw[k];
        *doppler += e / 3;
        feat_series_free(fs);
    }
}

START_TEST(test_empty_stationary_walking_doppler)
{
    for (uint64_t seed = 1; seed <= 3; seed++) {
        double e_std, e_dop, b_std, b_dop, w_std, w_dop;
        scene_stats("empty", seed, &e_std, &e_dop);
        scene_stats("breathing", seed, &b_std, &b_dop);
        scene_stats("walking", seed, &w_std, &w_dop);
        fprintf(stderr, "seed %llu: amp std empty %.4f still %.4f walking %.4f; "
                "1-8 Hz energy empty %.3f still %.3f walking %.3f\n",
                (unsigned long long)seed, e_std, b_std, w_std, e_dop, b_dop, w_dop);
        /* the empty room is stationary: only receiver noise moves features */
        ck_assert(e_std < 0.02);
        ck_assert(w_std > 2.0 * e_std);
        /* walking spreads energy to Doppler frequencies */
        ck_assert(w_dop > 3.0 * e_dop);
        ck_assert(w_dop > 3.0 * b_dop);
    }
}
END_TEST

/* Disturbance of one node around an event: e(t) = sum over amplitude bands
 * of the squared change vs the previous frame, smoothed over 0.2 s. Returns
 * the peak above the pre-event baseline and the full width at half that
 * peak (s). */
static void event_shape(const feat_series *fs, double start, double end, double *peak, double *width)
{
    size_t n = fs->n;
    double *e = calloc(n, sizeof(double));
    ck_assert_ptr_nonnull(e);
    for (size_t i = 1; i < n; i++) {
        double a = 0;
        for (unsigned d = 0; d < RV_CSI_FEAT_BANDS; d++) {
            double x = fs->raw[i][d] - fs->raw[i - 1][d];
            a += x * x;
        }
        e[i] = a;
    }
    double base = 0;
    size_t nb = 0;
    for (size_t i = 0; i < n; i++)
        if (fs->t[i] >= start - 2.0 && fs->t[i] < start - 0.3) {
            base += e[i];
            nb++;
        }
    base = nb ? base / (double)nb : 0;
    /* smoothed series over the event window */
    double pk = 0, tpk = start;
    double sm[4096], ts[4096];
    size_t m = 0;
    for (size_t i = 0; i < n && m < 4096; i++) {
        if (fs->t[i] < start - 0.5 || fs->t[i] > end + 0.5)
            continue;
        double a = 0;
        size_t k = 0;
        for (size_t j = i; j < n && fs->t[j] < fs->t[i] + 0.2; j++, k++)
            a += e[j];
        sm[m] = (k ? a / (double)k : 0) - base;
        ts[m] = fs->t[i];
        if (sm[m] > pk) {
            pk = sm[m];
            tpk = ts[m];
        }
        m++;
    }
    double lo = tpk, hi = tpk;
    for (size_t i = 0; i < m; i++)
        if (sm[i] >= pk / 2) {
            if (ts[i] < lo)
                lo = ts[i];
            if (ts[i] > hi)
                hi = ts[i];
        }
    *peak = pk;
    *width = hi - lo + 0.2;
    free(e);
}

static void events(const char *sc, int act, double *peak, double *width, int *count)
{
    *peak = *width = 0;
    *count = 0;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        rvsim_config c;
        cfg_for(&c, sc, seed, 3, 60);
        feat_series all[3];
        rvsim_session *s;
        ck_assert_int_eq(sim_collect_all(&c, all, &s), 0);
        for (uint8_t node = 1; node <= 3; node++) {
            feat_series *fs = &all[node - 1];
            for (size_t i = 0; i < rvsim_session_n_segments(s); i++) {
                const rvsim_segment *g = rvsim_session_segment(s, i);
                if (g->activity != act || g->start < 3 || g->end > 58)
                    continue;
                double p, w;
                event_shape(fs, g->start, g->end, &p, &w);
                *peak += p;
                *width += w;
                (*count)++;
            }
            feat_series_free(fs);
        }
        rvsim_session_free(s);
    }
    if (*count) {
        *peak /= *count;
        *width /= *count;
    }
}

START_TEST(test_fall_vs_sit)
{
    double fp, fw, sp, sw;
    int fc, scount;
    events("fall", RVSIM_ACT_FALL, &fp, &fw, &fc);
    events("sit", RVSIM_ACT_SIT_DOWN, &sp, &sw, &scount);
    fprintf(stderr, "fall: %d events, mean peak %.4f, width %.2f s; sit-down: %d events, "
            "mean peak %.4f, width %.2f s\n", fc, fp, fw, scount, sp, sw);
    ck_assert_int_ge(fc, 3);
    ck_assert_int_ge(scount, 3);
    ck_assert(fp > 1.5 * sp);
    ck_assert(fw < sw);
}
END_TEST

/* Real-node phase behaviour: every packet has a random offset and timing
 * slope, so the raw phase of a subcarrier is uniform over frames, while the
 * sanitised phase shape of an empty room barely moves. */
START_TEST(test_phase_impairments_removed)
{
    rvsim_config c;
    cfg_for(&c, "empty", 21, 1, 10);
    rvsim_session *s = rvsim_session_new(&c, NULL, 0);
    ck_assert_ptr_nonnull(s);
    rv_csi_feat_state st;
    rv_csi_feat_init(&st, 0);
    double cs = 0, sn = 0, slope_sum = 0, slope_sq = 0;
    double ph_sum[RV_CSI_FEAT_BANDS] = { 0 }, ph_sq[RV_CSI_FEAT_BANDS] = { 0 };
    size_t n = 0;
    rvsim_packet p;
    while (rvsim_session_next(s, &p)) {
        rv_csi_frame f;
        ck_assert_int_eq(rv_csi_frame_decode(p.data, p.len, &f), RV_OK);
        /* subcarrier +10 sits at buffer index 10: (imag, real) */
        double a = atan2((double)f.iq[20], (double)f.iq[21]);
        cs += cos(a);
        sn += sin(a);
        /* slope of the raw phase between subcarriers +5 and +15 */
        double a5 = atan2((double)f.iq[10], (double)f.iq[11]);
        double a15 = atan2((double)f.iq[30], (double)f.iq[31]);
        double d = remainder(a15 - a5, 2 * 3.141592653589793) / 10;
        slope_sum += d;
        slope_sq += d * d;
        float out[RV_CSI_FEAT_DIM], raw[RV_CSI_FEAT_DIM];
        ck_assert_int_eq(rv_csi_feat_extract_ex(&st, &f, 0, out, raw), RV_OK);
        for (unsigned b = 0; b < RV_CSI_FEAT_BANDS; b++) {
            ph_sum[b] += raw[RV_CSI_FEAT_BANDS + b];
            ph_sq[b] += raw[RV_CSI_FEAT_BANDS + b] * raw[RV_CSI_FEAT_BANDS + b];
        }
        n++;
    }
    rvsim_session_free(s);
    ck_assert_uint_eq(n, 500);
    double resultant = sqrt(cs * cs + sn * sn) / (double)n;   /* 1 = constant, 0 = uniform */
    double slope_sd = sqrt(slope_sq / n - (slope_sum / n) * (slope_sum / n));
    double worst = 0;
    for (unsigned b = 0; b < RV_CSI_FEAT_BANDS; b++) {
        double sd = sqrt(ph_sq[b] / n - (ph_sum[b] / n) * (ph_sum[b] / n));
        worst = sd > worst ? sd : worst;
    }
    fprintf(stderr, "raw phase resultant %.3f, raw slope sd %.4f rad/subcarrier, "
            "sanitised band phase sd <= %.4f rad\n", resultant, slope_sd, worst);
    ck_assert(resultant < 0.15);
    ck_assert(slope_sd > 0.03);
    ck_assert(worst < 0.05);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sim_physics");
    TCase *tc = tcase_create("physics");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_breathing_rate_recovered);
    tcase_add_test(tc, test_empty_stationary_walking_doppler);
    tcase_add_test(tc, test_fall_vs_sit);
    tcase_add_test(tc, test_phase_impairments_removed);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
