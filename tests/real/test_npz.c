/*
 * test_npz.c — the .npz reader (src/real) on the vendored recordings and on
 * malformed archives built in memory: every defect gets its own message,
 * nothing crashes or reads out of bounds (run under ASan to see). Also the
 * playback timing that rvconvert and the benchmarks share.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "npz_build.h"
#include "rvreal_npz.h"
#include "rvreal_play.h"

static char err[512];

static const char *data_path(const char *rel)
{
    static char p[1024];
    const char *src = getenv("RV_SOURCE_DIR");
    snprintf(p, sizeof p, "%s/tests/data/real/espectre/%s", src ? src : ".", rel);
    return p;
}

static int load(nb_buf *z, rvreal_recording *r)
{
    int st = rvreal_npz_load_mem(z->d, z->n, r, err, sizeof err);
    free(z->d);
    return st;
}

/* The archive fails with status st and a message containing `what`. */
static void expect_fail(nb_buf z, int st, const char *what)
{
    rvreal_recording r;
    int got = load(&z, &r);
    ck_assert_msg(got == st, "status %d (want %d): %s", got, st, err);
    ck_assert_msg(strstr(err, what) != NULL, "message '%s' lacks '%s'", err, what);
    ck_assert_ptr_null(r.csi);
}

START_TEST(test_real_file)
{
    rvreal_recording r;
    int st = rvreal_npz_load_file(data_path("baseline/baseline_c3_64sc_20260329_130303.npz"),
                                  &r, err, sizeof err);
    ck_assert_msg(st == RVREAL_NPZ_OK, "%s", err);
    ck_assert_uint_eq(r.n_packets, 1017);
    ck_assert_uint_eq(r.n_subcarriers, 64);
    ck_assert_double_eq_tol(r.duration_ms, 10003.303, 0.001);
    ck_assert_str_eq(r.label, "baseline");
    ck_assert_str_eq(r.chip, "c3");
    ck_assert_int_eq(r.gain_locked, 1);
    ck_assert_str_eq(r.collected_at, "2026-03-29T13:03:03.633347");
    /* LLTF subcarrier 0 (DC) is null in every packet */
    for (uint32_t i = 0; i < r.n_packets; i++)
        ck_assert(r.csi[i * 128u] == 0 && r.csi[i * 128u + 1] == 0);
    rvreal_recording_free(&r);
    ck_assert_ptr_null(r.csi);
}
END_TEST

START_TEST(test_every_vendored_file)
{
    static const char *names[] = {
        "baseline/baseline_esp32_64sc_20260214_183059.npz",
        "movement/movement_esp32_64sc_20260214_183141.npz",
        "movement/movement_s3_64sc_20260117_222626.npz",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        rvreal_recording r;
        ck_assert_msg(rvreal_npz_load_file(data_path(names[i]), &r, err, sizeof err) == 0,
                      "%s", err);
        ck_assert_uint_eq(r.n_subcarriers, 64);
        ck_assert(r.n_packets > 900);
        ck_assert_int_eq(r.gain_locked, strstr(names[i], "esp32") ? 0 : 1);
        ck_assert_str_eq(r.label, names[i][0] == 'b' ? "baseline" : "movement");
        rvreal_recording_free(&r);
    }
}
END_TEST

START_TEST(test_synthetic_stored_and_deflated)
{
    for (int method = 0; method <= 8; method += 8) {
        nb_buf z = nb_recording(5, 3, "movement", method);
        rvreal_recording r;
        ck_assert_msg(load(&z, &r) == RVREAL_NPZ_OK, "%s", err);
        ck_assert_uint_eq(r.n_packets, 5);
        ck_assert_uint_eq(r.n_subcarriers, 3);
        ck_assert_int_eq(r.csi[1], (int8_t)(7 % 41) - 20);
        ck_assert_str_eq(r.label, "movement");
        ck_assert_str_eq(r.chip, "");
        rvreal_recording_free(&r);
    }
}
END_TEST

START_TEST(test_not_zip)
{
    nb_buf z = { 0 };
    nb_put(&z, "this is not a zip archive at all, just text", 43);
    expect_fail(z, RVREAL_NPZ_ERR_ZIP, "end-of-central-directory");
    nb_buf s = { 0 };
    nb_put(&s, "PK", 2);
    expect_fail(s, RVREAL_NPZ_ERR_ZIP, "too short");
}
END_TEST

START_TEST(test_truncations_never_crash)
{
    nb_buf z = nb_recording(20, 8, "baseline", 8);
    for (size_t cut = 0; cut < z.n; cut++) {
        rvreal_recording r;
        /* a copy of exactly `cut` bytes, so ASan sees any overread */
        uint8_t *c = malloc(cut ? cut : 1);
        memcpy(c, z.d, cut);
        ck_assert_int_ne(rvreal_npz_load_mem(c, cut, &r, err, sizeof err), RVREAL_NPZ_OK);
        ck_assert(err[0] != '\0');
        free(c);
    }
    free(z.d);
}
END_TEST

START_TEST(test_bit_flips_never_crash)
{
    nb_buf z = nb_recording(10, 4, "baseline", 8);
    int rejected = 0;
    for (size_t i = 0; i < z.n; i++) {
        for (int bit = 0; bit < 8; bit += 3) {
            uint8_t *c = malloc(z.n);
            memcpy(c, z.d, z.n);
            c[i] ^= (uint8_t)(1u << bit);
            rvreal_recording r;
            if (rvreal_npz_load_mem(c, z.n, &r, err, sizeof err) != RVREAL_NPZ_OK)
                rejected++;
            else
                ck_assert(r.n_packets >= 1 && r.n_subcarriers >= 1);
            rvreal_recording_free(&r);
            free(c);
        }
    }
    ck_assert(rejected > (int)z.n);   /* CRC and structure catch most flips */
    free(z.d);
}
END_TEST

START_TEST(test_bad_crc)
{
    int8_t iq[4] = { 1, 2, 3, 4 };
    double d = 1.0;
    nb_member m[] = {
        { "csi_data.npy", nb_npy("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 2), }", iq, 4), 8, 0, 1 },
        { "duration_ms.npy", nb_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", &d, 8), 0, 0, 0 },
    };
    nb_buf z = nb_zip(m, 2);
    free(m[0].data.d);
    free(m[1].data.d);
    expect_fail(z, RVREAL_NPZ_ERR_ZIP, "CRC-32");
}
END_TEST

/* One csi_data member with the given header and data, plus a duration. */
static nb_buf csi_only(const char *dict, const void *data, size_t n, int method,
                       uint16_t flags)
{
    double d = 1000.0;
    nb_member m[] = {
        { "csi_data.npy", nb_npy(dict, data, n), method, flags, 0 },
        { "duration_ms.npy", nb_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", &d, 8), 0, 0, 0 },
    };
    nb_buf z = nb_zip(m, 2);
    free(m[0].data.d);
    free(m[1].data.d);
    return z;
}

START_TEST(test_member_defects)
{
    int8_t iq[16] = { 0 };
    expect_fail(csi_only("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 4), }", iq, 8, 0, 1),
                RVREAL_NPZ_ERR_ZIP, "encrypted");
    expect_fail(csi_only("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 4), }", iq, 8, 12, 0),
                RVREAL_NPZ_ERR_ZIP, "compression method 12");
    expect_fail(csi_only("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 4), }", iq, 16, 8, 0),
                RVREAL_NPZ_ERR_CONTENT, "expected '|i1'");
    expect_fail(csi_only("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }", iq, 6, 8, 0),
                RVREAL_NPZ_ERR_CONTENT, "even count");
    expect_fail(csi_only("{'descr': '|i1', 'fortran_order': False, 'shape': (8,), }", iq, 8, 8, 0),
                RVREAL_NPZ_ERR_CONTENT, "expected 2");
    expect_fail(csi_only("{'descr': '|i1', 'fortran_order': True, 'shape': (2, 4), }", iq, 8, 8, 0),
                RVREAL_NPZ_ERR_CONTENT, "Fortran");
    expect_fail(csi_only("{'descr': '|i1', 'fortran_order': False, 'shape': (0, 4), }", iq, 0, 8, 0),
                RVREAL_NPZ_ERR_CONTENT, "0 packets");
    expect_fail(csi_only("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 4), }", iq, 7, 8, 0),
                RVREAL_NPZ_ERR_NPY, "7 data bytes");
    expect_fail(csi_only("{'descr': '|i1', 'shape': (2, 4), }", iq, 8, 8, 0),
                RVREAL_NPZ_ERR_NPY, "lacks 'fortran_order'");
    expect_fail(csi_only("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 4), 'x': 1}", iq, 8, 8, 0),
                RVREAL_NPZ_ERR_NPY, "unexpected or repeated key 'x'");
    expect_fail(csi_only("{'descr': '|i1', 'descr': '|i1', 'fortran_order': False, 'shape': (2, 4)}", iq, 8, 8, 0),
                RVREAL_NPZ_ERR_NPY, "repeated key 'descr'");
    expect_fail(csi_only("{'descr': '|i1', 'fortran_order': 0, 'shape': (2, 4)}", iq, 8, 8, 0),
                RVREAL_NPZ_ERR_NPY, "neither True nor False");
    expect_fail(csi_only("{'descr': '|i1', 'fortran_order': False, 'shape': (2, -4)}", iq, 8, 8, 0),
                RVREAL_NPZ_ERR_NPY, "'shape' is not a tuple");
    expect_fail(csi_only("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 4)} junk", iq, 8, 8, 0),
                RVREAL_NPZ_ERR_NPY, "text after");
    expect_fail(csi_only("{'descr': 'O', 'fortran_order': False, 'shape': (2, 4)}", iq, 8, 8, 0),
                RVREAL_NPZ_ERR_NPY, "dtype 'O' is not supported");
    expect_fail(csi_only("['descr']", iq, 8, 8, 0), RVREAL_NPZ_ERR_NPY, "not a dict");
    expect_fail(csi_only("{'descr': '|i1', 'fortran_order': False, 'shape': (99999999999, 99999999999)}", iq, 8, 8, 0),
                RVREAL_NPZ_ERR_NPY, "too large");
}
END_TEST

START_TEST(test_npy_magic_and_version)
{
    int8_t iq[8] = { 0 };
    nb_buf npy = nb_npy("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 4), }", iq, 8);
    double d = 1.0;
    for (int k = 0; k < 3; k++) {
        nb_buf bad = { 0 };
        nb_put(&bad, npy.d, npy.n);
        if (k == 0) bad.d[1] = 'X';                       /* magic */
        if (k == 1) bad.d[6] = 9;                         /* version */
        if (k == 2) bad.d[8] = 0xff, bad.d[9] = 0x7f;     /* header length */
        nb_member m[] = {
            { "csi_data.npy", bad, 0, 0, 0 },
            { "duration_ms.npy", nb_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", &d, 8), 0, 0, 0 },
        };
        nb_buf z = nb_zip(m, 2);
        free(bad.d);
        free(m[1].data.d);
        expect_fail(z, RVREAL_NPZ_ERR_NPY, k == 0 ? "magic" : k == 1 ? "version 9" : "runs past");
    }
    free(npy.d);
}
END_TEST

START_TEST(test_content_defects)
{
    int8_t iq[8] = { 0 };
    int64_t nsc = 3;
    double dneg = -5.0;
    uint32_t bad_text[2] = { 'C', 0xe9 };
    nb_member m1[] = {
        { "csi_data.npy", nb_npy("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 4), }", iq, 8), 0, 0, 0 },
    };
    nb_buf z = nb_zip(m1, 1);
    free(m1[0].data.d);
    expect_fail(z, RVREAL_NPZ_ERR_CONTENT, "no duration_ms");

    nb_member m2[] = {
        { "duration_ms.npy", nb_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", &dneg, 8), 0, 0, 0 },
    };
    z = nb_zip(m2, 1);
    free(m2[0].data.d);
    expect_fail(z, RVREAL_NPZ_ERR_CONTENT, "not a duration");

    double d = 1.0;
    nb_member m3[] = {
        { "csi_data.npy", nb_npy("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 4), }", iq, 8), 0, 0, 0 },
        { "duration_ms.npy", nb_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", &d, 8), 0, 0, 0 },
        { "num_subcarriers.npy", nb_npy("{'descr': '<i8', 'fortran_order': False, 'shape': (), }", &nsc, 8), 0, 0, 0 },
        { "chip.npy", nb_npy("{'descr': '<U2', 'fortran_order': False, 'shape': (), }", bad_text, 8), 0, 0, 0 },
    };
    z = nb_zip(m3, 3);
    expect_fail(z, RVREAL_NPZ_ERR_CONTENT, "num_subcarriers says 3, csi_data has 2");
    free(m3[2].data.d);
    m3[2] = m3[3];
    z = nb_zip(m3, 3);
    expect_fail(z, RVREAL_NPZ_ERR_CONTENT, "chip.npy: character 1 is not printable ASCII");
    nb_member dup[] = { m3[0], m3[1], m3[0] };
    z = nb_zip(dup, 3);
    expect_fail(z, RVREAL_NPZ_ERR_ZIP, "appears twice");
    for (int i = 0; i < 4; i++)
        if (i != 2)
            free(m3[i].data.d);
}
END_TEST

START_TEST(test_player_timing)
{
    int8_t iq[2 * 2 * 4] = { 0 };
    rvreal_recording recs[2] = {
        { .csi = iq, .n_packets = 4, .n_subcarriers = 2, .duration_ms = 100.0 },
        { .csi = iq, .n_packets = 2, .n_subcarriers = 2, .duration_ms = 50.0 },
    };
    rvreal_player p;
    rvreal_packet pk;
    static const uint64_t want[] = { 7000, 32000, 57000, 82000, 107000, 132000 };
    rvreal_player_init(&p, recs, 2, 7000, 0, 1);
    for (size_t i = 0; i < 6; i++) {
        ck_assert(rvreal_player_next(&p, &pk));
        ck_assert_uint_eq(pk.t_us, want[i]);
        ck_assert_uint_eq(pk.seq, i);
        ck_assert_uint_eq(pk.file, i < 4 ? 0 : 1);
    }
    ck_assert(!rvreal_player_next(&p, &pk));

    /* jitter larger than the spacing: times move but never go backwards */
    rvreal_player_init(&p, recs, 2, 0, 40000, 9);
    uint64_t last = 0, moved = 0;
    for (size_t i = 0; rvreal_player_next(&p, &pk); i++) {
        ck_assert_uint_ge(pk.t_us, last);
        moved += pk.t_us != want[i] - 7000;
        last = pk.t_us;
    }
    ck_assert_uint_gt(moved, 3);
    ck_assert(rvreal_label_is_motion("movement") && !rvreal_label_is_motion("baseline"));
}
END_TEST

static Suite *npz_suite(void)
{
    Suite *s = suite_create("npz");
    TCase *tc = tcase_create("reader");
    tcase_add_test(tc, test_real_file);
    tcase_add_test(tc, test_every_vendored_file);
    tcase_add_test(tc, test_synthetic_stored_and_deflated);
    tcase_add_test(tc, test_not_zip);
    tcase_add_test(tc, test_truncations_never_crash);
    tcase_add_test(tc, test_bit_flips_never_crash);
    tcase_add_test(tc, test_bad_crc);
    tcase_add_test(tc, test_member_defects);
    tcase_add_test(tc, test_npy_magic_and_version);
    tcase_add_test(tc, test_content_defects);
    tcase_add_test(tc, test_player_timing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(npz_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
