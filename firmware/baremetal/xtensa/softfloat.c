/*
 * softfloat.c — the arithmetic helpers the lx106 toolchain leaves out.
 *
 * Debian's gcc-xtensa-lx106 builds libgcc for the ESP8266, whose mask ROM
 * supplies __addsf3, __mulsf3, the double-precision helpers and the integer
 * divisions, so libgcc omits them. Under QEMU there is no ROM: this file
 * provides them, in plain integer C, IEEE 754 binary32/binary64 with
 * round-to-nearest-even, subnormals, infinities and NaN.
 *
 * Single precision runs through binary64: widening is exact and, since
 * 53 >= 2*24 + 2, rounding the exact double result of +, -, * to binary32
 * gives the correctly rounded binary32 result (double rounding is
 * innocuous at that precision). The results are therefore the same bits an
 * FPU produces, which is what lets the Xtensa run be compared with the host.
 *
 * Nothing here may use float/double arithmetic itself (it would call
 * back into these functions): values cross as bit patterns.
 */
#include <stdint.h>
#include <string.h>

#define F64_FRAC 0x000FFFFFFFFFFFFFull
#define F64_HID  0x0010000000000000ull
#define F64_INF  0x7FF0000000000000ull
#define F64_QNAN 0x7FF8000000000000ull

/* The helpers' names are fixed by the compiler's calling convention. */
float    __addsf3(float a, float b);
float    __subsf3(float a, float b);
float    __mulsf3(float a, float b);
float    __floatsisf(int32_t i);
float    __floatunsisf(uint32_t u);
double   __adddf3(double a, double b);
double   __subdf3(double a, double b);
double   __muldf3(double a, double b);
double   __divdf3(double a, double b);
double   __floatsidf(int32_t i);
double   __floatunsidf(uint32_t u);
uint32_t __udivsi3(uint32_t n, uint32_t d);
uint32_t __umodsi3(uint32_t n, uint32_t d);
int32_t  __divsi3(int32_t n, int32_t d);
uint64_t __muldi3(uint64_t a, uint64_t b);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);

static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float    fval(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static double   dval(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

/* ---- integers --------------------------------------------------------- */

/* 32x32 -> 64 from 16-bit halves (no call to __muldi3). */
static uint64_t mul32x32(uint32_t x, uint32_t y)
{
    uint32_t xl = x & 0xFFFFu, xh = x >> 16, yl = y & 0xFFFFu, yh = y >> 16;
    uint64_t mid = (uint64_t)(xl * yh) + (uint64_t)(xh * yl);
    return ((uint64_t)(xh * yh) << 32) + (mid << 16) + (uint64_t)(xl * yl);
}

uint64_t __muldi3(uint64_t a, uint64_t b)
{
    uint32_t a0 = (uint32_t)a, a1 = (uint32_t)(a >> 32);
    uint32_t b0 = (uint32_t)b, b1 = (uint32_t)(b >> 32);
    return mul32x32(a0, b0) + ((uint64_t)(a0 * b1 + a1 * b0) << 32);
}

/* Shift-subtract long division; d == 0 gives all-ones (like the ROM). */
static uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint64_t q = 0, r = 0;
    if (d == 0) {
        *rem = n;
        return ~(uint64_t)0;
    }
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1u);
        if (r >= d) {
            r -= d;
            q |= (uint64_t)1 << i;
        }
    }
    *rem = r;
    return q;
}

static uint32_t udivmod32(uint32_t n, uint32_t d, uint32_t *rem)
{
    uint32_t q = 0, r = 0;
    if (d == 0) {
        *rem = n;
        return ~0u;
    }
    for (int i = 31; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1u);
        if (r >= d) {
            r -= d;
            q |= 1u << i;
        }
    }
    *rem = r;
    return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d) { uint64_t r; return udivmod64(n, d, &r); }
uint64_t __umoddi3(uint64_t n, uint64_t d) { uint64_t r; udivmod64(n, d, &r); return r; }
uint32_t __udivsi3(uint32_t n, uint32_t d) { uint32_t r; return udivmod32(n, d, &r); }
uint32_t __umodsi3(uint32_t n, uint32_t d) { uint32_t r; udivmod32(n, d, &r); return r; }

int32_t __divsi3(int32_t n, int32_t d)
{
    uint32_t un = n < 0 ? 0u - (uint32_t)n : (uint32_t)n;
    uint32_t ud = d < 0 ? 0u - (uint32_t)d : (uint32_t)d;
    uint32_t r, q = udivmod32(un, ud, &r);
    return (int32_t)(((n < 0) != (d < 0)) ? 0u - q : q);
}

/* ---- binary64 core ------------------------------------------------------ */

/* Rounds and packs: m has its leading bit at 55 (52 + 3 guard bits, the
 * lowest one sticky) for a normal result of biased exponent e; e < 1
 * denormalises first. */
static uint64_t pack64(uint64_t s, int32_t e, uint64_t m)
{
    if (e < 1) {
        int32_t sh = 1 - e;
        m = sh > 63 ? (m != 0) : (m >> sh) | ((m << (64 - sh)) != 0);
        e = 1;
    }
    uint32_t rb = (uint32_t)(m & 7u);
    m >>= 3;
    if (rb > 4u || (rb == 4u && (m & 1u))) {
        m++;
        if (m >> 53) {
            m >>= 1;
            e++;
        }
    }
    if (!(m >> 52))
        e = 0;                              /* subnormal (or zero) */
    if (e >= 2047)
        return (s << 63) | F64_INF;
    return (s << 63) | ((uint64_t)e << 52) | (m & F64_FRAC);
}

/* Leading bit of a nonzero fraction to position 52; adjusts *e. */
static uint64_t norm64(uint64_t m, int32_t *e)
{
    while (!(m & F64_HID)) {
        m <<= 1;
        (*e)--;
    }
    return m;
}

static int is_nan64(uint64_t a) { return (a << 1) > (F64_INF << 1); }

static uint64_t add64(uint64_t a, uint64_t b)
{
    if (is_nan64(a))
        return a | F64_QNAN;
    if (is_nan64(b))
        return b | F64_QNAN;
    if ((a << 1) < (b << 1)) {              /* |a| >= |b| from here on */
        uint64_t t = a;
        a = b;
        b = t;
    }
    uint64_t sa = a >> 63, sb = b >> 63;
    int32_t ea = (int32_t)((a >> 52) & 0x7FFu), eb = (int32_t)((b >> 52) & 0x7FFu);
    if (ea == 0x7FF)                        /* inf +- finite, or inf +- inf */
        return (eb == 0x7FF && sa != sb) ? F64_QNAN : a;
    uint64_t ma = a & F64_FRAC, mb = b & F64_FRAC;
    if (ea) ma |= F64_HID; else ea = 1;
    if (eb) mb |= F64_HID; else eb = 1;
    if (mb == 0)                            /* b is a zero */
        return ma == 0 ? (sa & sb) << 63 : a;
    ma <<= 3;
    mb <<= 3;
    int32_t d = ea - eb;
    if (d > 63)
        mb = 1;
    else if (d > 0)
        mb = (mb >> d) | ((mb << (64 - d)) != 0);
    uint64_t m;
    if (sa == sb) {
        m = ma + mb;
        if (m >> 56) {
            m = (m >> 1) | (m & 1u);
            ea++;
        }
    } else {
        m = ma - mb;
        if (m == 0)
            return 0;                       /* x - x = +0 in round-to-nearest */
        while (!(m >> 55) && ea > 1) {
            m <<= 1;
            ea--;
        }
    }
    return pack64(sa, ea, m);
}

static uint64_t mul64(uint64_t a, uint64_t b)
{
    uint64_t s = (a ^ b) >> 63;
    if (is_nan64(a))
        return a | F64_QNAN;
    if (is_nan64(b))
        return b | F64_QNAN;
    int32_t ea = (int32_t)((a >> 52) & 0x7FFu), eb = (int32_t)((b >> 52) & 0x7FFu);
    uint64_t ma = a & F64_FRAC, mb = b & F64_FRAC;
    int za = ea == 0 && ma == 0, zb = eb == 0 && mb == 0;
    if (ea == 0x7FF || eb == 0x7FF)
        return (za || zb) ? F64_QNAN : (s << 63) | F64_INF;
    if (za || zb)
        return s << 63;
    if (ea) ma |= F64_HID; else { ea = 1; ma = norm64(ma, &ea); }
    if (eb) mb |= F64_HID; else { eb = 1; mb = norm64(mb, &eb); }
    /* 53 x 53 -> 106-bit product in hi:lo from 32-bit limbs */
    uint32_t a0 = (uint32_t)ma, a1 = (uint32_t)(ma >> 32);
    uint32_t b0 = (uint32_t)mb, b1 = (uint32_t)(mb >> 32);
    uint64_t lo = mul32x32(a0, b0);
    uint64_t mid = mul32x32(a1, b0) + mul32x32(a0, b1);
    uint64_t hi = mul32x32(a1, b1);
    uint64_t lo2 = lo + (mid << 32);
    hi += (mid >> 32) + (lo2 < lo);
    lo = lo2;
    int32_t e = ea + eb - 1023;
    int sh = 49;                            /* leading bit 104 -> 55 */
    if (hi >> 41) {                         /* leading bit at 105 */
        sh = 50;
        e++;
    }
    uint64_t m = (hi << (64 - sh)) | (lo >> sh) | ((lo << (64 - sh)) != 0);
    return pack64(s, e, m);
}

static uint64_t div64(uint64_t a, uint64_t b)
{
    uint64_t s = (a ^ b) >> 63;
    if (is_nan64(a))
        return a | F64_QNAN;
    if (is_nan64(b))
        return b | F64_QNAN;
    int32_t ea = (int32_t)((a >> 52) & 0x7FFu), eb = (int32_t)((b >> 52) & 0x7FFu);
    uint64_t ma = a & F64_FRAC, mb = b & F64_FRAC;
    int za = ea == 0 && ma == 0, zb = eb == 0 && mb == 0;
    if (ea == 0x7FF)
        return eb == 0x7FF ? F64_QNAN : (s << 63) | F64_INF;
    if (eb == 0x7FF)
        return s << 63;
    if (zb)
        return za ? F64_QNAN : (s << 63) | F64_INF;
    if (za)
        return s << 63;
    if (ea) ma |= F64_HID; else { ea = 1; ma = norm64(ma, &ea); }
    if (eb) mb |= F64_HID; else { eb = 1; mb = norm64(mb, &eb); }
    int32_t e = ea - eb + 1023;
    if (ma < mb) {
        ma <<= 1;
        e--;
    }
    uint64_t q = 0, r = ma;
    for (int i = 0; i < 56; i++) {          /* 56 quotient bits: 1 + 52 + 3 */
        q <<= 1;
        if (r >= mb) {
            r -= mb;
            q |= 1u;
        }
        r <<= 1;
    }
    return pack64(s, e, q | (r != 0));
}

/* ---- binary32 via binary64 ---------------------------------------------- */

static uint64_t widen(uint32_t a)
{
    uint64_t s = (uint64_t)(a >> 31) << 63;
    int32_t e = (int32_t)((a >> 23) & 0xFFu);
    uint64_t m = a & 0x7FFFFFu;
    if (e == 0xFF)
        return s | F64_INF | (m << 29);
    if (e == 0) {
        if (m == 0)
            return s;
        e = 1;
        while (!(m & 0x800000u)) {
            m <<= 1;
            e--;
        }
        m &= 0x7FFFFFu;
    }
    return s | ((uint64_t)(e - 127 + 1023) << 52) | (m << 29);
}

static uint32_t narrow(uint64_t a)
{
    uint32_t s = (uint32_t)(a >> 63);
    int32_t e = (int32_t)((a >> 52) & 0x7FFu);
    uint64_t m = a & F64_FRAC;
    if (e == 0x7FF)
        return (s << 31) | 0x7F800000u | (m ? 0x400000u | (uint32_t)(m >> 29) : 0u);
    if (e == 0)                             /* binary64 subnormals are << 2^-149 */
        return s << 31;
    m |= F64_HID;
    e = e - 1023 + 127;
    /* 53-bit fraction -> 27 bits (leading bit at 26), sticky below */
    uint32_t mm = (uint32_t)(m >> 26) | ((m & ((1ull << 26) - 1u)) != 0);
    if (e < 1) {
        int32_t sh = 1 - e;
        mm = sh > 31 ? (mm != 0) : (mm >> sh) | ((mm & ((1u << sh) - 1u)) != 0);
        e = 1;
    }
    uint32_t rb = mm & 7u;
    mm >>= 3;
    if (rb > 4u || (rb == 4u && (mm & 1u))) {
        mm++;
        if (mm >> 24) {
            mm >>= 1;
            e++;
        }
    }
    if (!(mm >> 23))
        e = 0;
    if (e >= 255)
        return (s << 31) | 0x7F800000u;
    return (s << 31) | ((uint32_t)e << 23) | (mm & 0x7FFFFFu);
}

static uint64_t from_u32(uint32_t u, uint64_t s)
{
    if (u == 0)
        return s << 63;
    int32_t n = 31;
    while (!(u >> n))
        n--;
    return (s << 63) | ((uint64_t)(1023 + n) << 52) | (((uint64_t)u << (52 - n)) & F64_FRAC);
}

double __adddf3(double a, double b) { return dval(add64(dbits(a), dbits(b))); }
double __subdf3(double a, double b) { return dval(add64(dbits(a), dbits(b) ^ (1ull << 63))); }
double __muldf3(double a, double b) { return dval(mul64(dbits(a), dbits(b))); }
double __divdf3(double a, double b) { return dval(div64(dbits(a), dbits(b))); }
double __floatunsidf(uint32_t u) { return dval(from_u32(u, 0)); }
double __floatsidf(int32_t i)
{
    return dval(i < 0 ? from_u32(0u - (uint32_t)i, 1) : from_u32((uint32_t)i, 0));
}

float __addsf3(float a, float b)
{
    return fval(narrow(add64(widen(fbits(a)), widen(fbits(b)))));
}

float __subsf3(float a, float b)
{
    return fval(narrow(add64(widen(fbits(a)), widen(fbits(b) ^ 0x80000000u))));
}

float __mulsf3(float a, float b)
{
    return fval(narrow(mul64(widen(fbits(a)), widen(fbits(b)))));
}

float __floatunsisf(uint32_t u) { return fval(narrow(from_u32(u, 0))); }
float __floatsisf(int32_t i)
{
    return fval(narrow(i < 0 ? from_u32(0u - (uint32_t)i, 1) : from_u32((uint32_t)i, 0)));
}
