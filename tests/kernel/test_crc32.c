/* test_crc32.c — CRC32 against published check values and the bitwise
 * reference. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "rv_crc32.h"

START_TEST(test_check_value)
{
    /* the CRC-32/ISO-HDLC catalogue check value */
    const uint8_t s[] = "123456789";
    ck_assert_uint_eq(rv_crc32(s, 9), 0xCBF43926u);
    ck_assert_uint_eq(rv_crc32_update_ref(0, s, 9), 0xCBF43926u);
}
END_TEST

START_TEST(test_known_strings)
{
    /* values from Python's zlib.crc32 */
    const uint8_t fox[] = "The quick brown fox jumps over the lazy dog";
    ck_assert_uint_eq(rv_crc32(fox, sizeof fox - 1), 0x414FA339u);
    ck_assert_uint_eq(rv_crc32((const uint8_t *)"a", 1), 0xE8B7BE43u);
    ck_assert_uint_eq(rv_crc32(fox, 0), 0u);
    ck_assert_uint_eq(rv_crc32(NULL, 5), 0u);
    const uint8_t zeros[4] = {0, 0, 0, 0};
    ck_assert_uint_eq(rv_crc32(zeros, 4), 0x2144DF1Cu);
}
END_TEST

START_TEST(test_chaining)
{
    const uint8_t s[] = "123456789";
    for (size_t cut = 0; cut <= 9; cut++) {
        uint32_t c = rv_crc32_update(0, s, cut);
        c = rv_crc32_update(c, s + cut, 9 - cut);
        ck_assert_uint_eq(c, 0xCBF43926u);
    }
}
END_TEST

START_TEST(test_table_matches_reference)
{
    /* every single byte value and a pseudo-random buffer of every length */
    uint8_t b[300];
    for (unsigned v = 0; v < 256; v++) {
        uint8_t x = (uint8_t)v;
        ck_assert_uint_eq(rv_crc32(&x, 1), rv_crc32_update_ref(0, &x, 1));
    }
    uint32_t r = 12345u;
    for (size_t i = 0; i < sizeof b; i++) {
        r = r * 1103515245u + 12345u;
        b[i] = (uint8_t)(r >> 16);
    }
    for (size_t n = 0; n <= sizeof b; n++)
        ck_assert_uint_eq(rv_crc32_update(0xDEADBEEFu, b, n),
                          rv_crc32_update_ref(0xDEADBEEFu, b, n));
}
END_TEST

static Suite *crc_suite(void)
{
    Suite *s = suite_create("crc32");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_check_value);
    tcase_add_test(tc, test_known_strings);
    tcase_add_test(tc, test_chaining);
    tcase_add_test(tc, test_table_matches_reference);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(crc_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
