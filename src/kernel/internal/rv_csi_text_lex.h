/*
 * rv_csi_text_lex.h — internal: bounded, locale-free lexers for the CSI text
 * line parser. Each takes a (pointer, length) span and never reads past it.
 */
#ifndef RV_CSI_TEXT_LEX_H
#define RV_CSI_TEXT_LEX_H

#include "rv_base.h"

/* Optional sign then decimal digits, the whole span, value within [lo, hi]. */
bool rv_lex_int(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *v);
/* Value of one hex digit (either case), -1 if c is none. */
int rv_lex_hex(char c);
/* "aa:bb:cc:dd:ee:ff", hex digits either case. */
bool rv_lex_mac(const char *s, size_t n, uint8_t mac[6]);
/* [-]digits[.digits][e[+-]digits] seconds to whole microseconds, truncated
 * toward zero; false on syntax error or if the result overflows int64. */
bool rv_lex_seconds_us(const char *s, size_t n, int64_t *us);

#endif /* RV_CSI_TEXT_LEX_H */
