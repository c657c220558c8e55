/*
 * test_softfloat.c — the Xtensa runner's soft-float helpers
 * (firmware/baremetal/xtensa/softfloat.c), compiled for the host and
 * compared bit for bit with the host FPU on random and edge-case operands
 * (subnormals, infinities, NaN, near-cancellation), plus the integer
 * helpers against the host's own operators.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

#define N 20000

static uint64_t state = 88172645463325252ull;

static uint64_t rnd(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static uint32_t f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static uint64_t d2u(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

/* Random binary32 with a bias towards the hard cases. */
static float rnd_f(void)
{
    uint32_t u = (uint32_t)rnd();
    switch (rnd() % 8u) {
    case 0: u &= 0x807FFFFFu; break;                       /* subnormal / zero */
    case 1: u = (u & 0x80FFFFFFu) | 0x3F000000u; break;    /* near 1 */
    case 2: u = (u & 0x80000000u) | 0x7F800000u | (rnd() % 4u ? 0u : (u & 0x7FFFFFu)); break;
    default: break;
    }
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static double rnd_d(void)
{
    uint64_t u = rnd();
    switch (rnd() % 8u) {
    case 0: u &= 0x800FFFFFFFFFFFFFull; break;
    case 1: u = (u & 0x80FFFFFFFFFFFFFFull) | 0x3FF0000000000000ull; break;
    case 2: u = (u & 0x8000000000000000ull) | 0x7FF0000000000000ull; break;
    default: break;
    }
    double d;
    memcpy(&d, &u, 8);
    return d;
}

static int same_f(float a, float b) { return f2u(a) == f2u(b) || (isnan(a) && isnan(b)); }
static int same_d(double a, double b) { return d2u(a) == d2u(b) || (isnan(a) && isnan(b)); }

START_TEST(binary32_matches_fpu)
{
    for (int i = 0; i < N; i++) {
        float a = rnd_f(), b = rnd_f();
        if (rnd() % 4u == 0)
            b = -a * (1.0f + (float)(rnd() % 100u) * 1e-7f);   /* cancellation */
        ck_assert_msg(same_f(__addsf3(a, b), a + b), "add %a %a", (double)a, (double)b);
        ck_assert_msg(same_f(__subsf3(a, b), a - b), "sub %a %a", (double)a, (double)b);
        ck_assert_msg(same_f(__mulsf3(a, b), a * b), "mul %a %a", (double)a, (double)b);
        int32_t n = (int32_t)rnd();
        uint32_t u = (uint32_t)rnd() >> (rnd() % 32u);
        ck_assert(same_f(__floatsisf(n), (float)n));
        ck_assert(same_f(__floatunsisf(u), (float)u));
    }
}
END_TEST

START_TEST(binary64_matches_fpu)
{
    for (int i = 0; i < N; i++) {
        double a = rnd_d(), b = rnd_d();
        if (rnd() % 4u == 0)
            b = -a * (1.0 + (double)(rnd() % 100u) * 1e-15);
        ck_assert_msg(same_d(__adddf3(a, b), a + b), "add %a %a", a, b);
        ck_assert_msg(same_d(__subdf3(a, b), a - b), "sub %a %a", a, b);
        ck_assert_msg(same_d(__muldf3(a, b), a * b), "mul %a %a", a, b);
        ck_assert_msg(same_d(__divdf3(a, b), a / b), "div %a %a", a, b);
        int32_t n = (int32_t)rnd();
        uint32_t u = (uint32_t)rnd();
        ck_assert(same_d(__floatsidf(n), (double)n));
        ck_assert(same_d(__floatunsidf(u), (double)u));
    }
}
END_TEST

START_TEST(integers_match_host)
{
    for (int i = 0; i < N; i++) {
        uint64_t x = rnd(), y = rnd() >> (rnd() % 64u);
        if (y == 0)
            y = 1;
        uint32_t x32 = (uint32_t)x, y32 = (uint32_t)y | 1u;
        ck_assert_uint_eq(__muldi3(x, y), x * y);
        ck_assert_uint_eq(__udivdi3(x, y), x / y);
        ck_assert_uint_eq(__umoddi3(x, y), x % y);
        ck_assert_uint_eq(__udivsi3(x32, y32), x32 / y32);
        ck_assert_uint_eq(__umodsi3(x32, y32), x32 % y32);
        int32_t sn = (int32_t)(x32 >> 1) - (int32_t)(y32 >> 2), sd = (int32_t)(y32 >> 8) - 1000;
        if (sd == 0)
            sd = 3;
        ck_assert_int_eq(__divsi3(sn, sd), sn / sd);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("softfloat");
    TCase *tc = tcase_create("xtensa");
    tcase_add_test(tc, binary32_matches_fpu);
    tcase_add_test(tc, binary64_matches_fpu);
    tcase_add_test(tc, integers_match_host);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
