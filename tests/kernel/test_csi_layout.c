/*
 * test_csi_layout.c — documented CSI buffer layouts (rv_csi_layout.h):
 * every supported pair count lists the right tones at the right buffer
 * indices, in frequency order; other counts are refused.
 */
#include <check.h>
#include <string.h>

#include "rv_csi_layout.h"

typedef struct {
    uint32_t n_pairs;
    rv_csi_field field;
    uint8_t n_fields;
    uint16_t n_sc;       /* informative tones */
    int lo, hi;          /* lo <= |k| <= hi */
    uint16_t n_pilots;
    /* two spot checks: subcarrier -> buffer index */
    int k_neg, idx_neg, k_pos, idx_pos;
} expect;

static const expect k_expect[] = {
    { 64,  RV_CSI_FIELD_LLTF,     1, 52,  1, 26,  4, -26, 38,  1,   1 },
    { 128, RV_CSI_FIELD_HT_LTF20, 2, 56,  1, 28,  4, -28, 100, 28,  92 },
    { 192, RV_CSI_FIELD_HT_LTF20, 3, 56,  1, 28,  4, -1,  127, 1,   65 },
    { 256, RV_CSI_FIELD_HE_LTF20, 1, 242, 2, 122, 8, -122, 134, 2,  2 },
    { 384, RV_CSI_FIELD_HT_LTF40, 3, 114, 2, 58,  6, -58, 198, 2,   130 },
    { 53,  RV_CSI_FIELD_LLTF,     1, 52,  1, 26,  4, -26, 27,  26,  26 },
    { 57,  RV_CSI_FIELD_HT_LTF20, 1, 56,  1, 28,  4, -28, 29,  28,  28 },
    { 114, RV_CSI_FIELD_HT_LTF20, 2, 56,  1, 28,  4, -1,  56,  1,   1 },
    { 117, RV_CSI_FIELD_HT_LTF40, 1, 114, 2, 58,  6, -58, 59,  58,  58 },
    { 234, RV_CSI_FIELD_HT_LTF40, 2, 114, 2, 58,  6, -2,  115, 2,   2 },
    { 245, RV_CSI_FIELD_HE_LTF20, 1, 242, 2, 122, 8, -122, 123, 122, 122 },
};

START_TEST(test_every_layout)
{
    const expect *e = &k_expect[_i];
    static rv_csi_layout l;
    ck_assert(rv_csi_layout_supported(e->n_pairs));
    ck_assert_int_eq(rv_csi_layout_get(e->n_pairs, &l), RV_OK);
    ck_assert_uint_eq(l.n_pairs, e->n_pairs);
    ck_assert_int_eq(l.field, e->field);
    ck_assert_uint_eq(l.n_fields, e->n_fields);
    ck_assert_uint_eq(l.n_sc, e->n_sc);
    ck_assert_uint_le(l.n_sc, RV_CSI_LAYOUT_MAX_SC);
    uint8_t seen[512];
    memset(seen, 0, sizeof(seen));
    uint16_t pilots = 0;
    int found_neg = 0, found_pos = 0;
    for (uint16_t i = 0; i < l.n_sc; i++) {
        const rv_csi_sc *sc = &l.sc[i];
        int ak = sc->k < 0 ? -sc->k : sc->k;
        ck_assert_int_ge(ak, e->lo);
        ck_assert_int_le(ak, e->hi);
        if (i)
            ck_assert_int_lt(l.sc[i - 1].k, sc->k);   /* frequency order */
        ck_assert_uint_lt(sc->index, e->n_pairs);       /* inside the buffer */
        ck_assert_uint_eq(seen[sc->index], 0);          /* each pair once */
        seen[sc->index] = 1;
        pilots += sc->pilot;
        if (sc->k == e->k_neg) {
            ck_assert_uint_eq(sc->index, e->idx_neg);
            found_neg = 1;
        }
        if (sc->k == e->k_pos) {
            ck_assert_uint_eq(sc->index, e->idx_pos);
            found_pos = 1;
        }
    }
    ck_assert(found_neg && found_pos);
    ck_assert_uint_eq(pilots, e->n_pilots);
    /* every tone in range is listed: none dropped by the index maths */
    ck_assert_uint_eq(l.n_sc, 2u * (unsigned)(e->hi - e->lo + 1));
    ck_assert_str_ne(rv_csi_field_name(l.field), "none");
}
END_TEST

START_TEST(test_pilots)
{
    static rv_csi_layout l;
    ck_assert_int_eq(rv_csi_layout_get(64, &l), RV_OK);
    for (uint16_t i = 0; i < l.n_sc; i++) {
        int ak = l.sc[i].k < 0 ? -l.sc[i].k : l.sc[i].k;
        ck_assert_uint_eq(l.sc[i].pilot, (ak == 7 || ak == 21) ? 1u : 0u);
    }
    ck_assert_int_eq(rv_csi_layout_get(384, &l), RV_OK);
    for (uint16_t i = 0; i < l.n_sc; i++) {
        int ak = l.sc[i].k < 0 ? -l.sc[i].k : l.sc[i].k;
        ck_assert_uint_eq(l.sc[i].pilot, (ak == 11 || ak == 25 || ak == 53) ? 1u : 0u);
    }
}
END_TEST

/* Counts without a documented layout, including ones that are multiples of
 * 64 and the classic chips' secondary-channel counts we do not map. */
START_TEST(test_malformed_counts)
{
    static const uint32_t bad[] = { 0, 1, 52, 63, 65, 127, 129, 188, 190, 255, 257,
                                    300, 306, 320, 383, 385, 448, 512, 4096,
                                    UINT32_MAX };
    static rv_csi_layout l;
    static rv_csi_layout zero;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&l, 0xA5, sizeof(l));
        ck_assert_int_eq(rv_csi_layout_get(bad[i], &l), RV_ERR_SUBCARRIERS);
        ck_assert_mem_eq(&l, &zero, sizeof(l));          /* zeroed, not stale */
        ck_assert(!rv_csi_layout_supported(bad[i]));
    }
    ck_assert_int_eq(rv_csi_layout_get(64, NULL), RV_ERR_NULL);
    ck_assert_str_eq(rv_csi_field_name(RV_CSI_FIELD_NONE), "none");
    ck_assert_str_eq(rv_csi_field_name((rv_csi_field)99), "none");
    ck_assert_str_eq(rv_csi_field_name(RV_CSI_FIELD_HE_LTF20), "HE-LTF20");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("csi_layout");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_every_layout, 0,
                        (int)(sizeof(k_expect) / sizeof(k_expect[0])));
    tcase_add_test(tc, test_pilots);
    tcase_add_test(tc, test_malformed_counts);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
