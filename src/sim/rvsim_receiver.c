/*
 * rvsim_receiver.c — the calibrated receiver's per-node draws and per-packet
 * gain, noise and timing (rvsim_receiver.h). The ranges cover what
 * scripts/analysis/csi-receiver-stats.py measures on the vendored ESPectre
 * recordings (docs/simulator.md has both tables):
 *   noise      frame-to-frame change of the relative amplitude per tone
 *              1.5..3 % rms (feature dim 26: -0.17..0.13; the 1.5..7.7 %
 *              std of csi-receiver-stats includes gain-glitch frames), lag-1
 *              correlation 0.02..0.28  -> EVM -36..-27 dB, AR(1) 0..0.35;
 *              sanitised phase changes of 0.02..0.22 rad rms per tone from
 *              frame to frame, far more than that amplitude noise implies
 *              -> per-tone phase jitter 0.005..0.2 rad (log-uniform)
 *   gain       locked: no steps, level std 0.22..0.26 dB (C3, C5, S3);
 *              no lock (ESP32): 45..56 steps/s
 *              of ~2.6 dB; locked with excursions (C6, one S3 file): 7..11
 *              steps/s of 5..7 dB
 *   nulls      C3/S3 fill |k| <= 28, ESP32 |k| <= 29 with DC filled, C5/C6
 *              4 <= |k| <= 31 (-32 empty); the classic LLTF 1..26 stays
 *   RSSI       not in the recordings; indoor nodes report about -30..-85 dBm
 *              and noise floors of -90..-98 dBm -> the reported RSSI moves by
 *              -30..+10 dB (transmit power, antennas), the noise floor by
 *              -3..+5 dB; the channel itself is unchanged
 *   rate       73..143 Hz at a nominal 100 -> x 0.7..1.45 of the configured
 *              rate; jitter (not in the recordings) 2..45 % of the period
 */
#include <limits.h>
#include <math.h>

#include "rvsim_receiver.h"

static const rvsim_null_profile k_profiles[] = {
    { "lltf",      1, 26, false },   /* what the fixed receiver emits */
    { "c3-s3",     1, 28, false },
    { "esp32",     1, 29, true },
    { "c5-c6",     4, 31, false },
};

void rvsim_rx_draw(rvsim_rx *rx, uint64_t seed, uint32_t node, double nominal_rate_hz)
{
    rvsim_rng *r = &rx->rng;
    rvsim_rng_fork(r, seed, 50000u + node);
    rx->nulls = &k_profiles[rvsim_rng_u64(r) % (sizeof(k_profiles) / sizeof(k_profiles[0]))];
    double u = rvsim_rng_uniform(r);
    rx->gain_mode = u < 0.4 ? RVSIM_GAIN_LOCKED
                  : u < 0.75 ? RVSIM_GAIN_HUNTING : RVSIM_GAIN_LOCKED_GLITCH;
    rx->step_db = rvsim_rng_range(r, 1.5, 3.0);
    rx->p_hunt = rvsim_rng_range(r, 0.1, 0.6);
    rx->p_glitch = rvsim_rng_range(r, 0.01, 0.08);
    rx->glitch_db = rvsim_rng_range(r, 4.0, 8.0);
    rx->evm_db = rvsim_rng_range(r, -36.0, -27.0);
    rx->common_db = rvsim_rng_range(r, 0.08, 0.3);
    rx->ar = rvsim_rng_range(r, 0.0, 0.35);
    rx->phase_sd = exp(rvsim_rng_range(r, log(0.005), log(0.2)));
    rx->rssi_db = rvsim_rng_range(r, -30.0, 10.0);
    rx->noise_floor_db = rvsim_rng_range(r, -3.0, 5.0);
    rx->rate_hz = nominal_rate_hz * pow(2.0, rvsim_rng_range(r, -0.5, 0.54));
    rx->jitter = exp(rvsim_rng_range(r, log(0.02), log(0.45)));
    rx->hunt = 0;
    rx->locked_idx = INT_MIN;
    for (int f = 0; f < 3; f++)
        for (int k = 0; k < RVSIM_RX_NK; k++)
            rx->ns_re[f][k] = rx->ns_im[f][k] = 0.0;
}

bool rvsim_rx_lltf_valid(const rvsim_rx *rx, int k)
{
    int ak = k < 0 ? -k : k;
    return ak >= rx->nulls->kmin && ak <= rx->nulls->kmax && k != -RVSIM_RX_KEXT;
}

double rvsim_rx_noise(rvsim_rx *rx, rvsim_rng *r, int fld, int idx, bool im)
{
    double *st = im ? &rx->ns_im[fld][idx] : &rx->ns_re[fld][idx];
    *st = rx->ar * *st + sqrt(1.0 - rx->ar * rx->ar) * rvsim_rng_gauss(r);
    return *st;
}

double rvsim_rx_phase_jitter(rvsim_rx *rx)
{
    return rx->phase_sd * rvsim_rng_gauss(&rx->rng);
}

double rvsim_rx_gain(rvsim_rx *rx, double peak, double target)
{
    const double spo = 20.0 * log10(2.0) / rx->step_db;     /* steps per octave */
    int ideal = (int)floor(log2(target / peak) * spo);
    int idx = ideal;
    switch (rx->gain_mode) {
    case RVSIM_GAIN_HUNTING:
        /* one step down and back: never above the ideal, so no clipping */
        if (rvsim_rng_uniform(&rx->rng) < rx->p_hunt)
            rx->hunt = rx->hunt ? 0 : -1;
        idx = ideal + rx->hunt;
        break;
    case RVSIM_GAIN_LOCKED:
    case RVSIM_GAIN_LOCKED_GLITCH:
        if (rx->locked_idx == INT_MIN)
            rx->locked_idx = ideal - 1;     /* headroom for a body coming close */
        idx = rx->locked_idx;
        break;
    default:
        break;
    }
    /* gain noise common to all tones: 0.22..0.26 dB level std when locked */
    double g = pow(2.0, idx / spo) * pow(10.0, rx->common_db * rvsim_rng_gauss(&rx->rng) / 20.0);
    if (rx->gain_mode == RVSIM_GAIN_LOCKED_GLITCH && rvsim_rng_uniform(&rx->rng) < rx->p_glitch)
        g *= pow(10.0, (rvsim_rng_uniform(&rx->rng) < 0.5 ? -1 : 1) * rx->glitch_db / 20.0);
    return g;
}

double rvsim_rx_jitter(rvsim_rx *rx)
{
    double j = rx->jitter * rvsim_rng_gauss(&rx->rng);
    j = j > 0.45 ? 0.45 : (j < -0.45 ? -0.45 : j);
    return j / rx->rate_hz;
}
