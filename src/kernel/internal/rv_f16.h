/*
 * rv_f16.h — internal: IEEE 754 binary16 <-> binary32 conversion for the
 * fp16 KV cache.
 *
 * float -> half rounds to nearest, ties to even; overflow gives +-inf; NaN
 * keeps its sign and top 10 payload bits with the quiet bit forced (the
 * F16C convention). half -> float is exact. The _ref functions are plain
 * scalar field-by-field code; the _opt array functions are branch-free
 * integer/float bit manipulation the compiler vectorises. They are bit-exact
 * with each other (tests/kernel/test_kv.c checks all 65536 halves and a
 * sweep of floats).
 */
#ifndef RV_F16_H
#define RV_F16_H

#include <string.h>

#include "rv_base.h"

uint16_t rv_f16_from_f32_ref(float f);
float    rv_f16_to_f32_ref(uint16_t h);

void rv_f16_from_f32_opt(const float *RV_RESTRICT src, uint16_t *RV_RESTRICT dst,
                         uint32_t n);
void rv_f16_to_f32_opt(const uint16_t *RV_RESTRICT src, float *RV_RESTRICT dst,
                       uint32_t n);

/*
 * Widen halves that are known to be finite (the KV cache never stores inf or
 * NaN: append rejects them). Placing exponent and mantissa 13 bits up and
 * multiplying by 2^112 rebiases the exponent; half subnormals land on float
 * subnormals that the multiplication normalises exactly. Same results as
 * rv_f16_to_f32_ref for every finite half (tested), fewer operations than
 * rv_f16_to_f32_opt, inline so it vectorises inside the decode loop.
 */
RV_INLINE void rv_f16_to_f32_finite_opt(const uint16_t *RV_RESTRICT src,
                                        float *RV_RESTRICT dst, uint32_t n)
{
    const float rebias = 0x1p112f;
    for (uint32_t t = 0; t < n; t++) {
        const uint32_t h = src[t];
        const uint32_t em = (h & 0x7fffu) << 13;
        float f;
        memcpy(&f, &em, sizeof f);
        f *= rebias;
        uint32_t u;
        memcpy(&u, &f, sizeof u);
        u |= (h & 0x8000u) << 16;
        memcpy(&dst[t], &u, sizeof u);
    }
}

#endif /* RV_F16_H */
