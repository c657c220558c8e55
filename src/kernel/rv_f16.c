/*
 * rv_f16.c — binary16 conversions (see rv_f16.h).
 */
#include "rv_f16.h"

#include <string.h>

static uint32_t f2u(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float u2f(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* ---- reference: decode the fields, round explicitly ---- */

uint16_t rv_f16_from_f32_ref(float f)
{
    const uint32_t x = f2u(f);
    const uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
    const uint32_t e = (x >> 23) & 0xffu;
    const uint32_t m = x & 0x7fffffu;

    if (e == 0xffu) {
        if (m != 0) /* NaN: quiet, keep the top payload bits */
            return (uint16_t)(sign | 0x7e00u | (m >> 13));
        return (uint16_t)(sign | 0x7c00u);
    }
    if (e >= 127u + 16u) /* |f| >= 65536: beyond the largest half */
        return (uint16_t)(sign | 0x7c00u);
    if (e >= 127u - 14u) { /* normal half */
        uint32_t h = ((e - 112u) << 10) | (m >> 13);
        const uint32_t rem = m & 0x1fffu;
        if (rem > 0x1000u || (rem == 0x1000u && (h & 1u)))
            h++; /* may carry into the exponent, up to 0x7c00 = inf */
        return (uint16_t)(sign | h);
    }
    if (e == 0) /* float subnormal or zero: far below half's 2^-25 */
        return sign;
    /* Half subnormal: value / 2^-24 = (1.m) * 2^(e-127+24). */
    const uint32_t full = m | 0x800000u;
    const uint32_t shift = 126u - e; /* >= 14 here */
    if (shift >= 32u)
        return sign;
    uint32_t h = full >> shift;
    const uint32_t rem = full & ((1u << shift) - 1u);
    const uint32_t half = 1u << (shift - 1u);
    if (rem > half || (rem == half && (h & 1u)))
        h++; /* 0x3ff + 1 = 0x400 is the smallest normal, as it should be */
    return (uint16_t)(sign | h);
}

float rv_f16_to_f32_ref(uint16_t h)
{
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    const uint32_t e = (h >> 10) & 0x1fu;
    uint32_t m = h & 0x3ffu;

    if (e == 0x1fu)
        return u2f(sign | 0x7f800000u | (m << 13));
    if (e != 0)
        return u2f(sign | ((e + 112u) << 23) | (m << 13));
    if (m == 0)
        return u2f(sign);
    int32_t exp = -14; /* subnormal: normalise the mantissa */
    while (!(m & 0x400u)) {
        m <<= 1;
        exp--;
    }
    m &= 0x3ffu;
    return u2f(sign | ((uint32_t)(exp + 127) << 23) | (m << 13));
}

/* ---- optimised: every lane computes all cases and selects with masks ---- */

void rv_f16_from_f32_opt(const float *RV_RESTRICT src, uint16_t *RV_RESTRICT dst,
                         uint32_t n)
{
    for (uint32_t t = 0; t < n; t++) {
        const uint32_t x = f2u(src[t]);
        const uint32_t sign = (x >> 16) & 0x8000u;
        const uint32_t a = x & 0x7fffffffu;
        /* Normal half: round the low 13 mantissa bits to nearest-even by
         * adding 0xfff plus the lowest kept bit, then rebias 127 -> 15. */
        uint32_t nrm = ((a + 0xfffu + ((a >> 13) & 1u)) >> 13) - (112u << 10);
        nrm = nrm > 0x7c00u ? 0x7c00u : nrm;
        /* Subnormal half: adding 0.5 leaves an ulp of 2^-24, so the FPU's own
         * round-to-nearest-even produces the half mantissa in the low bits. */
        const uint32_t sub = f2u(u2f(a) + 0.5f) - 0x3f000000u;
        const uint32_t nan = 0x7e00u | ((a >> 13) & 0x3ffu);
        const uint32_t m_sub = 0u - (uint32_t)(a < 0x38800000u);
        const uint32_t m_nan = 0u - (uint32_t)(a > 0x7f800000u);
        uint32_t h = (sub & m_sub) | (nrm & ~m_sub);
        h = (nan & m_nan) | (h & ~m_nan);
        dst[t] = (uint16_t)(h | sign);
    }
}

void rv_f16_to_f32_opt(const uint16_t *RV_RESTRICT src, float *RV_RESTRICT dst,
                       uint32_t n)
{
    for (uint32_t t = 0; t < n; t++) {
        const uint32_t h = src[t];
        const uint32_t sign = (h & 0x8000u) << 16;
        const uint32_t em = (h & 0x7fffu) << 13; /* exponent+mantissa in place */
        const uint32_t e = em & 0x0f800000u;
        const uint32_t m_inf = 0u - (uint32_t)(e == 0x0f800000u);
        const uint32_t m_sub = 0u - (uint32_t)(e == 0u);
        /* Rebias 15 -> 127; inf/NaN need 31 -> 255, i.e. twice the shift. */
        const uint32_t nrm = em + (112u << 23) + (m_inf & (112u << 23));
        /* Subnormal (or zero) m * 2^-24: place m under exponent -14 and
         * subtract the implicit 2^-14 again (exact). */
        const uint32_t sub = f2u(u2f(em + (113u << 23)) - u2f(113u << 23));
        dst[t] = u2f(((sub & m_sub) | (nrm & ~m_sub)) | sign);
    }
}
