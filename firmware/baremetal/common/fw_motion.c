/*
 * fw_motion.c — rv_motion on the embedded real stretch (fw_motion.h). Every
 * frame's score and threshold are printed as bit patterns and its state as
 * 0/1, so fwtool compares the targets with the host frame by frame.
 */
#include "fw_motion.h"

#include <stdbool.h>

#include "fw_out.h"
#include "rv_motion.h"
#include "rv_wire.h"

#define MAX_FRAMES 1024u
#define ONSET_LIMIT_US 300000u   /* motion must be seen this soon after the switch */

static _Alignas(16) uint8_t motion_mem[16384];
static float score[MAX_FRAMES], threshold[MAX_FRAMES], state[MAX_FRAMES];

void fw_motion_run(void)
{
    rv_motion_cfg cfg;
    rv_motion_cfg_default(&cfg);
    rv_motion *m = rv_motion_state_size() <= sizeof(motion_mem)
                       ? rv_motion_init(motion_mem, sizeof(motion_mem), &cfg) : NULL;
    uint32_t n = fw_csi_frames <= MAX_FRAMES ? fw_csi_frames : MAX_FRAMES;
    bool ok = m != NULL && n == fw_csi_frames && fw_csi_onset < n;
    bool quiet_before = true, seen_after = false, calibrated = false;
    for (uint32_t i = 0; ok && i < n; i++) {
        rv_csi_frame f = { .node_id = 1, .n_antennas = 1,
                           .n_subcarriers = (uint16_t)fw_csi_pairs, .seq = i,
                           .iq = fw_csi_iq + 2u * fw_csi_pairs * i };
        rv_motion_out o;
        ok = rv_motion_push(m, &f, 0, (uint64_t)fw_csi_t_us[i] * 1000u, &o) == RV_OK;
        score[i] = o.score;
        threshold[i] = o.threshold;
        state[i] = o.motion ? 1.0f : 0.0f;
        if (i < fw_csi_onset)
            quiet_before = quiet_before && !o.motion;
        else if (fw_csi_t_us[i] - fw_csi_t_us[fw_csi_onset] <= ONSET_LIMIT_US)
            seen_after = seen_after || o.motion;
        calibrated = o.calibrated;
    }
    fw_out_check("motion_run", ok);
    fw_out_check("motion_quiet_before_onset", ok && quiet_before && calibrated);
    fw_out_check("motion_seen_after_onset", ok && seen_after);
    fw_out_values("motion_score", score, n);
    fw_out_values("motion_threshold", threshold, n);
    fw_out_values("motion_state", state, n);
}
