/*
 * test_train_load.c — rvtrain --init's loader (load.h): export -> load ->
 * export gives the same bytes, fp32 and fp16; a blob of another shape,
 * input kind or class list, or a damaged one, is refused with the option
 * that differs and leaves the network untouched.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "load.h"
#include "net.h"
#include "rng.h"
#include "check_main.h"

static const char *const labels[] = { "empty", "still", "walking", "fall" };

static rvt_net_cfg small_cfg(void)
{
    rvt_net_cfg c;
    memset(&c, 0, sizeof c);
    c.arch = (rv_rvne_arch){ .input_dim = 6, .q_heads = 2, .kv_heads = 1, .head_dim = 8,
        .n_layers = 2, .d_model = 12, .d_ff = 16, .input_proj = true, .norm = true,
        .head_bias = true, .n_heads = 1, .head_classes = { 4 } };
    c.attn = (rv_rvne_attn){ .window = 8, .block_size = 4, .log_stride = true,
        .landmarks = true };
    c.rope_pairs = 2;
    rvt_net_default_periods(c.rope_pairs, c.rope_periods);
    c.has_feat_norm = true;
    for (uint32_t d = 0; d < 6; d++) {
        c.feat_mean[d] = 0.1f * (float)d - 0.2f;
        c.feat_inv_std[d] = 1.0f / (1.0f + 0.3f * (float)d);
    }
    return c;
}

static const rvt_load_expect expect = { labels, RV_RVNE_INPUT_CSI, 3 };

static uint8_t *export(const rvt_net *net, bool fp16, size_t *len)
{
    rvt_export_info info = { "activity", labels, 7, 0.5f, "test data", "test notes",
                             fp16, RV_RVNE_INPUT_CSI, 3 };
    char err[200] = "";
    uint8_t *b = rvt_export_blob(net, &info, len, err, sizeof err);
    ck_assert_msg(b != NULL, "%s", err);
    return b;
}

/* A trained-looking network: weights that are not floats, so the export
 * rounds them. */
static void make_net(rvt_net *net, const rvt_net_cfg *c, uint64_t seed)
{
    char err[200] = "";
    ck_assert_msg(rvt_net_init(net, c, seed, err, sizeof err), "%s", err);
    rvt_rng r;
    rvt_rng_seed(&r, seed + 11);
    for (size_t i = 0; i < net->P.total; i++)
        net->P.w[i] += 0.1 * (2.0 * rvt_rng_uniform(&r) - 1.0);
}

static void round_trip(bool fp16)
{
    rvt_net_cfg c = small_cfg();
    rvt_net a, b;
    make_net(&a, &c, 1);
    size_t la = 0, lb = 0;
    uint8_t *ba = export(&a, fp16, &la);

    /* another seed and another normalisation: all of it must be replaced */
    rvt_net_cfg c2 = c;
    for (uint32_t d = 0; d < 6; d++)
        c2.feat_mean[d] = c2.feat_inv_std[d] = 2.0f;
    make_net(&b, &c2, 99);
    char err[200] = "";
    rvt_load_info got = { 0, 0.0f };
    ck_assert_msg(rvt_net_load(&b, ba, la, &expect, &got, err, sizeof err), "%s", err);
    rv_rvne_info bi;
    ck_assert_int_eq(rv_rvne_parse(ba, la, &bi), RV_OK);
    ck_assert_uint_eq(got.crc, bi.crc);
    ck_assert(got.accuracy == 0.5f);
    ck_assert(memcmp(b.cfg.feat_mean, c.feat_mean, 6 * sizeof(float)) == 0);
    ck_assert(memcmp(b.cfg.feat_inv_std, c.feat_inv_std, 6 * sizeof(float)) == 0);
    if (!fp16)
        for (size_t i = 0; i < a.P.total; i++)
            ck_assert(b.P.w[i] == (double)(float)a.P.w[i]);
    uint8_t *bb = export(&b, fp16, &lb);
    ck_assert_uint_eq(la, lb);
    ck_assert_msg(memcmp(ba, bb, la) == 0, "export -> load -> export differs (fp16 %d)", fp16);

    /* the same through a file */
    char path[] = "/tmp/rvtrain-load-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    ck_assert(write(fd, ba, la) == (ssize_t)la);
    close(fd);
    rvt_net d;
    make_net(&d, &c2, 5);
    ck_assert_msg(rvt_net_load_file(&d, path, &expect, NULL, err, sizeof err), "%s", err);
    unlink(path);
    ck_assert(memcmp(d.P.w, b.P.w, b.P.total * sizeof(double)) == 0);

    free(ba);
    free(bb);
    rvt_net_free(&a);
    rvt_net_free(&b);
    rvt_net_free(&d);
}

START_TEST(test_round_trip_fp32)
{
    round_trip(false);
}
END_TEST

START_TEST(test_round_trip_fp16)
{
    round_trip(true);
}
END_TEST

/* Loading blob (made from cfg `from`) into a network of cfg `into` fails
 * with want in the message; the network keeps its weights. */
static void refused(const rvt_net_cfg *from, const rvt_net_cfg *into,
                    const rvt_load_expect *e, const char *want)
{
    rvt_net a, b;
    make_net(&a, from, 1);
    size_t len = 0;
    uint8_t *blob = export(&a, false, &len);
    make_net(&b, into, 2);
    double *w0 = malloc(b.P.total * sizeof *w0);
    memcpy(w0, b.P.w, b.P.total * sizeof *w0);
    const rvt_net_cfg c0 = b.cfg;
    char err[200] = "";
    ck_assert(!rvt_net_load(&b, blob, len, e, NULL, err, sizeof err));
    ck_assert_msg(strstr(err, want) != NULL, "message '%s' lacks '%s'", err, want);
    ck_assert(memcmp(w0, b.P.w, b.P.total * sizeof *w0) == 0);
    ck_assert(memcmp(&c0, &b.cfg, sizeof c0) == 0);
    free(w0);
    free(blob);
    rvt_net_free(&a);
    rvt_net_free(&b);
}

START_TEST(test_mismatch_refused)
{
    const rvt_net_cfg c = small_cfg();
    for (int k = 0; k < 8; k++) {
        rvt_net_cfg x = c;
        const char *want = "";
        switch (k) {
        case 0: x.arch.d_ff = 24; want = "--ffn is 24 in this run, 16 in the model"; break;
        case 1: x.arch.n_layers = 1; want = "--layers is 1 in this run, 2 in the model"; break;
        case 2: x.arch.d_model = 16; want = "--d-model"; break;
        case 3: x.arch.kv_heads = 2; want = "--kv-heads"; break;
        case 4: x.attn.window = 16; want = "--window"; break;
        case 5: x.attn.log_stride = false; want = "--no-log-stride"; break;
        case 6: x.rope_pairs = 1; want = "--rope-pairs"; break;
        default: x.rope_periods[1] = 100; want = "rotary period 1"; break;
        }
        refused(&c, &x, &expect, want);
    }
    rvt_net_cfg x = c;
    x.arch.head_classes[0] = 3;
    const rvt_load_expect three = { labels, RV_RVNE_INPUT_CSI, 3 };
    refused(&c, &x, &three, "classes");

    /* same shape, other inputs or labels */
    const rvt_load_expect state = { labels, RV_RVNE_INPUT_FEATURE_STATE, 1 };
    refused(&c, &c, &state, "the model takes CSI features");
    static const char *const other[] = { "empty", "still", "fall", "walking" };
    const rvt_load_expect swapped = { other, RV_RVNE_INPUT_CSI, 3 };
    refused(&c, &c, &swapped, "class 2 is 'walking' in the model, 'fall' in this run");
}
END_TEST

START_TEST(test_bad_blob_refused)
{
    const rvt_net_cfg c = small_cfg();
    rvt_net a;
    make_net(&a, &c, 1);
    size_t len = 0;
    uint8_t *blob = export(&a, false, &len);
    char err[300] = "";
    blob[40] ^= 0x01;                      /* CRC no longer matches */
    ck_assert(!rvt_net_load(&a, blob, len, &expect, NULL, err, sizeof err));
    ck_assert_msg(strstr(err, "not a valid .rvne blob") != NULL, "%s", err);
    blob[40] ^= 0x01;
    ck_assert(!rvt_net_load(&a, blob, len - 1, &expect, NULL, err, sizeof err));
    ck_assert(!rvt_net_load(&a, blob, 0, &expect, NULL, err, sizeof err));
    ck_assert(!rvt_net_load_file(&a, "/nonexistent/model.rvne", &expect, NULL, err, sizeof err));
    ck_assert_msg(strstr(err, "cannot open /nonexistent/model.rvne") != NULL, "%s", err);
    ck_assert(!rvt_net_load_file(&a, "/", &expect, NULL, err, sizeof err));
    ck_assert(rvt_net_load(&a, blob, len, &expect, NULL, err, sizeof err));
    free(blob);
    rvt_net_free(&a);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("train_load");
    TCase *tc = tcase_create("load");
    tcase_add_test(tc, test_round_trip_fp32);
    tcase_add_test(tc, test_round_trip_fp16);
    tcase_add_test(tc, test_mismatch_refused);
    tcase_add_test(tc, test_bad_blob_refused);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(make_suite)
