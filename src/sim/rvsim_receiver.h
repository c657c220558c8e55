/*
 * rvsim_receiver.h — the calibrated receiver (RVSIM_RX_CALIBRATED): per-node
 * random draws of what real ESP32-family receivers do differently, over
 * ranges measured on real recordings (docs/simulator.md §receiver,
 * scripts/analysis/csi-receiver-stats.py). Internal to librvsim.
 */
#ifndef RVSIM_RECEIVER_H
#define RVSIM_RECEIVER_H

#include "rvsim_internal.h"

#define RVSIM_RX_KEXT 32                    /* tones k = -32..32 are synthesised */
#define RVSIM_RX_NK   (2 * RVSIM_RX_KEXT + 1)

typedef enum {
    RVSIM_GAIN_PER_PACKET = 0,  /* the fixed receiver: AGC re-chosen every packet */
    RVSIM_GAIN_LOCKED,          /* gain chosen on the first packet, then held */
    RVSIM_GAIN_HUNTING,         /* AGC steps back and forth (no gain lock) */
    RVSIM_GAIN_LOCKED_GLITCH    /* held, with single-packet excursions */
} rvsim_gain_mode;

/* Which LLTF tones a chip fills in a 64-pair frame (nulls elsewhere). */
typedef struct {
    const char *name;
    int  kmin, kmax;   /* filled: kmin <= |k| <= kmax */
    bool dc_fill;      /* k = 0 carries the mean of k = +-1 */
} rvsim_null_profile;

typedef struct {
    rvsim_rng       rng;        /* the receiver's own draws */
    const rvsim_null_profile *nulls;
    rvsim_gain_mode gain_mode;
    double          step_db;    /* AGC step */
    double          p_hunt;     /* per packet: hunting AGC steps off / back */
    double          p_glitch;   /* per packet: locked gain jumps for one packet */
    double          glitch_db;  /* size of those jumps */
    double          common_db;  /* std of the per-packet common level, dB */
    double          evm_db;     /* impairment floor (the fixed receiver: -33) */
    double          ar;         /* lag-1 correlation of the noise, 0 = white */
    double          phase_sd;   /* per-tone phase jitter per packet, rad */
    double          rssi_db;    /* offset of the reported RSSI (TX power, antennas) */
    double          noise_floor_db; /* offset of the reported noise floor */
    double          rate_hz;    /* this node's packet rate */
    double          jitter;     /* std of the send time, fraction of the period */
    int             hunt;       /* current AGC offset, steps */
    int             locked_idx; /* held gain index; INT32_MIN before the first packet */
    double          ns_re[3][RVSIM_RX_NK], ns_im[3][RVSIM_RX_NK]; /* AR noise state */
} rvsim_rx;

/* Draw node `node`'s receiver from the session seed; nominal_rate_hz is the
 * configured rate the node's own rate scatters around. */
void   rvsim_rx_draw(rvsim_rx *rx, uint64_t seed, uint32_t node, double nominal_rate_hz);
/* LLTF tone k filled by this chip (field 0 of the frame). */
bool   rvsim_rx_lltf_valid(const rvsim_rx *rx, int k);
/* Unit-variance noise sample for tone index idx of field fld, correlated
 * over packets with coefficient ar; white is drawn from r (one gauss). */
double rvsim_rx_noise(rvsim_rx *rx, rvsim_rng *r, int fld, int idx, bool im);
/* Phase jitter of one tone in one packet, rad. */
double rvsim_rx_phase_jitter(rvsim_rx *rx);
/* Linear gain for this packet, given the peak |re|/|im| before gain and the
 * target the fixed receiver aims at. */
double rvsim_rx_gain(rvsim_rx *rx, double peak, double target);
/* Send-time offset of the next packet, seconds (|offset| < 0.45 period). */
double rvsim_rx_jitter(rvsim_rx *rx);

#endif /* RVSIM_RECEIVER_H */
