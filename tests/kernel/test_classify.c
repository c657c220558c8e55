/* test_classify.c — classification post-processing (rv_classify.h):
 * softmax against a double-precision reference, top-k order and ties, the
 * 0xC5110007 packet for the largest logit and for a trailing decision,
 * and every argument error. */
#include <check.h>
#include <math.h>
#include <string.h>
#include "check_main.h"
#include "rv_classify.h"

START_TEST(test_softmax_matches_reference)
{
    const float l[6] = {0.5f, -2.0f, 3.25f, 3.25f, -40.0f, 1.0f};
    float p[6];
    double mx = 3.25, z = 0.0, sum = 0.0;

    ck_assert_int_eq(rv_softmax(l, p, 6), RV_OK);
    for (int i = 0; i < 6; i++)
        z += exp((double)l[i] - mx);
    for (int i = 0; i < 6; i++) {
        ck_assert_double_eq_tol(p[i], exp((double)l[i] - mx) / z, 1e-6);
        sum += p[i];
    }
    ck_assert_double_eq_tol(sum, 1.0, 1e-6);
    ck_assert_float_eq(p[2], p[3]);
}
END_TEST

START_TEST(test_softmax_extremes)
{
    const float big[3] = {1e30f, 1e30f - 1e24f, -1e30f};
    const float one[1] = {-7.0f};
    float p[3];

    ck_assert_int_eq(rv_softmax(big, p, 3), RV_OK);     /* max subtracted */
    for (int i = 0; i < 3; i++)
        ck_assert(isfinite(p[i]));
    ck_assert_float_eq(p[0], 1.0f);
    ck_assert_int_eq(rv_softmax(one, p, 1), RV_OK);
    ck_assert_float_eq(p[0], 1.0f);
}
END_TEST

START_TEST(test_softmax_errors)
{
    float l[3] = {1, 2, 3}, p[3] = {9, 9, 9};

    ck_assert_int_eq(rv_softmax(NULL, p, 3), RV_ERR_NULL);
    ck_assert_int_eq(rv_softmax(l, NULL, 3), RV_ERR_NULL);
    ck_assert_int_eq(rv_softmax(l, p, 0), RV_ERR_ARG);
    l[1] = NAN;
    ck_assert_int_eq(rv_softmax(l, p, 3), RV_ERR_NOT_FINITE);
    l[1] = INFINITY;
    ck_assert_int_eq(rv_softmax(l, p, 3), RV_ERR_NOT_FINITE);
    ck_assert_float_eq(p[0], 9.0f);                     /* untouched */
}
END_TEST

START_TEST(test_topk)
{
    const float v[7] = {1.0f, 5.0f, -2.0f, 5.0f, 0.0f, 7.5f, 1.0f};
    uint32_t idx[7];
    const uint32_t all[7] = {5, 1, 3, 0, 6, 4, 2};       /* ties: lower first */

    ck_assert_int_eq(rv_topk(v, 7, idx, 1), RV_OK);
    ck_assert_uint_eq(idx[0], 5);
    ck_assert_int_eq(rv_topk(v, 7, idx, 3), RV_OK);
    ck_assert_uint_eq(idx[0], 5);
    ck_assert_uint_eq(idx[1], 1);
    ck_assert_uint_eq(idx[2], 3);
    ck_assert_int_eq(rv_topk(v, 7, idx, 7), RV_OK);
    ck_assert_mem_eq(idx, all, sizeof all);
    ck_assert_int_eq(rv_topk(v, 7, idx, 8), RV_ERR_ARG);
    ck_assert_int_eq(rv_topk(v, 7, idx, 0), RV_ERR_ARG);
    ck_assert_int_eq(rv_topk(v, 0, idx, 1), RV_ERR_ARG);
    ck_assert_int_eq(rv_topk(NULL, 7, idx, 1), RV_ERR_NULL);
    ck_assert_int_eq(rv_topk(v, 7, NULL, 1), RV_ERR_NULL);
}
END_TEST

static rv_classification build(const float *l, uint32_t n, int32_t top)
{
    const rv_classification_hdr hdr = {9, 1234567890123ull, 77};
    uint8_t pkt[RV_CLASSIFICATION_SIZE];
    size_t written = 0;
    rv_classification c;

    ck_assert_int_eq(rv_classification_build(l, n, top, &hdr, pkt, sizeof pkt,
                                             &written), RV_OK);
    ck_assert_uint_eq(written, RV_CLASSIFICATION_SIZE);
    ck_assert_int_eq(rv_classification_decode(pkt, written, &c), RV_OK);
    ck_assert_uint_eq(c.node_id, 9);
    ck_assert_uint_eq(c.ts_us, 1234567890123ull);
    ck_assert_uint_eq(c.seq, 77);
    ck_assert_uint_eq(c.n_classes, n);
    return c;
}

START_TEST(test_packet)
{
    const float l[5] = {0.5f, 2.25f, -1.0f, 2.0f, 2.25f};
    rv_classification c = build(l, 5, -1);

    ck_assert_uint_eq(c.argmax, 1);                     /* tie: lowest index */
    ck_assert_float_eq(c.top_logit, 2.25f);
    ck_assert_float_eq(c.top1_minus_top2, 0.0f);
    c = build(l, 5, 3);                                 /* a trailing decision */
    ck_assert_uint_eq(c.argmax, 3);
    ck_assert_float_eq(c.top_logit, 2.0f);
    ck_assert_float_eq(c.top1_minus_top2, -0.25f);
    c = build(l, 5, 0);
    ck_assert_float_eq(c.top1_minus_top2, 0.5f - 2.25f);
    c = build((const float[]){-3.0f, 1.5f}, 2, -1);
    ck_assert_uint_eq(c.argmax, 1);
    ck_assert_float_eq(c.top1_minus_top2, 4.5f);
}
END_TEST

START_TEST(test_packet_errors)
{
    float l[300] = {0};
    const rv_classification_hdr hdr = {1, 0, 0};
    uint8_t pkt[RV_CLASSIFICATION_SIZE] = {0};
    size_t w = 99;

    ck_assert_int_eq(rv_classification_build(NULL, 3, -1, &hdr, pkt, sizeof pkt, &w), RV_ERR_NULL);
    ck_assert_int_eq(rv_classification_build(l, 3, -1, NULL, pkt, sizeof pkt, &w), RV_ERR_NULL);
    ck_assert_int_eq(rv_classification_build(l, 3, -1, &hdr, NULL, sizeof pkt, &w), RV_ERR_NULL);
    ck_assert_int_eq(rv_classification_build(l, 3, -1, &hdr, pkt, sizeof pkt, NULL), RV_ERR_NULL);
    ck_assert_int_eq(rv_classification_build(l, 1, -1, &hdr, pkt, sizeof pkt, &w), RV_ERR_ARG);
    ck_assert_int_eq(rv_classification_build(l, 257, -1, &hdr, pkt, sizeof pkt, &w), RV_ERR_ARG);
    ck_assert_int_eq(rv_classification_build(l, 256, 255, &hdr, pkt, sizeof pkt, &w), RV_OK);
    ck_assert_int_eq(rv_classification_build(l, 3, 3, &hdr, pkt, sizeof pkt, &w), RV_ERR_ARG);
    ck_assert_int_eq(rv_classification_build(l, 3, -1, &hdr, pkt, sizeof pkt - 1, &w),
                     RV_ERR_SHORT_OUTPUT);
    l[1] = NAN;
    memset(pkt, 0xab, sizeof pkt);
    ck_assert_int_eq(rv_classification_build(l, 3, -1, &hdr, pkt, sizeof pkt, &w),
                     RV_ERR_NOT_FINITE);
    ck_assert_uint_eq(pkt[0], 0xab);                    /* nothing written */
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("classify");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_softmax_matches_reference);
    tcase_add_test(tc, test_softmax_extremes);
    tcase_add_test(tc, test_softmax_errors);
    tcase_add_test(tc, test_topk);
    tcase_add_test(tc, test_packet);
    tcase_add_test(tc, test_packet_errors);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
