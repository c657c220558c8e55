/*
 * rv_csi_text_lex.c — number, MAC and decimal-seconds lexers for CSI text
 * lines. Plain digit loops instead of strtol/strtod: no locale, no NUL
 * needed, explicit overflow limits.
 */
#include "rv_csi_text_lex.h"

/* Accumulators stop here: well above any field value, far below overflow. */
#define RV_LEX_ACC_MAX 1000000000000000000ull   /* 1e18 */
/* Decimal exponents beyond this overflow int64 microseconds anyway. */
#define RV_LEX_EXP_MAX 9999

static int rv_lex_digit(char c)
{
    return (c >= '0' && c <= '9') ? c - '0' : -1;
}

bool rv_lex_int(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *v)
{
    size_t i = 0;
    bool neg = false;
    if (n > 0u && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == n)
        return false;
    uint64_t acc = 0;
    for (; i < n; i++) {
        int d = rv_lex_digit(s[i]);
        if (d < 0)
            return false;
        acc = acc * 10u + (uint64_t)d;
        if (acc > RV_LEX_ACC_MAX)
            return false;
    }
    int64_t x = neg ? -(int64_t)acc : (int64_t)acc;
    if (x < lo || x > hi)
        return false;
    *v = x;
    return true;
}

int rv_lex_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool rv_lex_mac(const char *s, size_t n, uint8_t mac[6])
{
    if (n != 17u)
        return false;
    for (size_t b = 0; b < 6u; b++) {
        int hi = rv_lex_hex(s[3 * b]);
        int lo = rv_lex_hex(s[3 * b + 1]);
        if (hi < 0 || lo < 0)
            return false;
        if (b < 5u && s[3 * b + 2] != ':')
            return false;
        mac[b] = (uint8_t)(hi * 16 + lo);
    }
    return true;
}

bool rv_lex_seconds_us(const char *s, size_t n, int64_t *us)
{
    size_t i = 0;
    bool neg = false;
    if (n > 0u && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    uint64_t mant = 0;
    int exp10 = 0;        /* value = mant * 10^exp10 seconds */
    size_t digits = 0;
    bool frac = false;
    for (; i < n; i++) {
        char c = s[i];
        int d = rv_lex_digit(c);
        if (c == '.' && !frac) {
            frac = true;
            continue;
        }
        if (d < 0)
            break;
        digits++;
        if (mant < RV_LEX_ACC_MAX / 10u) {
            mant = mant * 10u + (uint64_t)d;
            if (frac)
                exp10--;
        } else if (!frac) {
            exp10++;      /* integer digit beyond precision: scale instead */
            if (exp10 > RV_LEX_EXP_MAX)
                return false;
        }
    }
    if (digits == 0u)
        return false;
    if (i < n) {
        if (s[i] != 'e' && s[i] != 'E')
            return false;
        int64_t e;
        if (!rv_lex_int(s + i + 1, n - i - 1, -RV_LEX_EXP_MAX, RV_LEX_EXP_MAX, &e))
            return false;
        exp10 += (int)e;
    }
    exp10 += 6;           /* seconds -> microseconds */
    for (; exp10 < 0 && mant != 0u; exp10++)
        mant /= 10u;
    for (; exp10 > 0 && mant != 0u; exp10--) {
        if (mant > (uint64_t)INT64_MAX / 10u)
            return false;
        mant *= 10u;
    }
    *us = neg ? -(int64_t)mant : (int64_t)mant;
    return true;
}
