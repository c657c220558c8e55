/* test_wire_reject.c — malformed node packets: every truncation, padding,
 * bad magics, lying length fields, corrupted CRCs, absurd counts, NULLs.
 * Every decode runs on an exactly-sized heap copy so ASan reports any read
 * past the given length. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "rv_wire.h"
#include "rv_crc32.h"
#include "wire_golden.h"

typedef struct {
    const char *name;
    const uint8_t *g;
    size_t n;
    size_t trunc_below;   /* shorter than this: RV_ERR_TRUNCATED, else LENGTH */
} kind_case;

static const kind_case cases[] = {
    {"csi", golden_csi, sizeof golden_csi, 20},
    {"csi-2ant", golden_csi_2ant, sizeof golden_csi_2ant, 20},
    {"vitals", golden_vitals, sizeof golden_vitals, 32},
    {"fused", golden_fused, sizeof golden_fused, 8},
    {"features", golden_features, sizeof golden_features, 48},
    {"wasm", golden_wasm, sizeof golden_wasm, 8},
    {"wasm7", golden_wasm7, sizeof golden_wasm7, 40},
    {"state", golden_state, sizeof golden_state, 60},
    {"class", golden_class, sizeof golden_class, 40},
    {"compressed", golden_compressed, sizeof golden_compressed, 10},
    {"mesh", golden_mesh, sizeof golden_mesh, 20},
    {"timesync", golden_timesync, sizeof golden_timesync, 32},
    {"timesync-v2", golden_timesync_v2, sizeof golden_timesync_v2, 32},
};
#define N_CASES (sizeof cases / sizeof cases[0])

static rv_status decode_exact(const uint8_t *src, size_t len, rv_pkt *p)
{
    uint8_t *b = wire_exact(src, len);
    ck_assert_ptr_nonnull(b);
    rv_status st = rv_pkt_decode(b, len, p);
    free(b);
    return st;
}

START_TEST(test_every_truncation)
{
    const kind_case *c = &cases[_i];
    for (size_t len = 0; len < c->n; len++) {
        rv_pkt p;
        rv_status st = decode_exact(c->g, len, &p);
        rv_status want = (len < 4 || len < c->trunc_below) ? RV_ERR_TRUNCATED
                                                           : RV_ERR_LENGTH;
        if (c->g == golden_timesync_v2 && len == 32)
            want = RV_OK;     /* a v2 packet cut to 32 bytes is a valid v1 */
        if (c->g == golden_class && len == 28) {
            /* documented ambiguity: bytes 6..7 (n_classes = 4) match the
             * WASM shape 8 + 5*4; a UDP datagram is never cut like this */
            ck_assert_int_eq(st, RV_OK);
            ck_assert_int_eq(p.kind, RV_PKT_WASM_OUTPUT);
            continue;
        }
        ck_assert_msg(st == want, "%s len %zu: got %d (%s), want %d", c->name,
                      len, st, rv_status_str(st), want);
    }
}
END_TEST

START_TEST(test_specific_decoders_truncation)
{
    /* the per-kind decoders: everything shorter than the fixed size is TRUNCATED */
    for (size_t len = 0; len < 60; len++) {
        uint8_t *b;
        rv_vitals v;
        rv_feature_vector f;
        rv_feature_state s;
        rv_classification c;
        rv_timesync t;
        if (len < 32) {
            b = wire_exact(golden_vitals, len);
            ck_assert_int_eq(rv_vitals_decode(b, len, &v), RV_ERR_TRUNCATED);
            free(b);
            b = wire_exact(golden_timesync, len);
            ck_assert_int_eq(rv_timesync_decode(b, len, &t), RV_ERR_TRUNCATED);
            free(b);
        }
        if (len < 40) {
            b = wire_exact(golden_class, len);
            ck_assert_int_eq(rv_classification_decode(b, len, &c), RV_ERR_TRUNCATED);
            free(b);
        }
        if (len < 48) {
            b = wire_exact(golden_fused, len);
            ck_assert_int_eq(rv_vitals_decode(b, len, &v), RV_ERR_TRUNCATED);
            free(b);
            b = wire_exact(golden_features, len);
            ck_assert_int_eq(rv_feature_vector_decode(b, len, &f), RV_ERR_TRUNCATED);
            free(b);
        }
        b = wire_exact(golden_state, len);
        ck_assert_int_eq(rv_feature_state_decode(b, len, &s), RV_ERR_TRUNCATED);
        free(b);
    }
}
END_TEST

START_TEST(test_padding_rejected)
{
    const kind_case *c = &cases[_i];
    uint8_t big[64];
    memcpy(big, c->g, c->n);
    big[c->n] = 0;
    rv_pkt p;
    rv_status st = decode_exact(big, c->n + 1, &p);
    /* WASM on 0xC5110007 that loses its shape is read as a short classification */
    rv_status want = c->g == golden_wasm7 ? RV_ERR_TRUNCATED : RV_ERR_LENGTH;
    ck_assert_msg(st == want, "%s + 1 byte: got %d", c->name, st);
}
END_TEST

START_TEST(test_bad_magic)
{
    static const uint32_t bad[] = {0u, 0xC5110000u, 0xC5110008u, 0xC5118101u,
                                   0xC511A111u, 0x01C51100u, 0xDEADBEEFu};
    uint8_t b[64];
    memcpy(b, golden_vitals, 32);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b[0] = (uint8_t)bad[i];
        b[1] = (uint8_t)(bad[i] >> 8);
        b[2] = (uint8_t)(bad[i] >> 16);
        b[3] = (uint8_t)(bad[i] >> 24);
        rv_pkt p;
        ck_assert_int_eq(decode_exact(b, 32, &p), RV_ERR_MAGIC);
        ck_assert_int_eq(p.kind, RV_PKT_UNKNOWN);
        ck_assert_uint_eq(p.magic, bad[i]);
        ck_assert_int_eq(decode_exact(b, 4, &p), RV_ERR_MAGIC);
    }
    /* each specific decoder refuses the other kinds' magics */
    rv_csi_frame f;
    rv_vitals v;
    rv_feature_vector fv;
    rv_wasm_output w;
    rv_feature_state s;
    rv_classification c;
    rv_csi_compressed z;
    rv_mesh_msg m;
    rv_timesync t;
    ck_assert_int_eq(rv_csi_frame_decode(golden_vitals, 32, &f), RV_ERR_MAGIC);
    ck_assert_int_eq(rv_vitals_decode(golden_csi, 24, &v), RV_ERR_MAGIC);
    ck_assert_int_eq(rv_feature_vector_decode(golden_fused, 48, &fv), RV_ERR_MAGIC);
    ck_assert_int_eq(rv_wasm_output_decode(golden_vitals, 32, &w), RV_ERR_MAGIC);
    ck_assert_int_eq(rv_feature_state_decode(golden_class, 40, &s), RV_ERR_MAGIC);
    ck_assert_int_eq(rv_classification_decode(golden_state, 60, &c), RV_ERR_MAGIC);
    ck_assert_int_eq(rv_csi_compressed_decode(golden_mesh, 36, &z), RV_ERR_MAGIC);
    ck_assert_int_eq(rv_mesh_decode(golden_timesync, 32, &m), RV_ERR_MAGIC);
    ck_assert_int_eq(rv_timesync_decode(golden_mesh, 36, &t), RV_ERR_MAGIC);
}
END_TEST

/* Raw CSI with patched n_antennas / n_subcarriers in a buffer of len bytes. */
static rv_status csi_with(uint8_t n_ant, uint16_t n_sc, size_t len)
{
    uint8_t *b = calloc(len, 1);
    memcpy(b, golden_csi, len < 20 ? len : 20);
    if (len >= 8) {
        b[5] = n_ant;
        b[6] = (uint8_t)n_sc;
        b[7] = (uint8_t)(n_sc >> 8);
    }
    rv_pkt p;
    rv_status st = rv_pkt_decode(b, len, &p);
    free(b);
    return st;
}

START_TEST(test_csi_counts)
{
    ck_assert_int_eq(csi_with(0, 2, 24), RV_ERR_ANTENNAS);
    ck_assert_int_eq(csi_with(5, 2, 24), RV_ERR_ANTENNAS);
    ck_assert_int_eq(csi_with(255, 2, 24), RV_ERR_ANTENNAS);
    ck_assert_int_eq(csi_with(1, 0, 24), RV_ERR_SUBCARRIERS);
    ck_assert_int_eq(csi_with(1, 4097, 24), RV_ERR_SUBCARRIERS);
    ck_assert_int_eq(csi_with(1, 0xFFFF, 24), RV_ERR_SUBCARRIERS);
    /* lying length fields: header and datagram disagree */
    ck_assert_int_eq(csi_with(1, 3, 24), RV_ERR_LENGTH);
    ck_assert_int_eq(csi_with(1, 1, 24), RV_ERR_LENGTH);
    ck_assert_int_eq(csi_with(2, 2, 24), RV_ERR_LENGTH);
    ck_assert_int_eq(csi_with(1, 64, 147), RV_ERR_LENGTH);
    ck_assert_int_eq(csi_with(1, 64, 149), RV_ERR_LENGTH);
    ck_assert_int_eq(csi_with(1, 256, 20 + 256), RV_ERR_LENGTH);  /* u8-count size */
    /* the limits themselves are fine */
    ck_assert_int_eq(csi_with(1, 64, 148), RV_OK);
    ck_assert_int_eq(csi_with(1, 192, 404), RV_OK);
    ck_assert_int_eq(csi_with(4, 4096, 20 + 2 * 4 * 4096), RV_OK);
    ck_assert_uint_eq(rv_csi_frame_size(0, 1), 0);
    ck_assert_uint_eq(rv_csi_frame_size(1, 4097), 0);
    ck_assert_uint_eq(rv_csi_frame_size(4, 4096), 20 + 2 * 4 * 4096);
}
END_TEST

/* Flip each bit-0 and bit-7 of every byte of a CRC-protected packet. */
static void flip_all(const uint8_t *g, size_t n, size_t plen_at)
{
    static const uint8_t masks[2] = {0x01, 0x80};
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < 2; k++) {
            uint8_t *b = wire_exact(g, n);
            b[i] ^= masks[k];
            rv_pkt p;
            rv_status st = rv_pkt_decode(b, n, &p);
            free(b);
            if (i < 4) {
                /* 0xC5110006 and 0xC5110007 differ in bit 0: the flip may
                 * land on the other kind, which then has the wrong length */
                ck_assert(st == RV_ERR_MAGIC || st == RV_ERR_LENGTH ||
                          st == RV_ERR_TRUNCATED);
            } else if (plen_at && (i == plen_at || i == plen_at + 1)) {
                /* the mesh payload_len now disagrees with the datagram */
                ck_assert(st == RV_ERR_LENGTH || st == RV_ERR_FIELD);
            } else {
                ck_assert_msg(st == RV_ERR_CRC, "byte %zu mask %x: %d", i,
                              masks[k], st);
            }
        }
    }
}

START_TEST(test_crc_flips)
{
    flip_all(golden_state, sizeof golden_state, 0);
    flip_all(golden_class, sizeof golden_class, 0);
    flip_all(golden_mesh, sizeof golden_mesh, 12);
}
END_TEST

/* Patch a CRC-protected packet and re-seal it so only the field check fails. */
static rv_status patched(const uint8_t *g, size_t n, size_t at, uint8_t v)
{
    uint8_t *b = wire_exact(g, n);
    b[at] = v;
    uint32_t crc = rv_crc32(b, n - 4);
    b[n - 4] = (uint8_t)crc;
    b[n - 3] = (uint8_t)(crc >> 8);
    b[n - 2] = (uint8_t)(crc >> 16);
    b[n - 1] = (uint8_t)(crc >> 24);
    rv_pkt p;
    rv_status st = rv_pkt_decode(b, n, &p);
    free(b);
    return st;
}

START_TEST(test_field_checks)
{
    ck_assert_int_eq(patched(golden_class, 40, 4, 2), RV_ERR_VERSION);
    ck_assert_int_eq(patched(golden_class, 40, 4, 0), RV_ERR_VERSION);
    ck_assert_int_eq(patched(golden_class, 40, 5, 1), RV_ERR_VERSION); /* 0x0101 */
    ck_assert_int_eq(patched(golden_class, 40, 6, 1), RV_ERR_FIELD);   /* 1 class */
    ck_assert_int_eq(patched(golden_class, 40, 6, 0), RV_ERR_FIELD);
    ck_assert_int_eq(patched(golden_class, 40, 24, 4), RV_ERR_FIELD);  /* argmax == n */
    ck_assert_int_eq(patched(golden_class, 40, 24, 255), RV_ERR_FIELD);
    ck_assert_int_eq(patched(golden_class, 40, 24, 3), RV_OK);
    ck_assert_int_eq(patched(golden_mesh, 36, 4, 2), RV_ERR_VERSION);
    ck_assert_int_eq(patched(golden_mesh, 36, 4, 0), RV_ERR_VERSION);
    ck_assert_int_eq(patched(golden_mesh, 36, 5, 9), RV_OK);   /* type not checked */
    ck_assert_int_eq(patched(golden_state, 60, 5, 7), RV_OK);
}
END_TEST

START_TEST(test_mesh_lengths)
{
    /* payload_len above 256 is refused even when it matches the datagram */
    size_t n = 16 + 300 + 4;
    uint8_t *b = calloc(n, 1);
    memcpy(b, golden_mesh, 16);
    b[12] = (uint8_t)300;
    b[13] = (uint8_t)(300 >> 8);
    rv_mesh_msg m;
    ck_assert_int_eq(rv_mesh_decode(b, n, &m), RV_ERR_FIELD);
    free(b);
    /* empty payload: header + CRC only */
    uint8_t e[20];
    memcpy(e, golden_mesh, 16);
    e[12] = 0;
    e[13] = 0;
    uint32_t crc = rv_crc32(e, 16);
    for (int i = 0; i < 4; i++)
        e[16 + i] = (uint8_t)(crc >> (8 * i));
    ck_assert_int_eq(rv_mesh_decode(e, 20, &m), RV_OK);
    ck_assert_uint_eq(m.payload_len, 0);
    /* claims 17 bytes but carries 16 */
    uint8_t l[36];
    memcpy(l, golden_mesh, 36);
    l[12] = 17;
    ck_assert_int_eq(rv_mesh_decode(l, 36, &m), RV_ERR_LENGTH);
}
END_TEST

START_TEST(test_wasm_shapes)
{
    rv_pkt p;
    rv_wasm_output w;
    uint8_t b[400];
    memset(b, 0, sizeof b);
    memcpy(b, golden_wasm, 8);
    /* count says 3, datagram carries 2 events */
    b[6] = 3;
    ck_assert_int_eq(decode_exact(b, 18, &p), RV_ERR_LENGTH);
    ck_assert_int_eq(p.kind, RV_PKT_FUSED_VITALS);   /* counted under its magic */
    ck_assert_int_eq(rv_wasm_output_decode(b, 18, &w), RV_ERR_LENGTH);
    /* zero events: not a WASM shape for dispatch, a FIELD error directly */
    b[6] = 0;
    ck_assert_int_eq(decode_exact(b, 8, &p), RV_ERR_LENGTH);
    ck_assert_int_eq(rv_wasm_output_decode(b, 8, &w), RV_ERR_FIELD);
    /* more events than RV_WASM_MAX_EVENTS */
    b[6] = 65;
    ck_assert_int_eq(decode_exact(b, 8 + 5 * 65, &p), RV_ERR_FIELD);
    ck_assert_int_eq(p.kind, RV_PKT_WASM_OUTPUT);
    b[6] = 64;
    ck_assert_int_eq(decode_exact(b, 8 + 5 * 64, &p), RV_OK);
    ck_assert_uint_eq(p.u.wasm.n_events, 64);
    /* 48 bytes is fused vitals unless bytes 6..7 hold 8: 48 == 8 + 5*8 is
     * also a WASM packet with 8 events (breathing 0.08 BPM is not a rate
     * the firmware reports) */
    memcpy(b, golden_fused, 48);
    b[6] = 9;
    b[7] = 0;
    ck_assert_int_eq(decode_exact(b, 48, &p), RV_OK);
    ck_assert_int_eq(p.kind, RV_PKT_FUSED_VITALS);
    ck_assert_int_eq(rv_wasm_output_decode(b, 48, &w), RV_ERR_LENGTH);
    b[6] = 8;
    ck_assert_int_eq(decode_exact(b, 48, &p), RV_OK);
    ck_assert_int_eq(p.kind, RV_PKT_WASM_OUTPUT);
    ck_assert_uint_eq(p.u.wasm.n_events, 8);
    b[7] = 1;   /* 0x0108 events: not the shape, so fused again */
    ck_assert_int_eq(decode_exact(b, 48, &p), RV_OK);
    ck_assert_int_eq(p.kind, RV_PKT_FUSED_VITALS);
    /* 40 bytes on 0xC5110007 is always a classification */
    ck_assert_int_eq(decode_exact(golden_class, 40, &p), RV_OK);
    ck_assert_int_eq(p.kind, RV_PKT_CLASSIFICATION);
}
END_TEST

START_TEST(test_other_lengths)
{
    rv_pkt p;
    uint8_t b[64];
    memcpy(b, golden_compressed, 13);
    b[8] = 4;                           /* claims 4 compressed bytes, has 3 */
    ck_assert_int_eq(decode_exact(b, 13, &p), RV_ERR_LENGTH);
    b[8] = 0;                           /* header only, 0 bytes: fine */
    ck_assert_int_eq(decode_exact(b, 10, &p), RV_OK);
    ck_assert_uint_eq(p.u.opaque.body_len, 0);
    memcpy(b, golden_timesync_v2, 38);
    for (size_t len = 33; len < 38; len++)
        ck_assert_int_eq(decode_exact(b, len, &p), RV_ERR_LENGTH);
}
END_TEST

START_TEST(test_null_args)
{
    rv_pkt p;
    rv_csi_frame f;
    ck_assert_int_eq(rv_pkt_decode(NULL, 24, &p), RV_ERR_NULL);
    ck_assert_int_eq(rv_pkt_decode(golden_csi, 24, NULL), RV_ERR_NULL);
    ck_assert_int_eq(rv_csi_frame_decode(NULL, 24, &f), RV_ERR_NULL);
    ck_assert_int_eq(rv_csi_frame_decode(golden_csi, 24, NULL), RV_ERR_NULL);
    ck_assert_int_eq(rv_vitals_decode(NULL, 32, NULL), RV_ERR_NULL);
    ck_assert_int_eq(rv_mesh_decode(golden_mesh, 36, NULL), RV_ERR_NULL);
    ck_assert_int_eq(rv_timesync_decode(NULL, 32, NULL), RV_ERR_NULL);
}
END_TEST

START_TEST(test_encoder_errors)
{
    uint8_t out[128];
    size_t w = 99;
    rv_csi_frame f;
    ck_assert_int_eq(rv_csi_frame_decode(golden_csi, 24, &f), RV_OK);
    ck_assert_int_eq(rv_csi_frame_encode(&f, out, 23, &w), RV_ERR_SHORT_OUTPUT);
    ck_assert_uint_eq(w, 0);
    ck_assert_int_eq(rv_csi_frame_encode(&f, NULL, 64, &w), RV_ERR_NULL);
    ck_assert_int_eq(rv_csi_frame_encode(&f, out, 64, NULL), RV_ERR_NULL);
    rv_csi_frame g = f;
    g.n_antennas = 0;
    ck_assert_int_eq(rv_csi_frame_encode(&g, out, 64, &w), RV_ERR_ANTENNAS);
    g = f;
    g.n_subcarriers = 5000;
    ck_assert_int_eq(rv_csi_frame_encode(&g, out, 64, &w), RV_ERR_SUBCARRIERS);
    g = f;
    g.iq = NULL;
    ck_assert_int_eq(rv_csi_frame_encode(&g, out, 64, &w), RV_ERR_NULL);

    rv_classification c;
    ck_assert_int_eq(rv_classification_decode(golden_class, 40, &c), RV_OK);
    ck_assert_int_eq(rv_classification_encode(&c, out, 39, &w), RV_ERR_SHORT_OUTPUT);
    c.version = 2;
    ck_assert_int_eq(rv_classification_encode(&c, out, 64, &w), RV_ERR_VERSION);
    c.version = 1;
    c.argmax = 4;
    ck_assert_int_eq(rv_classification_encode(&c, out, 64, &w), RV_ERR_FIELD);

    rv_vitals v;
    memset(&v, 0, sizeof v);
    ck_assert_int_eq(rv_vitals_encode(&v, true, out, 47, &w), RV_ERR_SHORT_OUTPUT);
    ck_assert_int_eq(rv_vitals_encode(&v, false, out, 32, &w), RV_OK);
    ck_assert_int_eq(rv_vitals_encode(NULL, false, out, 32, &w), RV_ERR_NULL);

    rv_wasm_output wo;
    memset(&wo, 0, sizeof wo);
    ck_assert_int_eq(rv_wasm_output_encode(&wo, out, 64, &w), RV_ERR_FIELD);
    wo.n_events = 1;
    wo.magic = RV_MAGIC_VITALS;
    ck_assert_int_eq(rv_wasm_output_encode(&wo, out, 64, &w), RV_ERR_ARG);
    wo.magic = 0;
    ck_assert_int_eq(rv_wasm_output_encode(&wo, out, 12, &w), RV_ERR_SHORT_OUTPUT);
    ck_assert_int_eq(rv_wasm_output_encode(&wo, out, 13, &w), RV_OK);

    rv_mesh_msg m;
    memset(&m, 0, sizeof m);
    ck_assert_int_eq(rv_mesh_encode(&m, out, 64, &w), RV_ERR_VERSION);
    m.version = 1;
    m.payload_len = 4;
    ck_assert_int_eq(rv_mesh_encode(&m, out, 64, &w), RV_ERR_NULL);
    m.payload_len = 257;
    ck_assert_int_eq(rv_mesh_encode(&m, out, 64, &w), RV_ERR_FIELD);

    rv_timesync t;
    memset(&t, 0, sizeof t);
    t.has_mac = true;
    t.proto_ver = 1;
    ck_assert_int_eq(rv_timesync_encode(&t, out, 64, &w), RV_ERR_VERSION);

    rv_csi_compressed z;
    memset(&z, 0, sizeof z);
    z.comp_len = 5;
    ck_assert_int_eq(rv_csi_compressed_encode(&z, out, 64, &w), RV_ERR_NULL);
}
END_TEST

static Suite *reject_suite(void)
{
    Suite *s = suite_create("wire-reject");
    TCase *tc = tcase_create("reject");
    tcase_add_loop_test(tc, test_every_truncation, 0, (int)N_CASES);
    tcase_add_loop_test(tc, test_padding_rejected, 0, (int)N_CASES);
    tcase_add_test(tc, test_specific_decoders_truncation);
    tcase_add_test(tc, test_bad_magic);
    tcase_add_test(tc, test_csi_counts);
    tcase_add_test(tc, test_crc_flips);
    tcase_add_test(tc, test_field_checks);
    tcase_add_test(tc, test_mesh_lengths);
    tcase_add_test(tc, test_wasm_shapes);
    tcase_add_test(tc, test_other_lengths);
    tcase_add_test(tc, test_null_args);
    tcase_add_test(tc, test_encoder_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reject_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
