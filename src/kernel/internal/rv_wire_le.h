/*
 * rv_wire_le.h — internal: explicit little-endian loads and stores for the
 * wire codecs and the .rvne blob parser/writer. Byte-by-byte so they work on
 * any alignment and host byte order; floats travel as their IEEE-754 bit
 * pattern (memcpy, no casts).
 */
#ifndef RV_WIRE_LE_H
#define RV_WIRE_LE_H

#include <string.h>
#include "rv_base.h"

RV_INLINE uint16_t rv_ld16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] | ((unsigned)p[1] << 8));
}

RV_INLINE uint32_t rv_ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

RV_INLINE uint64_t rv_ld64(const uint8_t *p)
{
    return (uint64_t)rv_ld32(p) | ((uint64_t)rv_ld32(p + 4) << 32);
}

RV_INLINE float rv_ldf32(const uint8_t *p)
{
    uint32_t u = rv_ld32(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

RV_INLINE void rv_st16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

RV_INLINE void rv_st32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

RV_INLINE void rv_st64(uint8_t *p, uint64_t v)
{
    rv_st32(p, (uint32_t)v);
    rv_st32(p + 4, (uint32_t)(v >> 32));
}

RV_INLINE void rv_stf32(uint8_t *p, float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    rv_st32(p, u);
}

/* Common encoder prologue: output pointers valid and room for n bytes. */
RV_INLINE rv_status rv_wire_out_check(const void *in, const uint8_t *out,
                                      size_t cap, size_t n, size_t *written)
{
    if (in == NULL || out == NULL || written == NULL)
        return RV_ERR_NULL;
    *written = 0;
    if (cap < n)
        return RV_ERR_SHORT_OUTPUT;
    return RV_OK;
}

/* Common decoder prologue: non-NULL, at least 4 bytes, the expected magic. */
RV_INLINE rv_status rv_wire_in_check(const uint8_t *buf, size_t len,
                                     const void *out, uint32_t magic)
{
    if (buf == NULL || out == NULL)
        return RV_ERR_NULL;
    if (len < 4u)
        return RV_ERR_TRUNCATED;
    if (rv_ld32(buf) != magic)
        return RV_ERR_MAGIC;
    return RV_OK;
}

#endif /* RV_WIRE_LE_H */
