/*
 * test_csi_features.c — CSI feature extraction: reorder, (imag, real)
 * order, unwrap, linear-phase removal, state handling and bad input.
 * Physical behaviour (breathing, walking, falls) is tested in tests/sim.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "rv_csi_features.h"

#define PI 3.14159265358979

static int8_t q8(double v)
{
    long r = lround(v);
    return (int8_t)(r > 127 ? 127 : (r < -127 ? -127 : r));
}

/* Frame with H(k) = A(k) e^{j phi(k)} written in buffer order (0..31, -32..-1),
 * nulls at DC and |k| > 26. */
static void make_lltf(int8_t *iq, double (*amp)(int), double (*ph)(int))
{
    for (int k = -32; k < 32; k++) {
        int idx = k >= 0 ? k : k + 64;
        int ak = k < 0 ? -k : k;
        double a = (ak >= 1 && ak <= 26) ? amp(k) : 0.0;
        iq[2 * idx] = q8(a * sin(ph(k)));      /* imag first */
        iq[2 * idx + 1] = q8(a * cos(ph(k)));  /* then real */
    }
}

static double amp_shape(int k) { return 60.0 + 25.0 * sin(k * 0.37); }
static double ph_shape(int k) { return 0.8 * cos(k * 0.21) + 0.05 * k + 1.0; }

static rv_csi_frame frame_of(const int8_t *iq, uint16_t n_sc)
{
    rv_csi_frame f;
    memset(&f, 0, sizeof(f));
    f.node_id = 1;
    f.n_antennas = 1;
    f.n_subcarriers = n_sc;
    f.freq_mhz = 2437;
    f.rssi = -50;
    f.noise_floor = -95;
    f.iq = iq;
    return f;
}

START_TEST(test_reorder)
{
    int8_t in[2 * 128], out[2 * 128];
    for (int i = 0; i < 128; i++) {
        in[2 * i] = (int8_t)i;          /* imag carries the buffer index */
        in[2 * i + 1] = (int8_t)(-i);
    }
    ck_assert_int_eq(rv_csi_lltf_reorder(in, 128, out), RV_OK);
    for (int blk = 0; blk < 2; blk++)
        for (int j = 0; j < 64; j++) {
            int k = j - 32;                       /* frequency slot j */
            int src = blk * 64 + (k >= 0 ? k : k + 64);
            ck_assert_int_eq(out[2 * (blk * 64 + j)], src);
            ck_assert_int_eq(out[2 * (blk * 64 + j) + 1], -src);
        }
    /* k = -32 first, DC at slot 32, k = 31 last */
    ck_assert_int_eq(out[0], 32);
    ck_assert_int_eq(out[2 * 32], 0);
    ck_assert_int_eq(out[2 * 63], 31);
    ck_assert_int_eq(rv_csi_lltf_reorder(in, 63, out), RV_ERR_SUBCARRIERS);
    ck_assert_int_eq(rv_csi_lltf_reorder(in, 0, out), RV_ERR_SUBCARRIERS);
    ck_assert_int_eq(rv_csi_lltf_reorder(NULL, 64, out), RV_ERR_NULL);
    ck_assert_int_eq(rv_csi_lltf_reorder(in, 64, NULL), RV_ERR_NULL);
}
END_TEST

START_TEST(test_imag_real_order)
{
    const int8_t pure_real[2] = { 0, 50 };   /* (imag, real) */
    const int8_t pure_imag[2] = { 50, 0 };
    const int8_t neg_real[2] = { 0, -50 };
    float ph, a;
    ck_assert_int_eq(rv_csi_phase_raw(pure_real, 1, &ph), RV_OK);
    ck_assert(fabsf(ph) < 1e-6f);
    ck_assert_int_eq(rv_csi_phase_raw(pure_imag, 1, &ph), RV_OK);
    ck_assert(fabsf(ph - (float)(PI / 2)) < 1e-6f);
    ck_assert_int_eq(rv_csi_phase_raw(neg_real, 1, &ph), RV_OK);
    ck_assert(fabsf(fabsf(ph) - (float)PI) < 1e-6f);
    ck_assert_int_eq(rv_csi_amplitude(pure_imag, 1, &a), RV_OK);
    ck_assert(fabsf(a - 50.0f) < 1e-6f);
    const int8_t three_four[2] = { 4, 3 };
    ck_assert_int_eq(rv_csi_amplitude(three_four, 1, &a), RV_OK);
    ck_assert(fabsf(a - 5.0f) < 1e-6f);
    ck_assert_int_eq(rv_csi_phase_raw(three_four, 1, &ph), RV_OK);
    ck_assert(fabsf(ph - atan2f(4.0f, 3.0f)) < 1e-6f);
    ck_assert_int_eq(rv_csi_phase_raw(NULL, 1, &ph), RV_ERR_NULL);
    ck_assert_int_eq(rv_csi_amplitude(pure_real, 1, NULL), RV_ERR_NULL);
}
END_TEST

static double wrapd(double v)
{
    return v - 2 * PI * floor((v + PI) / (2 * PI));
}

START_TEST(test_unwrap)
{
    float ph[40];
    uint8_t valid[40];
    for (int p = 0; p < 40; p++) {
        ph[p] = (float)wrapd(0.9 * p - 3.0);
        valid[p] = (p % 7 == 3) ? 0 : 1;
    }
    ph[3] = 123.0f;   /* invalid entries are left untouched */
    ck_assert_int_eq(rv_csi_phase_unwrap(ph, valid, 40), RV_OK);
    double base = ph[0] - (0.9 * 0 - 3.0);
    for (int p = 0; p < 40; p++) {
        if (!valid[p])
            continue;
        ck_assert_msg(fabs(ph[p] - (0.9 * p - 3.0 + base)) < 1e-4, "p=%d", p);
    }
    ck_assert(ph[3] == 123.0f);
    /* a decreasing ramp across the +-pi boundary, all valid */
    float q[30];
    for (int p = 0; p < 30; p++)
        q[p] = (float)wrapd(-1.1 * p);
    ck_assert_int_eq(rv_csi_phase_unwrap(q, NULL, 30), RV_OK);
    for (int p = 0; p < 30; p++)
        ck_assert(fabs(q[p] - (-1.1 * p)) < 1e-4);
    q[5] = NAN;
    ck_assert_int_eq(rv_csi_phase_unwrap(q, NULL, 30), RV_ERR_NOT_FINITE);
    ck_assert_int_eq(rv_csi_phase_unwrap(NULL, NULL, 30), RV_ERR_NULL);
}
END_TEST

START_TEST(test_sanitize_recovers_shape)
{
    /* Shape r with its own least-squares line projected out, then a known
     * slope and offset added and the result wrapped, as an STO/CFO would. */
    enum { N = 64 };
    float x[N], ph[N];
    double r[N];
    uint8_t valid[N];
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int m = 0;
    for (int j = 0; j < N; j++) {
        int k = j - 32;
        int ak = k < 0 ? -k : k;
        valid[j] = (ak >= 1 && ak <= 26);
        x[j] = (float)k;
        r[j] = 0.6 * sin(0.3 * k) + 0.2 * cos(0.11 * k * k);
        if (valid[j]) {
            sx += k; sy += r[j]; m++;
        }
    }
    double mx = sx / m, my = sy / m;
    for (int j = 0; j < N; j++)
        if (valid[j]) {
            sxx += (x[j] - mx) * (x[j] - mx);
            sxy += (x[j] - mx) * (r[j] - my);
        }
    double a0 = sxy / sxx, b0 = my - a0 * mx;
    for (int j = 0; j < N; j++)
        r[j] -= a0 * x[j] + b0;
    const double slope = -0.23, offset = 2.5;
    for (int j = 0; j < N; j++)
        ph[j] = valid[j] ? (float)wrapd(r[j] + slope * x[j] + offset) : 99.0f;
    float s_out = 0, o_out = 0;
    ck_assert_int_eq(rv_csi_phase_sanitize(ph, x, valid, N, &s_out, &o_out), RV_OK);
    for (int j = 0; j < N; j++) {
        if (valid[j])
            ck_assert_msg(fabs(ph[j] - r[j]) < 2e-4, "j=%d got %f want %f", j, ph[j], r[j]);
        else
            ck_assert(ph[j] == 0.0f);
    }
    ck_assert(fabs(s_out - slope) < 1e-4);
    ck_assert(fabs(wrapd(o_out - offset)) < 1e-3);
    /* fewer than two valid entries */
    uint8_t one[N];
    memset(one, 0, sizeof(one));
    one[10] = 1;
    ck_assert_int_eq(rv_csi_phase_sanitize(ph, x, one, N, NULL, NULL), RV_ERR_CSI_EMPTY);
    ck_assert_int_eq(rv_csi_phase_sanitize(ph, NULL, valid, N, NULL, NULL), RV_ERR_NULL);
}
END_TEST

START_TEST(test_extract_basic_and_guards)
{
    int8_t iq[128], iq2[128];
    make_lltf(iq, amp_shape, ph_shape);
    memcpy(iq2, iq, sizeof(iq));
    /* garbage in DC and guard subcarriers must not matter */
    for (int k = 27; k < 32; k++) {
        iq2[2 * k] = 77; iq2[2 * k + 1] = -99;
    }
    iq2[0] = 100; iq2[1] = 100;
    iq2[2 * 32] = -50;  /* k = -32 */
    rv_csi_feat_state a, b;
    ck_assert_int_eq(rv_csi_feat_init(&a, 0), RV_OK);
    ck_assert_int_eq(rv_csi_feat_init(&b, 0), RV_OK);
    ck_assert_uint_eq(rv_csi_feat_state_size(), sizeof(rv_csi_feat_state));
    float oa[RV_CSI_FEAT_DIM], ob[RV_CSI_FEAT_DIM], ra[RV_CSI_FEAT_DIM];
    rv_csi_frame fa = frame_of(iq, 64), fb = frame_of(iq2, 64);
    for (int t = 0; t < 5; t++) {
        ck_assert_int_eq(rv_csi_feat_extract_ex(&a, &fa, 0, oa, ra), RV_OK);
        ck_assert_int_eq(rv_csi_feat_extract(&b, &fb, ob), RV_OK);
        ck_assert_mem_eq(oa, ob, sizeof(oa));
    }
    /* a constant stream: z-scores 0, no change energy */
    for (unsigned d = 0; d < RV_CSI_FEAT_NORM_DIMS; d++)
        ck_assert(fabsf(oa[d]) < 1e-3f);
    ck_assert(fabsf(oa[RV_CSI_FEAT_IDX_MOTION] - 0.5f * (log10f(1e-5f) + 3.0f)) < 1e-5f);
    ck_assert(fabsf(oa[RV_CSI_FEAT_IDX_RSSI] - 0.5f) < 1e-6f);
    ck_assert(fabsf(oa[RV_CSI_FEAT_IDX_SNR] - 0.25f) < 1e-6f);
    /* dims past the z-scored ones are the same in both outputs */
    for (unsigned d = RV_CSI_FEAT_NORM_DIMS; d < RV_CSI_FEAT_DIM; d++)
        ck_assert(oa[d] == ra[d]);
    /* raw band amplitudes are relative: they average to ~1 */
    float s = 0;
    for (unsigned d = 0; d < RV_CSI_FEAT_BANDS; d++)
        s += ra[d];
    ck_assert(fabsf(s / RV_CSI_FEAT_BANDS - 1.0f) < 0.05f);
    /* first band = the 4 lowest data subcarriers k = -26..-23 */
    double e = 0, mean = 0;
    for (int k = -26; k <= 26; k++)
        if (k)
            mean += hypot(q8(amp_shape(k) * sin(ph_shape(k))), q8(amp_shape(k) * cos(ph_shape(k))));
    mean /= 52;
    for (int k = -26; k <= -23; k++)
        e += hypot(q8(amp_shape(k) * sin(ph_shape(k))), q8(amp_shape(k) * cos(ph_shape(k)))) / mean;
    ck_assert(fabs(ra[0] - e / 4) < 1e-4);
}
END_TEST

/* Write H(k) for lo <= |k| <= hi into a field of len pairs at iq + 2*offset,
 * in the driver's order (k >= 0 at pair k, k < 0 at pair len + k). */
static void put_field(int8_t *iq, int offset, int len, int pos, int lo, int hi)
{
    for (int p = 0; p < len; p++) {
        int k = p < pos ? p : p - len;
        int ak = k < 0 ? -k : k;
        double a = (ak >= lo && ak <= hi) ? amp_shape(k) : 0.0;
        iq[2 * (offset + p)] = q8(a * sin(ph_shape(k)));
        iq[2 * (offset + p) + 1] = q8(a * cos(ph_shape(k)));
    }
}

static void garbage(int8_t *iq, int from, int to)
{
    for (int i = from; i < to; i++)
        iq[i] = (int8_t)((i * 37) % 200 - 100);
}

/* Features of two frames fed to fresh states must be identical. */
static void assert_same_features(const int8_t *a, uint16_t na, const int8_t *b, uint16_t nb)
{
    rv_csi_feat_state sa, sb;
    rv_csi_feat_init(&sa, 50);
    rv_csi_feat_init(&sb, 50);
    float oa[RV_CSI_FEAT_DIM], ob[RV_CSI_FEAT_DIM];
    rv_csi_frame fa = frame_of(a, na), fb = frame_of(b, nb);
    for (int t = 0; t < 3; t++) {
        ck_assert_int_eq(rv_csi_feat_extract(&sa, &fa, oa), RV_OK);
        ck_assert_int_eq(rv_csi_feat_extract(&sb, &fb, ob), RV_OK);
        ck_assert_mem_eq(oa, ob, sizeof(oa));
    }
}

/* 128 and 192 pairs use the HT-LTF (second field, 1 <= |k| <= 28): the
 * LLTF and STBC-HT-LTF bytes do not matter, and the ESP32-C5's trimmed
 * HT-LTF (57 pairs) gives the same features. */
START_TEST(test_extract_uses_ht_ltf)
{
    static int8_t h128[256], h192[384], c57[114], c114[228];
    garbage(h128, 0, 128);
    put_field(h128, 64, 64, 32, 1, 28);
    garbage(h192, 0, 384);
    put_field(h192, 64, 64, 32, 1, 28);
    put_field(c57, 0, 57, 29, 1, 28);
    garbage(c114, 0, 228);
    put_field(c114, 0, 57, 29, 1, 28);
    assert_same_features(h128, 128, h192, 192);
    assert_same_features(h128, 128, c57, 57);
    assert_same_features(h128, 128, c114, 114);
    /* the HT-LTF's edge tones 27, 28 are used: changing them changes a band */
    rv_csi_feat_state st;
    rv_csi_feat_init(&st, 50);
    float o1[RV_CSI_FEAT_DIM], o2[RV_CSI_FEAT_DIM];
    rv_csi_frame f = frame_of(h128, 128);
    ck_assert_int_eq(rv_csi_feat_extract_ex(&st, &f, 0, o1, o1), RV_OK);
    rv_csi_feat_init(&st, 50);
    h128[2 * (64 + 28)] = 90;
    ck_assert_int_eq(rv_csi_feat_extract_ex(&st, &f, 0, o2, o2), RV_OK);
    ck_assert(o1[RV_CSI_FEAT_BANDS - 1] != o2[RV_CSI_FEAT_BANDS - 1]);
}
END_TEST

/* 64 pairs keep the LLTF (features unchanged for models trained on them);
 * the C5's trimmed LLTF (53 pairs) reads the same; the HE-LTF as 256 and
 * as 245 pairs agree; HT40 as 384 (three 128-point fields, HT-LTF second)
 * and as the C5's 117 agree. */
START_TEST(test_extract_other_layouts)
{
    static int8_t l64[128], c53[106], he256[512], he245[490], ht384[768], c117[234];
    make_lltf(l64, amp_shape, ph_shape);
    put_field(c53, 0, 53, 27, 1, 26);
    assert_same_features(l64, 64, c53, 53);
    put_field(he256, 0, 256, 128, 2, 122);
    put_field(he245, 0, 245, 123, 2, 122);
    assert_same_features(he256, 256, he245, 245);
    garbage(ht384, 0, 768);
    put_field(ht384, 128, 128, 64, 2, 58);
    put_field(c117, 0, 117, 59, 2, 58);
    assert_same_features(ht384, 384, c117, 117);
}
END_TEST

/* A node switching between 128 and 192 pairs stays one comparable stream
 * (same field); switching to 64 (LLTF) restarts the change energies. */
START_TEST(test_extract_mixed_counts)
{
    static int8_t h128[256], h192[384], l64[128];
    put_field(h128, 64, 64, 32, 1, 28);
    put_field(h128, 0, 64, 32, 1, 26);
    memcpy(h192, h128, sizeof(h128));
    put_field(h192, 128, 64, 32, 1, 28);
    make_lltf(l64, amp_shape, ph_shape);
    rv_csi_feat_state st;
    rv_csi_feat_init(&st, 50);
    float o[RV_CSI_FEAT_DIM];
    rv_csi_frame fa = frame_of(h128, 128), fb = frame_of(h192, 192), fc = frame_of(l64, 64);
    const float none = 0.5f * (log10f(1e-5f) + 3.0f);   /* E = 0 */
    ck_assert_int_eq(rv_csi_feat_extract(&st, &fa, o), RV_OK);
    ck_assert_int_eq(rv_csi_feat_extract(&st, &fb, o), RV_OK);
    ck_assert_uint_eq(st.n_frames, 2);
    ck_assert(fabsf(o[RV_CSI_FEAT_IDX_MOTION] - none) < 1e-6f);  /* same channel */
    ck_assert_int_eq(rv_csi_feat_extract(&st, &fc, o), RV_OK);
    ck_assert_uint_eq(st.prev_n, 52);
    ck_assert_uint_eq(st.n_frames, 3);
}
END_TEST

/* Test-only xorshift for noise. */
static uint32_t xs(uint32_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 17; *s ^= *s << 5;
    return *s;
}

START_TEST(test_determinism_and_motion)
{
    int8_t frames[50][128];
    uint32_t seed = 12345;
    for (int t = 0; t < 50; t++) {
        make_lltf(frames[t], amp_shape, ph_shape);
        for (int i = 0; i < 128; i++)
            frames[t][i] = (int8_t)(frames[t][i] + (int)(xs(&seed) % 5) - 2);
    }
    rv_csi_feat_state a, b;
    rv_csi_feat_init(&a, 20);
    rv_csi_feat_init(&b, 20);
    float oa[RV_CSI_FEAT_DIM], ob[RV_CSI_FEAT_DIM];
    float motion_noise = 0;
    for (int t = 0; t < 50; t++) {
        rv_csi_frame f = frame_of(frames[t], 64);
        ck_assert_int_eq(rv_csi_feat_extract(&a, &f, oa), RV_OK);
        ck_assert_int_eq(rv_csi_feat_extract(&b, &f, ob), RV_OK);
        ck_assert_mem_eq(oa, ob, sizeof(oa));
        motion_noise = oa[RV_CSI_FEAT_IDX_MOTION];
    }
    /* a large change of shape raises both change energies */
    int8_t moved[128];
    make_lltf(moved, amp_shape, ph_shape);
    for (int i = 0; i < 128; i += 2)
        moved[i] = (int8_t)(moved[i] / 2);
    rv_csi_frame f = frame_of(moved, 64);
    float before_p = oa[RV_CSI_FEAT_IDX_PMOTION];
    ck_assert_int_eq(rv_csi_feat_extract(&a, &f, oa), RV_OK);
    ck_assert(oa[RV_CSI_FEAT_IDX_MOTION] > motion_noise + 0.5f);
    ck_assert(oa[RV_CSI_FEAT_IDX_PMOTION] > before_p + 0.5f);
    /* reset forgets the previous frame */
    ck_assert_int_eq(rv_csi_feat_reset(&a), RV_OK);
    ck_assert_int_eq(rv_csi_feat_extract(&a, &f, oa), RV_OK);
    for (unsigned d = 0; d < RV_CSI_FEAT_NORM_DIMS; d++)
        ck_assert(oa[d] == 0.0f);
}
END_TEST

/* LLTF frame whose amplitude shape is modulated by depth * sin(w t + 0.3 k)
 * (a moving reflector changes each band differently), scaled by gain (AGC).
 * With noise_seed, each subcarrier also gets uniform +-3.5% (2% rms)
 * receiver noise. */
static void make_moving_noisy(int8_t *iq, double gain, double depth, double wt,
                              uint32_t *noise_seed)
{
    for (int k = -32; k < 32; k++) {
        int idx = k >= 0 ? k : k + 64;
        int ak = k < 0 ? -k : k;
        double noise = noise_seed
                     ? 0.035 * ((double)(xs(noise_seed) % 2001u) / 1000.0 - 1.0) : 0.0;
        double a = (ak >= 1 && ak <= 26)
                 ? gain * amp_shape(k) * (1.0 + depth * sin(wt + 0.3 * k)) * (1.0 + noise)
                 : 0.0;
        iq[2 * idx] = q8(a * sin(ph_shape(k)));
        iq[2 * idx + 1] = q8(a * cos(ph_shape(k)));
    }
}

static void make_moving(int8_t *iq, double gain, double depth, double wt)
{
    make_moving_noisy(iq, gain, depth, wt, NULL);
}

/* Run n frames of make_moving through st; out receives the last features. */
static void run_moving(rv_csi_feat_state *st, int n, double gain, double depth, float *out)
{
    int8_t iq[128];
    for (int t = 0; t < n; t++) {
        make_moving(iq, gain, depth, 2.0 * PI * t / 60.0);   /* 1.7 Hz at 100 Hz */
        rv_csi_frame f = frame_of(iq, 64);
        ck_assert_int_eq(rv_csi_feat_extract(st, &f, out), RV_OK);
    }
}

START_TEST(test_motion_levels)
{
    const unsigned lv0 = RV_CSI_FEAT_IDX_LEVEL, lv1 = RV_CSI_FEAT_IDX_LEVEL_FAST;
    rv_csi_feat_state still, moving, quiet_agc;
    float os[RV_CSI_FEAT_DIM], om[RV_CSI_FEAT_DIM], om_early[RV_CSI_FEAT_DIM],
          oq[RV_CSI_FEAT_DIM];
    ck_assert_int_eq(rv_csi_feat_init(&still, 200), RV_OK);
    ck_assert_int_eq(rv_csi_feat_init(&moving, 200), RV_OK);
    ck_assert_int_eq(rv_csi_feat_init(&quiet_agc, 200), RV_OK);
    /* a constant stream has zero variance at every window */
    run_moving(&still, 400, 1.0, 0.0, os);
    for (unsigned d = lv0; d <= lv1; d++)
        ck_assert(fabsf(os[d] - 0.5f * (log10f(1e-7f) + 6.0f)) < 1e-3f);
    /* sustained motion keeps its level: unlike the z-scores it does not fade
     * once the 2 s (tau 200) running variance has caught up */
    run_moving(&moving, 400, 1.0, 0.08, om_early);
    run_moving(&moving, 1600, 1.0, 0.08, om);
    for (unsigned d = lv0; d <= lv1; d++) {
        ck_assert_msg(om[d] > os[d] + 1.5f, "dim %u: %f vs %f", d, om[d], os[d]);
        ck_assert_msg(fabsf(om[d] - om_early[d]) < 0.15f, "dim %u faded: %f -> %f", d,
                      om_early[d], om[d]);
    }
    /* amplitudes are relative to the frame mean: a gain change (AGC) does
     * not move the levels beyond int8 rounding */
    run_moving(&quiet_agc, 2000, 0.5, 0.08, oq);
    for (unsigned d = lv0; d <= lv1; d++)
        ck_assert_msg(fabsf(oq[d] - om[d]) < 0.1f, "dim %u: %f vs %f", d, oq[d], om[d]);
    /* a step change of the static shape shows up as a baseline shift */
    float before = om[RV_CSI_FEAT_IDX_SHIFT];
    int8_t iq[128];
    make_moving(iq, 1.0, 0.0, 0.0);
    for (int i = 0; i < 64; i += 2)
        iq[i] = (int8_t)(iq[i] / 2);
    rv_csi_frame f = frame_of(iq, 64);
    for (int t = 0; t < 40; t++)
        ck_assert_int_eq(rv_csi_feat_extract(&moving, &f, om), RV_OK);
    ck_assert_msg(om[RV_CSI_FEAT_IDX_SHIFT] > before + 0.5f, "shift %f -> %f", before,
                  om[RV_CSI_FEAT_IDX_SHIFT]);
}
END_TEST


/* Dims 40..41 see the frame's overall amplitude move (which the relative
 * amplitude divides out) but not the receiver's gain steps. */
START_TEST(test_common_levels)
{
    const unsigned c0 = RV_CSI_FEAT_IDX_COMMON, c1 = RV_CSI_FEAT_IDX_COMMON_LONG;
    const float floor_level = 0.5f * (log10f(1e-7f) + 6.0f);
    rv_csi_feat_state steps, breathing, shape;
    float o[RV_CSI_FEAT_DIM];
    ck_assert_int_eq(rv_csi_feat_init(&steps, 200), RV_OK);
    ck_assert_int_eq(rv_csi_feat_init(&breathing, 200), RV_OK);
    ck_assert_int_eq(rv_csi_feat_init(&shape, 200), RV_OK);
    int8_t iq[128];
    /* static channel, gain switching by 1.5 dB every 0.5 s: no level */
    for (int t = 0; t < 2000; t++) {
        make_moving(iq, (t / 50) % 2 ? 1.0 : 0.84, 0.0, 0.0);
        rv_csi_frame f = frame_of(iq, 64);
        ck_assert_int_eq(rv_csi_feat_extract(&steps, &f, o), RV_OK);
    }
    for (unsigned d = c0; d <= RV_CSI_FEAT_IDX_CHANGE + 1u; d++)
        ck_assert_msg(o[d] < floor_level + 0.3f, "dim %u: %f", d, o[d]);
    /* every subcarrier rising and falling together by 5% at 0.3 Hz: the
     * relative amplitude (and so dims 0..39) cannot see it, dims 40..41 can */
    float ob[RV_CSI_FEAT_DIM];
    for (int t = 0; t < 2000; t++) {
        make_moving(iq, 1.0 + 0.05 * sin(2.0 * PI * 0.3 * t / 100.0), 0.0, 0.0);
        rv_csi_frame f = frame_of(iq, 64);
        ck_assert_int_eq(rv_csi_feat_extract(&breathing, &f, ob), RV_OK);
    }
    ck_assert_msg(ob[c0] > floor_level + 0.8f, "short: %f", ob[c0]);
    ck_assert_msg(ob[c1] > floor_level + 1.5f, "long: %f", ob[c1]);
    ck_assert(fabsf(ob[RV_CSI_FEAT_IDX_MICRO] - o[RV_CSI_FEAT_IDX_MICRO]) < 0.3f);
    /* a change of shape with a near-constant mean moves dims 32..39, and
     * dims 40..41 much less */
    run_moving(&shape, 2000, 1.0, 0.08, o);
    ck_assert_msg(o[c1] < ob[c1] - 0.7f, "long: %f vs %f", o[c1], ob[c1]);
    ck_assert_msg(o[RV_CSI_FEAT_IDX_LEVEL] > o[c0] + 1.0f, "%f vs %f",
                  o[RV_CSI_FEAT_IDX_LEVEL], o[c0]);
}
END_TEST

/* Features of the last of 1500 frames of a still person breathing (every
 * subcarrier +-1% at 0.3 Hz) seen with 2% receiver noise per subcarrier; with
 * `switching` the receiver changes gain by 1.5 dB every 3 frames. */
static void breathing_noisy(bool switching, float *o)
{
    rv_csi_feat_state st;
    ck_assert_int_eq(rv_csi_feat_init(&st, 0), RV_OK);
    uint32_t seed = 777;
    int8_t iq[128];
    for (int t = 0; t < 1500; t++) {
        double gain = switching && (t / 3) % 2 ? 0.84 : 1.0;
        double breath = 1.0 + 0.01 * sin(2.0 * PI * 0.3 * t / 100.0);
        make_moving_noisy(iq, gain * breath, 0.0, 0.0, &seed);
        rv_csi_frame f = frame_of(iq, 64);
        ck_assert_int_eq(rv_csi_feat_extract(&st, &f, o), RV_OK);
    }
}

/* Gain switches are taken out in whole learned steps, keeping each frame's
 * own change: the common level of a breathing person reads the same whether
 * the receiver keeps switching gain or not. Dropping the switching frames
 * instead would leave their noise out of the summed level, which then
 * random-walks far above the breathing. */
START_TEST(test_gain_steps_keep_breathing)
{
    const unsigned c0 = RV_CSI_FEAT_IDX_COMMON, c1 = RV_CSI_FEAT_IDX_COMMON_LONG;
    float plain[RV_CSI_FEAT_DIM], sw[RV_CSI_FEAT_DIM];
    breathing_noisy(false, plain);
    breathing_noisy(true, sw);
    for (unsigned d = c0; d <= c1; d++)
        ck_assert_msg(fabsf(sw[d] - plain[d]) < 0.25f, "dim %u: %f switching, %f not",
                      d, sw[d], plain[d]);
    ck_assert_msg(plain[c1] > 0.5f * (log10f(1e-7f) + 6.0f) + 0.7f, "breathing: %f", plain[c1]);
}
END_TEST

/* Features of the last of 600 frames whose common gain swings by 4% at
 * hz (frame rate 100 Hz): the change dims 42..45. */
static void common_swing(double hz, float *o)
{
    rv_csi_feat_state st;
    ck_assert_int_eq(rv_csi_feat_init(&st, 200), RV_OK);
    int8_t iq[128];
    for (int t = 0; t < 600; t++) {
        make_moving(iq, 1.0 + 0.04 * sin(2.0 * PI * hz * t / 100.0), 0.0, 0.0);
        rv_csi_frame f = frame_of(iq, 64);
        ck_assert_int_eq(rv_csi_feat_extract(&st, &f, o), RV_OK);
    }
}

/* Dims 44..45 read the fluctuation's frequency, sin^2(pi f / fs), whatever
 * its depth; dims 42..43 its energy. */
START_TEST(test_common_change)
{
    const unsigned e = RV_CSI_FEAT_IDX_CHANGE, fq = RV_CSI_FEAT_IDX_CHANGE_FREQ;
    const double hz[3] = { 2.0, 10.0, 25.0 };
    float o[3][RV_CSI_FEAT_DIM];
    for (int i = 0; i < 3; i++) {
        common_swing(hz[i], o[i]);
        double want = pow(sin(PI * hz[i] / 100.0), 2.0);
        for (unsigned d = fq; d <= fq + 1u; d++)
            ck_assert_msg(fabs(o[i][d] - want) < 0.03 + 0.1 * want,
                          "%.0f Hz dim %u: %f, want %f", hz[i], d, o[i][d], want);
    }
    /* same depth, faster swing: larger frame-to-frame change */
    ck_assert_msg(o[1][e] > o[0][e] + 0.5f, "%f vs %f", o[1][e], o[0][e]);
    ck_assert_msg(o[2][e + 1u] > o[1][e + 1u] + 0.3f, "%f vs %f", o[2][e + 1u], o[1][e + 1u]);
    /* a shape change with a constant mean hardly moves them */
    rv_csi_feat_state shape;
    float os[RV_CSI_FEAT_DIM];
    ck_assert_int_eq(rv_csi_feat_init(&shape, 200), RV_OK);
    run_moving(&shape, 600, 1.0, 0.08, os);
    ck_assert_msg(os[e + 1u] < o[1][e + 1u] - 1.0f, "%f vs %f", os[e + 1u], o[1][e + 1u]);
}
END_TEST

START_TEST(test_bad_inputs)
{
    int8_t iq[2 * 4 * 64];
    memset(iq, 0, sizeof(iq));
    make_lltf(iq, amp_shape, ph_shape);
    rv_csi_feat_state st;
    float out[RV_CSI_FEAT_DIM];
    rv_csi_frame f = frame_of(iq, 64);
    memset(&st, 0, sizeof(st));
    ck_assert_int_eq(rv_csi_feat_extract(&st, &f, out), RV_ERR_BAD_OBJECT);
    ck_assert_int_eq(rv_csi_feat_reset(&st), RV_ERR_BAD_OBJECT);
    ck_assert_int_eq(rv_csi_feat_init(NULL, 0), RV_ERR_NULL);
    rv_csi_feat_init(&st, 0);
    ck_assert_int_eq(rv_csi_feat_extract(NULL, &f, out), RV_ERR_NULL);
    ck_assert_int_eq(rv_csi_feat_extract(&st, NULL, out), RV_ERR_NULL);
    ck_assert_int_eq(rv_csi_feat_extract(&st, &f, NULL), RV_ERR_NULL);
    rv_csi_frame g = f;
    g.iq = NULL;
    ck_assert_int_eq(rv_csi_feat_extract(&st, &g, out), RV_ERR_NULL);
    g = f; g.n_antennas = 0;
    ck_assert_int_eq(rv_csi_feat_extract(&st, &g, out), RV_ERR_ANTENNAS);
    g = f; g.n_antennas = 5;
    ck_assert_int_eq(rv_csi_feat_extract(&st, &g, out), RV_ERR_ANTENNAS);
    g = f; g.n_antennas = 2;
    ck_assert_int_eq(rv_csi_feat_extract_ex(&st, &g, 2, out, NULL), RV_ERR_ARG);
    g = f; g.n_subcarriers = 0;
    ck_assert_int_eq(rv_csi_feat_extract(&st, &g, out), RV_ERR_SUBCARRIERS);
    g = f; g.n_subcarriers = 300;   /* no documented layout and above MAX_SC */
    ck_assert_int_eq(rv_csi_feat_extract(&st, &g, out), RV_ERR_SUBCARRIERS);
    g = f; g.n_subcarriers = 320;   /* five 64-point fields: no ESP-IDF layout */
    ck_assert_int_eq(rv_csi_feat_extract(&st, &g, out), RV_ERR_SUBCARRIERS);
    int8_t zero[128];
    memset(zero, 0, sizeof(zero));
    g = frame_of(zero, 64);
    out[3] = 5.0f;
    ck_assert_int_eq(rv_csi_feat_extract(&st, &g, out), RV_ERR_CSI_EMPTY);
    ck_assert(out[3] == 0.0f);               /* zero-filled on error */
    ck_assert_uint_eq(st.n_frames, 0);       /* state untouched */
    ck_assert_uint_eq(st.prev_n, 0);
    /* a generic-length frame (52, frequency order) works; mostly-zero fails */
    int8_t gen[104];
    for (int p = 0; p < 52; p++) {
        gen[2 * p] = (int8_t)(20 + p);
        gen[2 * p + 1] = (int8_t)(40 - p);
    }
    g = frame_of(gen, 52);
    ck_assert_int_eq(rv_csi_feat_extract(&st, &g, out), RV_OK);
    memset(gen + 20, 0, sizeof(gen) - 20);
    ck_assert_int_eq(rv_csi_feat_extract(&st, &g, out), RV_ERR_CSI_EMPTY);
    ck_assert_uint_eq(st.n_frames, 1);
}
END_TEST

START_TEST(test_state_features)
{
    rv_feature_state s;
    memset(&s, 0, sizeof(s));
    s.motion = 1.0f;
    s.presence = 1.5f;
    s.respiration_bpm = 15.0f;
    s.respiration_conf = 0.8f;
    s.heartbeat_bpm = 72.0f;
    s.heartbeat_conf = -1.0f;
    s.anomaly = 0.5f;
    s.env_shift = -0.25f;
    s.node_coherence = 0.9f;
    float out[RV_STATE_FEAT_DIM];
    ck_assert_int_eq(rv_state_feat_from_packet(&s, out), RV_OK);
    ck_assert(fabsf(out[0] - logf(2.0f)) < 1e-6f);
    ck_assert(out[1] == 1.0f);
    ck_assert(fabsf(out[2] - 0.5f) < 1e-6f);
    ck_assert(fabsf(out[3] - 0.8f) < 1e-6f);
    ck_assert(fabsf(out[4] - 0.72f) < 1e-6f);
    ck_assert(out[5] == 0.0f);
    ck_assert(fabsf(out[6] - tanhf(0.5f)) < 1e-6f);
    ck_assert(fabsf(out[7] - tanhf(-0.25f)) < 1e-6f);
    ck_assert(fabsf(out[8] - 0.9f) < 1e-6f);
    s.respiration_bpm = 500.0f;
    ck_assert_int_eq(rv_state_feat_from_packet(&s, out), RV_OK);
    ck_assert(fabsf(out[2] - 2.0f) < 1e-6f);
    s.heartbeat_bpm = INFINITY;
    ck_assert_int_eq(rv_state_feat_from_packet(&s, out), RV_ERR_NOT_FINITE);
    ck_assert(out[0] == 0.0f);
    ck_assert_int_eq(rv_state_feat_from_packet(NULL, out), RV_ERR_NULL);
    ck_assert_int_eq(rv_state_feat_from_packet(&s, NULL), RV_ERR_NULL);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("csi_features");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_reorder);
    tcase_add_test(tc, test_imag_real_order);
    tcase_add_test(tc, test_unwrap);
    tcase_add_test(tc, test_sanitize_recovers_shape);
    tcase_add_test(tc, test_extract_basic_and_guards);
    tcase_add_test(tc, test_extract_uses_ht_ltf);
    tcase_add_test(tc, test_extract_other_layouts);
    tcase_add_test(tc, test_extract_mixed_counts);
    tcase_add_test(tc, test_determinism_and_motion);
    tcase_add_test(tc, test_motion_levels);
    tcase_add_test(tc, test_common_levels);
    tcase_add_test(tc, test_common_change);
    tcase_add_test(tc, test_gain_steps_keep_breathing);
    tcase_add_test(tc, test_bad_inputs);
    tcase_add_test(tc, test_state_features);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
