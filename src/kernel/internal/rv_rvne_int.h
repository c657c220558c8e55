/*
 * rv_rvne_int.h — internal helpers shared by the .rvne parser, writer and
 * the model: explicit little-endian loads/stores and UTF-8 checking.
 */
#ifndef RV_RVNE_INT_H
#define RV_RVNE_INT_H

#include <string.h>

#include "rv_rvne.h"
#include "rv_wire_le.h"   /* explicit little-endian loads/stores */

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
