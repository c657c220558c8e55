/*
 * rvreal_eval.h — score motion detectors on real sessions the way
 * ESPectre does: a session (baseline then movement of one chip) plays as
 * one stream; every packet after the warm-up counts, baseline packets as
 * negatives, movement packets as positives.
 */
#ifndef RVREAL_EVAL_H
#define RVREAL_EVAL_H

#include <stdint.h>

#include "rv_motion.h"
#include "rvreal_npz.h"
#include "rvreal_sessions.h"

#define RVREAL_WARMUP_US   2000000u   /* left out of the counts */
#define RVREAL_ONSET_US    1000000u   /* "onset": the first second of movement */

typedef struct {
    char chip[16];
    rvreal_recording rec[2];            /* baseline, movement */
} rvreal_eval_session;

typedef struct {
    uint64_t tp, fn, fp, tn;
    uint64_t onset_pos, onset_fn;       /* movement packets in the first second */
} rvreal_counts;

/* Our detector with cfg; jitter_us/seed as rvconvert's --jitter/--seed. */
void rvreal_eval_motion(const rvreal_eval_session *s, const rv_motion_cfg *cfg, uint64_t jitter_us,
                      uint64_t seed, rvreal_counts *c);
/* The MVS-style reference: per-packet turbulence (standard deviation over
 * mean of the informative subcarriers' amplitudes), its moving variance
 * over `window` packets, threshold = P95 of that variance over the
 * session's baseline after the warm-up, times 1.4. */
void rvreal_eval_mvs(const rvreal_eval_session *s, unsigned window, rvreal_counts *c);

/* Load a session's two recordings (0, or -1 with err). */
int  rvreal_eval_session_load(const rvreal_session *idx, rvreal_eval_session *out,
                              char *err, size_t err_cap);
void rvreal_eval_session_free(rvreal_eval_session *s);

void rvreal_counts_add(rvreal_counts *sum, const rvreal_counts *c);
double rvreal_recall(const rvreal_counts *c);
double rvreal_fp_rate(const rvreal_counts *c);

#endif
