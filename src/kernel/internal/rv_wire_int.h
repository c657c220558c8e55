/*
 * rv_wire_int.h — internal helpers shared by the wire codecs and the
 * packet dispatcher (not installed).
 */
#ifndef RV_WIRE_INT_H
#define RV_WIRE_INT_H

#include "rv_base.h"

/* True when (buf, len) has the WASM output shape: len == 8 + 5n, n >= 1,
 * and the u16 event count at bytes 6..7 equals n. buf must hold len bytes. */
bool rv_wasm_shape_ok(const uint8_t *buf, size_t len);

#endif /* RV_WIRE_INT_H */
