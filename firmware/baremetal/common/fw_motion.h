/*
 * fw_motion.h — the motion proof: the kernel's motion detector (rv_motion)
 * over a stretch of a real recording that goes from quiet to motion,
 * embedded at build time (fwtool.py embed-csi -> fw_csi_stretch.c).
 */
#ifndef FW_MOTION_H
#define FW_MOTION_H

#include <stdint.h>

extern const uint32_t fw_csi_frames;  /* frames in the stretch */
extern const uint32_t fw_csi_pairs;   /* I/Q pairs per frame (one antenna) */
extern const uint32_t fw_csi_onset;   /* index of the first movement frame */
extern const uint32_t fw_csi_t_us[];  /* stream time of each frame, from 0 */
extern const int8_t   fw_csi_iq[];    /* frames * 2 * pairs, imaginary first */

/* Runs the detector with its defaults; prints per-frame score, threshold
 * and state (V lines) and checks quiet before the onset, motion soon after. */
void fw_motion_run(void);

#endif /* FW_MOTION_H */
