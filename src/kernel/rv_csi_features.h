/*
 * rv_csi_features.h — CSI feature extraction for the temporal head.
 *
 * Contract (maths in docs/features.md):
 *  - I/Q pairs are (imaginary, real) int8, as ESP-IDF documents them.
 *  - Which pairs are used comes from the frame's pair count per antenna:
 *    counts with a documented ESP-IDF layout (rv_csi_layout.h: 64 = LLTF,
 *    128/192 = LLTF + HT-LTF (+ STBC-HT-LTF), 256 = HE-LTF, 384 = HT40, and
 *    the ESP32-C5's trimmed 53/57/114/117/234/245) use the informative tones
 *    of one field, the HT/HE field where the frame has one, in frequency
 *    order (x = subcarrier number). 64-pair frames use the LLTF's 52 tones
 *    1 <= |k| <= 26, exactly as feature layout 1 was defined.
 *  - Any other count n <= RV_CSI_FEAT_MAX_SC is taken as already in
 *    frequency order, centred at n/2; subcarriers whose amplitude is below
 *    RV_CSI_FEAT_NULL_FRAC of the frame's mean are nulls/guards. Larger
 *    counts without a layout return RV_ERR_SUBCARRIERS.
 *  - Phase: unwrapped across valid subcarriers in frequency order, then the
 *    least-squares line over subcarrier index (STO slope + CFO/PLL offset)
 *    is removed.
 *  - rv_csi_feat_extract() reduces one antenna of one frame to
 *    RV_CSI_FEAT_DIM floats (layout below), updating a caller-owned
 *    per-stream state (one state per node and antenna). Deterministic, no
 *    allocation, no statics.
 *
 * Feature layout (RV_CSI_FEAT_DIM = 46):
 *   [0..12]  amplitude of 13 subcarrier bands, relative to the frame mean
 *            (AGC-invariant), z-scored by the stream's running mean/variance
 *   [13..25] sanitised phase of the same bands, z-scored likewise
 *   [26]     amplitude change energy vs the previous frame (motion), log scale
 *   [27]     sanitised-phase change energy vs the previous frame, log scale
 *   [28]     RSSI, (rssi + 60) / 20
 *   [29]     SNR, (rssi - noise_floor - 40) / 20
 *   [30]     frequency selectivity: std of relative amplitude across subcarriers
 *   [31]     baseline deviation: RMS of the amplitude-band z-scores [0..12]
 *   Dims 32..45 are NOT normalised per stream (they carry the motion
 *   level itself). 32..39 are running variances (log scale) of the
 *   low-passed (RV_CSI_FEAT_TAU_LP) relative band amplitude:
 *   [32..35] short window (RV_CSI_FEAT_TAU_SHORT), mean over 4 band groups
 *   [36]     mid window (RV_CSI_FEAT_TAU_MID), mean over bands
 *   [37]     long window (RV_CSI_FEAT_TAU_LONG), mean over bands: micro-motion
 *   [38]     fast window (RV_CSI_FEAT_TAU_FAST), mean over bands: onsets
 *   [39]     baseline shift: mean over bands of (short-window mean - slow
 *            tau_frames mean)^2
 *   [40..41] common-mode level: running variance of the frame's log mean
 *            amplitude with the receiver's gain steps (jumps above
 *            RV_CSI_FEAT_GAIN_JUMP per frame) taken out, short window and
 *            long window (as [32..35] and [37]); not normalised per stream
 *   [42..43] common-mode change energy: running mean of the squared
 *            frame-to-frame change of that level, fast and short window;
 *            keeps the Doppler band (~4..50 Hz) the low-passed levels drop
 *   [44..45] common-mode change frequency: sin^2(pi f / frame rate) of the
 *            dominant fluctuation, from the ratio of second- to first-
 *            difference energy, fast and short window (0 still, 1 Nyquist)
 *
 * Feature-state packets (0xC5110006) map to RV_STATE_FEAT_DIM = 9 floats
 * with rv_state_feat_from_packet() (scaling in docs/features.md).
 */
#ifndef RV_CSI_FEATURES_H
#define RV_CSI_FEATURES_H

#include "rv_base.h"
#include "rv_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_CSI_FEAT_DIM          46u
/* Layout numbers: bump when the meaning of any dim changes, even at the same
 * dimension. Models declare the layout they were trained on (.rvne INPT
 * section) and rvtemporalhead refuses a mismatch (docs/features.md §5). */
#define RV_CSI_FEAT_LAYOUT       1u
#define RV_STATE_FEAT_LAYOUT     1u
#define RV_CSI_FEAT_BANDS        13u
#define RV_CSI_FEAT_NORM_DIMS    26u   /* dims 0..25 are z-scored */
#define RV_CSI_FEAT_IDX_MOTION   26u
#define RV_CSI_FEAT_IDX_PMOTION  27u
#define RV_CSI_FEAT_IDX_RSSI     28u
#define RV_CSI_FEAT_IDX_SNR      29u
#define RV_CSI_FEAT_IDX_SELECT   30u
#define RV_CSI_FEAT_IDX_BASEDEV  31u
#define RV_CSI_FEAT_IDX_LEVEL    32u   /* 4 band groups: 32..35 */
#define RV_CSI_FEAT_LEVEL_GROUPS 4u
#define RV_CSI_FEAT_IDX_LEVEL_MID  36u
#define RV_CSI_FEAT_IDX_MICRO      37u
#define RV_CSI_FEAT_IDX_LEVEL_FAST 38u
#define RV_CSI_FEAT_IDX_SHIFT      39u
#define RV_CSI_FEAT_IDX_COMMON     40u   /* short window */
#define RV_CSI_FEAT_IDX_COMMON_LONG 41u  /* long window */
#define RV_CSI_FEAT_IDX_CHANGE     42u   /* fast window; 43: short window */
#define RV_CSI_FEAT_IDX_CHANGE_FREQ 44u  /* fast window; 45: short window */
#define RV_STATE_FEAT_DIM        9u

#define RV_CSI_LLTF_SC           64u   /* one training field */
#define RV_CSI_LLTF_EDGE         26    /* valid LLTF subcarriers: 1 <= |k| <= 26 */
#define RV_CSI_FEAT_MAX_SC       256u  /* longest frame without a documented layout, and
                                          most subcarriers one frame yields */
#define RV_CSI_FEAT_NULL_FRAC    0.05f /* generic layout: null if amp < frac * mean */
#define RV_CSI_FEAT_DEFAULT_TAU  1000u /* frames; 10 s at 100 Hz */
#define RV_CSI_FEAT_MIN_VALID    13u   /* fewer valid subcarriers -> RV_ERR_CSI_EMPTY */
#define RV_CSI_FEAT_Z_CLAMP      8.0f  /* |z| is clamped to this */
#define RV_CSI_FEAT_TAU_LP       4u    /* frames; low-pass before the levels */
#define RV_CSI_FEAT_TAU_FAST     8u    /* frames; the level windows ... */
#define RV_CSI_FEAT_TAU_SHORT    32u
#define RV_CSI_FEAT_TAU_MID      96u
#define RV_CSI_FEAT_TAU_LONG     300u  /* ... long enough for a breath */
#define RV_CSI_FEAT_TAU_LP_SLOW  25u   /* frames; low-pass for the long window:
                                          keeps breathing (< 0.5 Hz), drops noise */
#define RV_CSI_FEAT_GAIN_JUMP    0.05f /* log10 amplitude (1 dB) per frame: a larger
                                          change of the mean is a receiver gain
                                          step, not a body */
#define RV_CSI_FEAT_GAIN_STEP_TOL 0.02f /* log10: a switch within this of whole
                                           learned steps keeps its remainder */
#define RV_CSI_FEAT_GAIN_STEP_RATE 0.0625f /* refinement weight per switch */

/* Running state of the un-normalised motion levels (dims 32..45). */
typedef struct {
    float lp[RV_CSI_FEAT_BANDS];          /* low-passed band amplitude */
    float f_mean[RV_CSI_FEAT_BANDS], f_var[RV_CSI_FEAT_BANDS]; /* of lp, TAU_FAST */
    float s_mean[RV_CSI_FEAT_BANDS], s_var[RV_CSI_FEAT_BANDS]; /* TAU_SHORT */
    float m_mean[RV_CSI_FEAT_BANDS], m_var[RV_CSI_FEAT_BANDS]; /* TAU_MID */
    float lp_slow[RV_CSI_FEAT_BANDS];     /* band amplitude low-passed harder */
    float l_mean[RV_CSI_FEAT_BANDS], l_var[RV_CSI_FEAT_BANDS]; /* of lp_slow, TAU_LONG */
    float c_prev;                         /* log10 mean amplitude, previous frame */
    float c_track;                        /* common level without gain steps */
    float c_lp, c_s_mean, c_s_var;        /* its low-pass, TAU_SHORT stats */
    float c_lp_slow, c_l_mean, c_l_var;   /* TAU_LONG stats */
    float c_step;                         /* receiver gain step learned (log10) */
    float c_d_prev;                       /* its change in the previous frame */
    float c_d2_fast, c_dd2_fast;          /* mean squared 1st / 2nd difference, TAU_FAST */
    float c_d2_short, c_dd2_short;        /* the same, TAU_SHORT */
} rv_csi_feat_levels;

/*
 * Per-stream state. Plain struct: allocate it anywhere (sizeof, or
 * rv_csi_feat_state_size()) and call rv_csi_feat_init() before use. Fields
 * are private to rv_csi_features.c.
 */
typedef struct {
    uint32_t magic;
    uint32_t tau_frames;
    uint32_t n_frames;            /* frames folded into the running stats */
    uint16_t prev_n;              /* subcarriers in prev_* (0 = no previous frame) */
    uint16_t prev_layout;         /* field (rv_csi_field) of the previous frame */
    float    prev_amp[RV_CSI_FEAT_MAX_SC];   /* relative amplitude, frequency order */
    float    prev_phase[RV_CSI_FEAT_MAX_SC]; /* sanitised phase, frequency order */
    uint8_t  prev_valid[RV_CSI_FEAT_MAX_SC];
    float    mean[RV_CSI_FEAT_NORM_DIMS];
    float    var[RV_CSI_FEAT_NORM_DIMS];
    rv_csi_feat_levels lv;
} rv_csi_feat_state;

size_t    rv_csi_feat_state_size(void);
/* tau_frames: time constant of the running mean/variance in frames (>= 1);
 * 0 selects RV_CSI_FEAT_DEFAULT_TAU. */
rv_status rv_csi_feat_init(rv_csi_feat_state *st, uint32_t tau_frames);
/* Forget previous frames and statistics (keeps tau). */
rv_status rv_csi_feat_reset(rv_csi_feat_state *st);

/* Antenna 0 of f -> out[RV_CSI_FEAT_DIM]. */
rv_status rv_csi_feat_extract(rv_csi_feat_state *st, const rv_csi_frame *f, float *out);
/* Any antenna; raw (optional, may be NULL) receives the same layout before
 * z-scoring of dims 0..25 (dims 26..41 are identical in both). On error the
 * state is unchanged and out/raw are zero-filled. */
rv_status rv_csi_feat_extract_ex(rv_csi_feat_state *st, const rv_csi_frame *f,
                                 uint8_t antenna, float *out, float *raw);

/* ---- lower-level pieces, usable on their own ---- */

/* Swap the halves of every 64-pair block of (imag, real) pairs: buffer
 * order 0..31,-32..-1 -> frequency order -32..31. n_pairs % 64 == 0.
 * in and out must not overlap. */
rv_status rv_csi_lltf_reorder(const int8_t *iq, uint32_t n_pairs, int8_t *out);
/* amp[p] = sqrt(real^2 + imag^2) of (imag, real) pairs. */
rv_status rv_csi_amplitude(const int8_t *iq, uint32_t n_pairs, float *amp);
/* phase[p] = atan2(imag, real) in (-pi, pi] of (imag, real) pairs. */
rv_status rv_csi_phase_raw(const int8_t *iq, uint32_t n_pairs, float *phase);
/* Unwrap in place across the valid entries (in array order); invalid ones
 * (valid[p] == 0) are skipped and left untouched. valid may be NULL (all). */
rv_status rv_csi_phase_unwrap(float *phase, const uint8_t *valid, uint32_t n);
/* Unwrap, then subtract the least-squares line phase = slope * x + offset
 * fitted over the valid entries (x = subcarrier index). Invalid entries are
 * set to 0. Needs >= 2 valid entries with distinct x (else RV_ERR_CSI_EMPTY).
 * slope/offset (may be NULL) receive the removed line. */
rv_status rv_csi_phase_sanitize(float *phase, const float *x, const uint8_t *valid,
                                uint32_t n, float *slope, float *offset);

/* Feature-state packet -> RV_STATE_FEAT_DIM floats:
 *   [0] log1p(max(motion, 0))        [5] clamp(heartbeat_conf, 0, 1)
 *   [1] clamp(presence, 0, 1)        [6] tanh(anomaly)
 *   [2] respiration_bpm / 30         [7] tanh(env_shift)
 *   [3] clamp(respiration_conf, 0, 1) [8] clamp(node_coherence, 0, 1)
 *   [4] heartbeat_bpm / 100
 * bpm values are clamped to [0, 60] and [0, 240] first. Non-finite input
 * -> RV_ERR_NOT_FINITE and out zero-filled. */
rv_status rv_state_feat_from_packet(const rv_feature_state *s, float *out);

#ifdef __cplusplus
}
#endif
#endif /* RV_CSI_FEATURES_H */
