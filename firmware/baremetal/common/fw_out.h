/*
 * fw_out.h — the runner's line protocol, printed through fw_write() on every
 * target and parsed by firmware/fwtool.py:
 *   V <name> <n> <hex32> ...   float values as IEEE bit patterns (the host
 *                              build prints the same lines; fwtool compares)
 *   T <name> PASS|FAIL         a check the runner makes by itself
 *   B <key> <decimal>          a budget figure (FW_BUDGET builds)
 *   RESULT PASS|FAIL           last line
 * No printf: the targets link only mem*() and libm from their C library.
 */
#ifndef FW_OUT_H
#define FW_OUT_H

#include <stdbool.h>
#include <stdint.h>

void fw_out_values(const char *name, const float *x, uint32_t n);
void fw_out_check(const char *name, bool ok);
void fw_out_budget(const char *key, uint64_t value);
/* Number of FAIL checks so far. */
uint32_t fw_out_failures(void);

/* Stack high-water: paint the free stack below the caller, then report
 * how many bytes below the paint point were touched (0 on the host). */
void     fw_stack_paint(void);
uint32_t fw_stack_used(void);

#endif /* FW_OUT_H */
