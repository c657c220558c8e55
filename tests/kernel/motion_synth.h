/*
 * motion_synth.h — synthetic 64-subcarrier LLTF CSI for the motion
 * detector's tests: a static room (per-subcarrier multipath profile plus
 * receiver noise), a moving person (a reflection whose path length
 * changes, so each subcarrier's amplitude swings with its own phase),
 * AGC gain, slow drift and layout-shifted outlier frames. Deterministic.
 */
#ifndef MOTION_SYNTH_H
#define MOTION_SYNTH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "rv_wire.h"

typedef struct {
    uint64_t rng;
    double   motion;      /* reflection strength (0 = quiet room) */
    double   gain;        /* receiver gain applied to every subcarrier */
    double   tilt;        /* slow change of the static profile (drift) */
    double   noise;       /* receiver noise, LSB */
    int8_t   iq[128];
} synth;

static double synth_u(synth *s)
{
    s->rng = s->rng * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(s->rng >> 11) / 9007199254740992.0;
}

static double synth_gauss(synth *s)
{
    double u = synth_u(s) + 1e-12, v = synth_u(s);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static void synth_init(synth *s, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->rng = seed * 2654435761u + 1u;
    s->gain = 1.0;
    s->noise = 0.6;
}

static int8_t clip8(double v)
{
    long r = lround(v);
    return (int8_t)(r > 127 ? 127 : r < -128 ? -128 : r);
}

/* One frame at time t (s); fills s->iq and returns a frame viewing it. */
static rv_csi_frame synth_frame(synth *s, double t)
{
    memset(s->iq, 0, sizeof s->iq);
    for (int k = -26; k <= 26; k++) {
        if (k == 0)
            continue;
        double base = 28.0 + 8.0 * sin(0.23 * k + 0.5) + 4.0 * cos(0.61 * k) + s->tilt * k;
        double ph = 0.4 * k;
        double re = base * cos(ph), im = base * sin(ph);
        if (s->motion > 0.0) {
            /* reflection off the person: delay grows with time, so each
             * subcarrier sees its own phase (walking ~ 1.5 Hz swings) */
            double d = 2.0 * 3.14159 * (1.3 * t + 0.12 * k * (1.0 + 0.3 * sin(0.7 * t)));
            re += s->motion * base * cos(d);
            im += s->motion * base * sin(d);
        }
        int idx = k >= 0 ? k : 64 + k;
        s->iq[2 * idx] = clip8(s->gain * im + s->noise * synth_gauss(s));
        s->iq[2 * idx + 1] = clip8(s->gain * re + s->noise * synth_gauss(s));
    }
    rv_csi_frame f = { .node_id = 1, .n_antennas = 1, .n_subcarriers = 64, .iq = s->iq };
    return f;
}

/* A frame in another buffer layout (the real C6 sends a few): the tones
 * shifted by 10 positions, nulls where data was. */
static rv_csi_frame synth_outlier(synth *s, double t)
{
    rv_csi_frame f = synth_frame(s, t);
    int8_t tmp[128];
    memset(tmp, 0, sizeof tmp);
    memcpy(tmp + 20, s->iq, 108);
    memcpy(s->iq, tmp, sizeof tmp);
    return f;
}

#endif
