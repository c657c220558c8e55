/*
 * rv_csi_features.c — one CSI frame (one antenna) -> RV_CSI_FEAT_DIM floats
 * with per-stream running normalisation, and the feature-state mapping.
 * Maths in docs/features.md; contract in rv_csi_features.h.
 */
#include <math.h>
#include <string.h>

#include "rv_csi_features.h"
#include "rv_csi_layout.h"

#define FEAT_MAGIC      0x52564654u /* "RVFT" */
#define LAYOUT_GENERIC  0x100u      /* beside the rv_csi_field values */
#define VAR_FLOOR_AMP   1e-4f       /* (0.01 relative amplitude)^2 */
#define VAR_FLOOR_PHASE 1e-3f       /* (0.03 rad)^2 */
#define ENERGY_EPS      1e-5f
#define LEVEL_EPS       1e-7f
#define RV_PI_F         3.14159265358979f
#define RV_TWO_PI_F     6.28318530717959f

size_t rv_csi_feat_state_size(void)
{
    return sizeof(rv_csi_feat_state);
}

rv_status rv_csi_feat_init(rv_csi_feat_state *st, uint32_t tau_frames)
{
    if (!st)
        return RV_ERR_NULL;
    memset(st, 0, sizeof(*st));
    st->magic = FEAT_MAGIC;
    st->tau_frames = tau_frames ? tau_frames : RV_CSI_FEAT_DEFAULT_TAU;
    return RV_OK;
}

rv_status rv_csi_feat_reset(rv_csi_feat_state *st)
{
    if (!st)
        return RV_ERR_NULL;
    if (st->magic != FEAT_MAGIC)
        return RV_ERR_BAD_OBJECT;
    return rv_csi_feat_init(st, st->tau_frames);
}

/* Scratch for one frame: the used subcarriers in frequency order. ~3.3 KB
 * of stack at MAX_SC 256; load_frame adds the layout (~1.5 KB). */
typedef struct {
    uint32_t n;
    uint16_t layout;                /* rv_csi_field, or LAYOUT_GENERIC */
    float    amp[RV_CSI_FEAT_MAX_SC];
    float    phase[RV_CSI_FEAT_MAX_SC];
    float    x[RV_CSI_FEAT_MAX_SC];
    uint8_t  valid[RV_CSI_FEAT_MAX_SC];
} frame_scratch;

/* A documented layout (rv_csi_layout.h): its informative subcarriers, x = k. */
static void load_layout(const int8_t *iq, const rv_csi_layout *l, frame_scratch *s)
{
    s->n = l->n_sc;
    s->layout = (uint16_t)l->field;
    for (uint32_t i = 0; i < l->n_sc; i++) {
        const int8_t *pair = iq + 2u * (size_t)l->sc[i].index;
        rv_csi_amplitude(pair, 1, &s->amp[i]);
        rv_csi_phase_raw(pair, 1, &s->phase[i]);
        s->x[i] = (float)l->sc[i].k;
        s->valid[i] = s->amp[i] > 0.0f ? 1u : 0u;
    }
}

/* Any other count up to RV_CSI_FEAT_MAX_SC: one frequency axis centred at
 * n/2; nulls and guards recognised by their amplitude. */
static void load_generic(const int8_t *iq, uint32_t n_sc, frame_scratch *s)
{
    s->n = n_sc;
    s->layout = LAYOUT_GENERIC;
    rv_csi_amplitude(iq, n_sc, s->amp);
    rv_csi_phase_raw(iq, n_sc, s->phase);
    const int32_t centre = (int32_t)(n_sc / 2u);
    float mean_all = 0.0f;
    for (uint32_t j = 0; j < n_sc; j++) {
        s->x[j] = (float)((int32_t)j - centre);
        mean_all += s->amp[j];
    }
    mean_all /= (float)n_sc;
    for (uint32_t j = 0; j < n_sc; j++)
        s->valid[j] = s->amp[j] > 0.0f && s->amp[j] >= RV_CSI_FEAT_NULL_FRAC * mean_all;
}

static rv_status load_frame(const rv_csi_frame *f, uint8_t antenna, frame_scratch *s)
{
    const uint32_t n_sc = f->n_subcarriers;
    const int8_t *iq = f->iq + 2u * (size_t)antenna * n_sc;
    rv_csi_layout layout;
    if (rv_csi_layout_get(n_sc, &layout) == RV_OK)
        load_layout(iq, &layout, s);
    else if (n_sc <= RV_CSI_FEAT_MAX_SC)
        load_generic(iq, n_sc, s);
    else
        return RV_ERR_SUBCARRIERS;
    uint32_t nv = 0;
    for (uint32_t j = 0; j < s->n; j++)
        nv += s->valid[j];
    if (nv < RV_CSI_FEAT_MIN_VALID)
        return RV_ERR_CSI_EMPTY;
    return rv_csi_phase_sanitize(s->phase, s->x, s->valid, s->n, NULL, NULL);
}

static float energy_scale(float e)
{
    return 0.5f * (log10f(e + ENERGY_EPS) + 3.0f);
}

/* Variances of relative amplitude span ~1e-6 (receiver noise after band
 * averaging) to ~1e-2 (walking near the link); this maps them to ~-1..2. */
static float level_scale(float v)
{
    return 0.5f * (log10f(v + LEVEL_EPS) + 6.0f);
}

/* Running-mean weight: 1/tau, but an exact average over the first frames. */
static float ema_alpha(uint32_t tau, uint32_t n_frames)
{
    float a = 1.0f / (float)tau;
    float warm = 1.0f / (float)(n_frames + 1u);
    return warm > a ? warm : a;
}

/* One exponentially weighted mean/variance step (West's update). */
static void ema_update(float *mean, float *var, float x, float alpha, bool first)
{
    if (first) {
        *mean = x;
        *var = 0.0f;
        return;
    }
    float diff = x - *mean;
    *mean += alpha * diff;
    *var = (1.0f - alpha) * (*var + alpha * diff * diff);
}

/* Dims 32..39 from this frame's band values feat[0..12] and the running
 * state st->lv (read only here; next receives the updated state). The band
 * amplitude is low-passed first (RV_CSI_FEAT_TAU_LP) so that receiver noise,
 * white up to the frame rate, sits well below body motion (< ~10 Hz). */
static void motion_levels(const rv_csi_feat_state *st, rv_csi_feat_levels *next, float *feat)
{
    const rv_csi_feat_levels *cur = &st->lv;
    const bool first = st->n_frames == 0;
    const float alp = ema_alpha(RV_CSI_FEAT_TAU_LP, st->n_frames);
    const float af = ema_alpha(RV_CSI_FEAT_TAU_FAST, st->n_frames);
    const float as = ema_alpha(RV_CSI_FEAT_TAU_SHORT, st->n_frames);
    const float am = ema_alpha(RV_CSI_FEAT_TAU_MID, st->n_frames);
    const float al = ema_alpha(RV_CSI_FEAT_TAU_LONG, st->n_frames);
    const float als = ema_alpha(RV_CSI_FEAT_TAU_LP_SLOW, st->n_frames);
    float fast = 0.0f, mid = 0.0f, lng = 0.0f, shift = 0.0f;
    for (uint32_t b = 0; b < RV_CSI_FEAT_BANDS; b++) {
        float lp = first ? feat[b] : cur->lp[b] + alp * (feat[b] - cur->lp[b]);
        next->lp[b] = lp;
        ema_update(&next->f_mean[b], &next->f_var[b], lp, af, first);
        ema_update(&next->s_mean[b], &next->s_var[b], lp, as, first);
        ema_update(&next->m_mean[b], &next->m_var[b], lp, am, first);
        float sl = first ? feat[b] : cur->lp_slow[b] + als * (feat[b] - cur->lp_slow[b]);
        next->lp_slow[b] = sl;
        ema_update(&next->l_mean[b], &next->l_var[b], sl, al, first);
        fast += next->f_var[b];
        mid += next->m_var[b];
        lng += next->l_var[b];
        /* slow baseline: the tau_frames mean used for z-scoring */
        float dv = next->s_mean[b] - (first ? feat[b] : st->mean[b]);
        shift += dv * dv;
    }
    for (uint32_t g = 0; g < RV_CSI_FEAT_LEVEL_GROUPS; g++) {
        uint32_t b0 = (g * RV_CSI_FEAT_BANDS) / RV_CSI_FEAT_LEVEL_GROUPS;
        uint32_t b1 = ((g + 1u) * RV_CSI_FEAT_BANDS) / RV_CSI_FEAT_LEVEL_GROUPS;
        float v = 0.0f;
        for (uint32_t b = b0; b < b1; b++)
            v += next->s_var[b];
        feat[RV_CSI_FEAT_IDX_LEVEL + g] = level_scale(v / (float)(b1 - b0));
    }
    const float nb = (float)RV_CSI_FEAT_BANDS;
    feat[RV_CSI_FEAT_IDX_LEVEL_MID] = level_scale(mid / nb);
    feat[RV_CSI_FEAT_IDX_MICRO] = level_scale(lng / nb);
    feat[RV_CSI_FEAT_IDX_LEVEL_FAST] = level_scale(fast / nb);
    feat[RV_CSI_FEAT_IDX_SHIFT] = level_scale(shift / nb);
}

/* One step of a running mean with the levels' warm-up; 0 before any frame. */
static float mean_step(float cur, float x, float alpha, bool first)
{
    return first ? 0.0f : cur + alpha * (x - cur);
}

/* Dims 42..45 from d, this frame's change of the common level (gain steps
 * already taken out). The levels above low-pass before their variance and so
 * keep only slow motion; a moving body modulates the common level at its
 * Doppler rate, ~4..50 Hz at 2.4 GHz for 0.25..3 m/s of path change, which d
 * keeps. For a fluctuation at frequency f sampled at rate fs the second
 * difference has 4 sin^2(pi f / fs) times the energy of the first, so their
 * ratio / 4 tells a fast hand or a fall from a slow sit-down whatever the
 * depth of the modulation, which depends on where the body is. White
 * receiver noise gives 3/4. */
static void change_levels(const rv_csi_feat_state *st, rv_csi_feat_levels *next, float d,
                          float *feat)
{
    const rv_csi_feat_levels *cur = &st->lv;
    const bool first = st->n_frames == 0;
    const float af = ema_alpha(RV_CSI_FEAT_TAU_FAST, st->n_frames);
    const float as = ema_alpha(RV_CSI_FEAT_TAU_SHORT, st->n_frames);
    const float dd = d - cur->c_d_prev;
    next->c_d_prev = d;
    next->c_d2_fast = mean_step(cur->c_d2_fast, d * d, af, first);
    next->c_dd2_fast = mean_step(cur->c_dd2_fast, dd * dd, af, first);
    next->c_d2_short = mean_step(cur->c_d2_short, d * d, as, first);
    next->c_dd2_short = mean_step(cur->c_dd2_short, dd * dd, as, first);
    feat[RV_CSI_FEAT_IDX_CHANGE] = level_scale(next->c_d2_fast);
    feat[RV_CSI_FEAT_IDX_CHANGE + 1u] = level_scale(next->c_d2_short);
    feat[RV_CSI_FEAT_IDX_CHANGE_FREQ] =
        0.25f * next->c_dd2_fast / (next->c_d2_fast + LEVEL_EPS);
    feat[RV_CSI_FEAT_IDX_CHANGE_FREQ + 1u] =
        0.25f * next->c_dd2_short / (next->c_d2_short + LEVEL_EPS);
}

/* d is a gain switch plus the frame's own change. Receivers switch gain in
 * fixed steps: when |d| is within RV_CSI_FEAT_GAIN_STEP_TOL of a whole number
 * of the step learned so far (*step, 0 = none yet), those steps are taken
 * out and the rest kept, and the step estimate is refined; anything else is
 * dropped. Dropping every switch would lose the receiver noise of each such
 * frame for good: the summed level then random-walks, and in a room where
 * the gain keeps switching that walk hides a still person's breathing. */
static float remove_gain_steps(float d, float *step)
{
    const float a = fabsf(d);
    if (*step <= 0.0f || a < *step - RV_CSI_FEAT_GAIN_STEP_TOL) {
        *step = a;                      /* first switch, or a smaller step */
        return 0.0f;
    }
    const float k = floorf(a / *step + 0.5f);
    const float rest = a - k * *step;
    if (fabsf(rest) > RV_CSI_FEAT_GAIN_STEP_TOL)
        return 0.0f;
    *step += (a / k - *step) * RV_CSI_FEAT_GAIN_STEP_RATE;
    return d > 0.0f ? rest : -rest;
}

/* Dims 40..41: how much the frame's overall amplitude moves. The relative
 * amplitude divides this common mode out (with the receiver's gain control),
 * yet most of what a body does to a link is common to all subcarriers. c is
 * log10 of the mean amplitude; a change larger than RV_CSI_FEAT_GAIN_JUMP in
 * one frame is the receiver switching gain (bodies change the channel
 * smoothly), whose whole steps are taken out (remove_gain_steps); the
 * changes are summed with a leak of 1/tau_frames and their low-passed
 * level's running variance is taken. */
static void common_levels(const rv_csi_feat_state *st, rv_csi_feat_levels *next, float c,
                          bool has_prev, float *feat)
{
    const rv_csi_feat_levels *cur = &st->lv;
    const bool first = st->n_frames == 0;
    float d = has_prev ? c - cur->c_prev : 0.0f;
    next->c_step = cur->c_step;
    if (d > RV_CSI_FEAT_GAIN_JUMP || d < -RV_CSI_FEAT_GAIN_JUMP)
        d = remove_gain_steps(d, &next->c_step);
    const float track = first ? 0.0f
                              : cur->c_track * (1.0f - 1.0f / (float)st->tau_frames) + d;
    next->c_prev = c;
    next->c_track = track;
    const float alp = ema_alpha(RV_CSI_FEAT_TAU_LP, st->n_frames);
    const float als = ema_alpha(RV_CSI_FEAT_TAU_LP_SLOW, st->n_frames);
    next->c_lp = first ? track : cur->c_lp + alp * (track - cur->c_lp);
    next->c_lp_slow = first ? track : cur->c_lp_slow + als * (track - cur->c_lp_slow);
    ema_update(&next->c_s_mean, &next->c_s_var, next->c_lp,
               ema_alpha(RV_CSI_FEAT_TAU_SHORT, st->n_frames), first);
    ema_update(&next->c_l_mean, &next->c_l_var, next->c_lp_slow,
               ema_alpha(RV_CSI_FEAT_TAU_LONG, st->n_frames), first);
    feat[RV_CSI_FEAT_IDX_COMMON] = level_scale(next->c_s_var);
    feat[RV_CSI_FEAT_IDX_COMMON_LONG] = level_scale(next->c_l_var);
    change_levels(st, next, d, feat);
}

static float wrap_pi(float d)
{
    return d - RV_TWO_PI_F * floorf((d + RV_PI_F) / RV_TWO_PI_F);
}

rv_status rv_csi_feat_extract_ex(rv_csi_feat_state *st, const rv_csi_frame *f,
                                 uint8_t antenna, float *out, float *raw)
{
    if (out)
        memset(out, 0, RV_CSI_FEAT_DIM * sizeof(float));
    if (raw)
        memset(raw, 0, RV_CSI_FEAT_DIM * sizeof(float));
    if (!st || !f || !out || !f->iq)
        return RV_ERR_NULL;
    if (st->magic != FEAT_MAGIC)
        return RV_ERR_BAD_OBJECT;
    if (f->n_antennas == 0 || f->n_antennas > RV_CSI_MAX_ANTENNAS)
        return RV_ERR_ANTENNAS;
    if (antenna >= f->n_antennas)
        return RV_ERR_ARG;
    if (f->n_subcarriers == 0 || f->n_subcarriers > RV_CSI_MAX_SUBCARRIERS)
        return RV_ERR_SUBCARRIERS;

    frame_scratch s;
    rv_status rc = load_frame(f, antenna, &s);
    if (rc != RV_OK)
        return rc;

    float feat[RV_CSI_FEAT_DIM];
    memset(feat, 0, sizeof(feat));

    /* Relative amplitude: divide by the mean over valid subcarriers (AGC). */
    float amean = 0.0f;
    uint32_t nv = 0;
    for (uint32_t j = 0; j < s.n; j++)
        if (s.valid[j]) {
            amean += s.amp[j];
            nv++;
        }
    amean /= (float)nv;
    float sel = 0.0f;
    for (uint32_t j = 0; j < s.n; j++) {
        s.amp[j] = s.valid[j] ? s.amp[j] / amean : 0.0f;
        if (s.valid[j])
            sel += (s.amp[j] - 1.0f) * (s.amp[j] - 1.0f);
    }

    /* Bands: valid subcarriers in frequency order, split by rank. */
    uint32_t rank = 0;
    uint32_t cnt[RV_CSI_FEAT_BANDS];
    memset(cnt, 0, sizeof(cnt));
    for (uint32_t j = 0; j < s.n; j++) {
        if (!s.valid[j])
            continue;
        uint32_t b = (rank * RV_CSI_FEAT_BANDS) / nv;
        feat[b] += s.amp[j];
        feat[RV_CSI_FEAT_BANDS + b] += s.phase[j];
        cnt[b]++;
        rank++;
    }
    for (uint32_t b = 0; b < RV_CSI_FEAT_BANDS; b++) {
        feat[b] /= (float)cnt[b];       /* cnt >= 1: nv >= MIN_VALID = bands */
        feat[RV_CSI_FEAT_BANDS + b] /= (float)cnt[b];
    }

    /* Temporal change energies against the previous frame of this stream. */
    float ea = 0.0f, ep = 0.0f;
    const bool has_prev = st->prev_n == s.n && st->prev_layout == s.layout;
    if (has_prev) {
        uint32_t m = 0;
        for (uint32_t j = 0; j < s.n; j++) {
            if (!s.valid[j] || !st->prev_valid[j])
                continue;
            float da = s.amp[j] - st->prev_amp[j];
            float dp = wrap_pi(s.phase[j] - st->prev_phase[j]);
            ea += da * da;
            ep += dp * dp;
            m++;
        }
        if (m) {
            ea /= (float)m;
            ep /= (float)m;
        }
    }
    feat[RV_CSI_FEAT_IDX_MOTION] = energy_scale(ea);
    feat[RV_CSI_FEAT_IDX_PMOTION] = energy_scale(ep);
    feat[RV_CSI_FEAT_IDX_RSSI] = ((float)f->rssi + 60.0f) / 20.0f;
    feat[RV_CSI_FEAT_IDX_SNR] = ((float)f->rssi - (float)f->noise_floor - 40.0f) / 20.0f;
    feat[RV_CSI_FEAT_IDX_SELECT] = sqrtf(sel / (float)nv);

    /* Motion levels into a copy of their state, committed with the rest. */
    rv_csi_feat_levels lv = st->lv;
    motion_levels(st, &lv, feat);
    common_levels(st, &lv, log10f(amean > 1e-6f ? amean : 1e-6f), has_prev, feat);

    /* z-score dims 0..25 against the stats before this frame, then update. */
    float alpha = 1.0f / (float)st->tau_frames;
    float warm = 1.0f / (float)(st->n_frames + 1u);
    if (warm > alpha)
        alpha = warm;
    float dev = 0.0f;
    for (uint32_t d = 0; d < RV_CSI_FEAT_NORM_DIMS; d++) {
        float floor_v = d < RV_CSI_FEAT_BANDS ? VAR_FLOOR_AMP : VAR_FLOOR_PHASE;
        float z = 0.0f;
        if (st->n_frames > 0) {
            z = (feat[d] - st->mean[d]) / sqrtf(st->var[d] + floor_v);
            if (z > RV_CSI_FEAT_Z_CLAMP)
                z = RV_CSI_FEAT_Z_CLAMP;
            if (z < -RV_CSI_FEAT_Z_CLAMP)
                z = -RV_CSI_FEAT_Z_CLAMP;
        }
        out[d] = z;
        if (d < RV_CSI_FEAT_BANDS)
            dev += z * z;
    }
    feat[RV_CSI_FEAT_IDX_BASEDEV] = sqrtf(dev / (float)RV_CSI_FEAT_BANDS);
    for (uint32_t d = RV_CSI_FEAT_NORM_DIMS; d < RV_CSI_FEAT_DIM; d++)
        out[d] = feat[d];
    for (uint32_t d = 0; d < RV_CSI_FEAT_DIM; d++)
        if (!isfinite(out[d]) || !isfinite(feat[d])) {
            memset(out, 0, RV_CSI_FEAT_DIM * sizeof(float));
            return RV_ERR_INTERNAL;
        }
    if (raw)
        memcpy(raw, feat, sizeof(feat));

    /* Commit state only once everything succeeded. */
    for (uint32_t d = 0; d < RV_CSI_FEAT_NORM_DIMS; d++) {
        float diff = feat[d] - st->mean[d];
        if (st->n_frames == 0) {
            st->mean[d] = feat[d];
            st->var[d] = 0.0f;
        } else {
            st->mean[d] += alpha * diff;
            st->var[d] = (1.0f - alpha) * (st->var[d] + alpha * diff * diff);
        }
    }
    st->lv = lv;
    if (st->n_frames < UINT32_MAX)
        st->n_frames++;
    st->prev_n = (uint16_t)s.n;
    st->prev_layout = s.layout;
    memcpy(st->prev_amp, s.amp, s.n * sizeof(float));
    memcpy(st->prev_phase, s.phase, s.n * sizeof(float));
    memcpy(st->prev_valid, s.valid, s.n);
    return RV_OK;
}

rv_status rv_csi_feat_extract(rv_csi_feat_state *st, const rv_csi_frame *f, float *out)
{
    return rv_csi_feat_extract_ex(st, f, 0, out, NULL);
}

static float clampf(float v, float lo, float hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

rv_status rv_state_feat_from_packet(const rv_feature_state *s, float *out)
{
    if (!out)
        return RV_ERR_NULL;
    memset(out, 0, RV_STATE_FEAT_DIM * sizeof(float));
    if (!s)
        return RV_ERR_NULL;
    const float in[RV_STATE_FEAT_DIM] = {
        s->motion, s->presence, s->respiration_bpm, s->respiration_conf,
        s->heartbeat_bpm, s->heartbeat_conf, s->anomaly, s->env_shift,
        s->node_coherence
    };
    for (uint32_t i = 0; i < RV_STATE_FEAT_DIM; i++)
        if (!isfinite(in[i]))
            return RV_ERR_NOT_FINITE;
    out[0] = log1pf(s->motion > 0.0f ? s->motion : 0.0f);
    out[1] = clampf(s->presence, 0.0f, 1.0f);
    out[2] = clampf(s->respiration_bpm, 0.0f, 60.0f) / 30.0f;
    out[3] = clampf(s->respiration_conf, 0.0f, 1.0f);
    out[4] = clampf(s->heartbeat_bpm, 0.0f, 240.0f) / 100.0f;
    out[5] = clampf(s->heartbeat_conf, 0.0f, 1.0f);
    out[6] = tanhf(s->anomaly);
    out[7] = tanhf(s->env_shift);
    out[8] = clampf(s->node_coherence, 0.0f, 1.0f);
    return RV_OK;
}
