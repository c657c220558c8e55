/*
 * rv_rvne_int.h — internal helpers shared by the .rvne parser, writer and
 * the model: explicit little-endian loads/stores and UTF-8 checking.
 */
#ifndef RV_RVNE_INT_H
#define RV_RVNE_INT_H

#include <string.h>

#include "rv_rvne.h"

RV_INLINE uint16_t rv_rvne_rd16(const uint8_t *p)
{
    return (uint16_t)((uint16_t)p[0] | ((uint16_t)p[1] << 8));
}

RV_INLINE uint32_t rv_rvne_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

RV_INLINE uint64_t rv_rvne_rd64(const uint8_t *p)
{
    return (uint64_t)rv_rvne_rd32(p) | ((uint64_t)rv_rvne_rd32(p + 4) << 32);
}

RV_INLINE float rv_rvne_rdf32(const uint8_t *p)
{
    uint32_t u = rv_rvne_rd32(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

RV_INLINE void rv_rvne_wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

RV_INLINE void rv_rvne_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

RV_INLINE void rv_rvne_wrf32(uint8_t *p, float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    rv_rvne_wr32(p, u);
}

RV_INLINE bool rv_rvne_finite(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return (u & 0x7F800000u) != 0x7F800000u;
}

/* Valid UTF-8 (no overlongs, surrogates or > U+10FFFF) without NUL; when
 * no_ctrl is set, also without C0 control characters. */
bool rv_rvne_utf8_ok(const uint8_t *s, size_t len, bool no_ctrl);

/* Walk a HEAD section payload (already validated): position *off at head h's
 * record. Returns the offset of head h's u16 name length. */
uint32_t rv_rvne_head_offset(const uint8_t *heads, uint32_t h);

#endif /* RV_RVNE_INT_H */
