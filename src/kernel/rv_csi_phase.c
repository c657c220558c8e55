/*
 * rv_csi_phase.c — per-frame CSI primitives: LLTF reorder, amplitude, raw
 * phase, unwrap and linear-phase (STO/CFO) removal. See rv_csi_features.h.
 */
#include <math.h>

#include "rv_csi_features.h"

#define RV_PI_F     3.14159265358979f
#define RV_TWO_PI_F 6.28318530717959f

rv_status rv_csi_lltf_reorder(const int8_t *iq, uint32_t n_pairs, int8_t *out)
{
    if (!iq || !out)
        return RV_ERR_NULL;
    if (n_pairs == 0 || n_pairs % RV_CSI_LLTF_SC != 0)
        return RV_ERR_SUBCARRIERS;
    const uint32_t half = RV_CSI_LLTF_SC / 2u;
    for (uint32_t base = 0; base < n_pairs; base += RV_CSI_LLTF_SC) {
        for (uint32_t j = 0; j < RV_CSI_LLTF_SC; j++) {
            /* frequency slot j holds k = j - 32, stored at buffer index k mod 64 */
            uint32_t src = base + ((j + half) % RV_CSI_LLTF_SC);
            out[2u * (base + j)] = iq[2u * src];
            out[2u * (base + j) + 1u] = iq[2u * src + 1u];
        }
    }
    return RV_OK;
}

rv_status rv_csi_amplitude(const int8_t *iq, uint32_t n_pairs, float *amp)
{
    if (!iq || !amp)
        return RV_ERR_NULL;
    for (uint32_t p = 0; p < n_pairs; p++) {
        float im = (float)iq[2u * p], re = (float)iq[2u * p + 1u];
        amp[p] = sqrtf(re * re + im * im);
    }
    return RV_OK;
}

rv_status rv_csi_phase_raw(const int8_t *iq, uint32_t n_pairs, float *phase)
{
    if (!iq || !phase)
        return RV_ERR_NULL;
    for (uint32_t p = 0; p < n_pairs; p++)
        phase[p] = atan2f((float)iq[2u * p], (float)iq[2u * p + 1u]);
    return RV_OK;
}

/* d mapped to [-pi, pi). */
static float wrap_pi(float d)
{
    return d - RV_TWO_PI_F * floorf((d + RV_PI_F) / RV_TWO_PI_F);
}

rv_status rv_csi_phase_unwrap(float *phase, const uint8_t *valid, uint32_t n)
{
    if (!phase)
        return RV_ERR_NULL;
    bool have_prev = false;
    float prev_raw = 0.0f, prev_unw = 0.0f;
    for (uint32_t p = 0; p < n; p++) {
        if (valid && !valid[p])
            continue;
        if (!isfinite(phase[p]))
            return RV_ERR_NOT_FINITE;
        float raw = phase[p];
        if (have_prev)
            phase[p] = prev_unw + wrap_pi(raw - prev_raw);
        prev_raw = raw;
        prev_unw = phase[p];
        have_prev = true;
    }
    return RV_OK;
}

rv_status rv_csi_phase_sanitize(float *phase, const float *x, const uint8_t *valid,
                                uint32_t n, float *slope, float *offset)
{
    if (!phase || !x)
        return RV_ERR_NULL;
    for (uint32_t p = 0; p < n; p++)
        if ((!valid || valid[p]) && !isfinite(x[p]))
            return RV_ERR_NOT_FINITE;
    rv_status st = rv_csi_phase_unwrap(phase, valid, n);
    if (st != RV_OK)
        return st;

    /* Least squares with centred sums (numerically tame in float). */
    float sx = 0.0f, sy = 0.0f;
    uint32_t m = 0;
    for (uint32_t p = 0; p < n; p++) {
        if (valid && !valid[p])
            continue;
        sx += x[p];
        sy += phase[p];
        m++;
    }
    if (m < 2)
        return RV_ERR_CSI_EMPTY;
    const float mx = sx / (float)m, my = sy / (float)m;
    float sxx = 0.0f, sxy = 0.0f;
    for (uint32_t p = 0; p < n; p++) {
        if (valid && !valid[p])
            continue;
        float dx = x[p] - mx;
        sxx += dx * dx;
        sxy += dx * (phase[p] - my);
    }
    if (!(sxx > 0.0f))
        return RV_ERR_CSI_EMPTY;
    const float a = sxy / sxx, b = my - a * mx;
    for (uint32_t p = 0; p < n; p++)
        phase[p] = (valid && !valid[p]) ? 0.0f : phase[p] - (a * x[p] + b);
    if (slope)
        *slope = a;
    if (offset)
        *offset = b;
    return RV_OK;
}
