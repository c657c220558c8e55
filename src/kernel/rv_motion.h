/*
 * rv_motion.h — calibrated motion detector for one CSI stream (node,
 * antenna), made for real ESP32 CSI with no per-room training.
 *
 * Contract:
 *  - One rv_motion per stream, caller-owned (plain struct: sizeof is the
 *    whole state), initialised with rv_motion_init(). No allocation, no
 *    statics, no GLib: builds for the firmware targets unchanged.
 *  - rv_motion_push() takes one antenna of one raw CSI frame (int8
 *    (imaginary, real) pairs as rv_csi_frame carries them) and the frame's
 *    stream time in nanoseconds. Everything is timed by stream time, never
 *    by frame counts, so the same settings hold from 20 to 150 Hz.
 *  - Until the detector has calibrated on the stream's own quiet time it
 *    reports calibrated = false and motion = false.
 *  - score and threshold are in the same unit (documented in
 *    docs/features.md, "Motion detector"): motion is score > threshold,
 *    with hysteresis.
 *
 * The algorithm is documented in docs/features.md; this header holds the
 * API that rvtemporalhead and the firmware call.
 */
#ifndef RV_MOTION_H
#define RV_MOTION_H

#include "rv_base.h"
#include "rv_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_MOTION_DEFAULT_SENSITIVITY     1.0f
#define RV_MOTION_DEFAULT_CALIBRATION_NS  3000000000ull  /* 3 s */
#define RV_MOTION_MIN_CALIBRATION_NS      500000000ull   /* 0.5 s */
#define RV_MOTION_MAX_CALIBRATION_NS      600000000000ull /* 10 min */
/* Subcarriers used per frame layout (evenly subsampled above this). */
#define RV_MOTION_MAX_TONES  64u
/* Frame layouts (subcarrier counts) tracked at once per stream. */
#define RV_MOTION_SLOTS      3u
/* Frames the score window holds (window_ns at up to 320 Hz for 0.3 s). */
#define RV_MOTION_WINDOW_FRAMES 96u

/* Tuning of the algorithm (docs/features.md, "Motion detector"). The
 * defaults from rv_motion_cfg_default() are one set for every chip and
 * room; rvmotionbench shows how they were chosen. Times are stream time. */
typedef struct {
    uint64_t window_ns;        /* the score looks at this much recent stream time */
    uint64_t reference_ns;     /* window of each subcarrier's reference level */
    uint64_t hold_ns;          /* motion is kept this long below the exit level */
    float    factor;           /* threshold = quiet level * factor / sensitivity */
    float    exit_ratio;       /* leave motion below threshold * exit_ratio (0..1] */
    float    trim;             /* fraction of subcarriers dropped at each end of
                                * the sorted deviations (0..0.45) */
    float    rank;             /* score = the frame deviation exceeded by this
                                * fraction of the window's frames (0..0.9) */
} rv_motion_tuning;

typedef struct {
    float    sensitivity;      /* > 0; 1 = default, larger = more sensitive */
    uint64_t calibration_ns;   /* quiet stream time used to (re)calibrate */
    rv_motion_tuning tuning;
} rv_motion_cfg;

typedef struct {
    bool  motion;              /* current (hysteresis-held) state */
    bool  changed;             /* this frame changed `motion` */
    bool  calibrated;          /* the detector has a baseline */
    float score;               /* the detector's statistic for this frame */
    float threshold;           /* what score is compared with */
    bool  used;                /* the frame entered the statistics (false: an
                                * outlier, too few usable subcarriers, or a
                                * new layout still settling) */
} rv_motion_out;

/* The per-stream state. Fields are private to rv_motion*.c; the layout may
 * grow but stays a fixed-size plain struct. */
typedef struct rv_motion rv_motion;

size_t    rv_motion_state_size(void);
void      rv_motion_cfg_default(rv_motion_cfg *cfg);
/* mem must hold rv_motion_state_size() bytes with malloc alignment. NULL
 * when mem is NULL or too small, or cfg is out of range (sensitivity in
 * (0, 100], calibration_ns in [RV_MOTION_MIN_CALIBRATION_NS,
 * RV_MOTION_MAX_CALIBRATION_NS], tuning as documented); cfg NULL = defaults. */
rv_motion *rv_motion_init(void *mem, size_t mem_size, const rv_motion_cfg *cfg);
/* Forget everything learned (calibration included); keeps cfg. */
rv_status rv_motion_reset(rv_motion *m);
/* Change sensitivity live (calibration is kept). RV_ERR_ARG unless
 * 0 < sensitivity <= 100. */
rv_status rv_motion_set_sensitivity(rv_motion *m, float sensitivity);

/* One antenna of one raw CSI frame at stream time t_ns (non-decreasing per
 * stream; a backward time resets nothing and is treated as the previous
 * time). Returns RV_OK and fills *out, or an error with *out zero-filled
 * (the state is unchanged on error). */
rv_status rv_motion_push(rv_motion *m, const rv_csi_frame *f, uint8_t antenna,
                         uint64_t t_ns, rv_motion_out *out);

#ifdef __cplusplus
}
#endif
#endif /* RV_MOTION_H */
