/*
 * test_ruv_temporal.c — host tests of the firmware ABI shim
 * (firmware/esp-idf/components/rv_temporal): every documented esp_err_t,
 * the one-allocation rule, agreement with the kernel model it wraps, the
 * self-test, and the 0xC5110007 packet through the host decoder.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ruv_temporal.h"
#include "ruv_temporal_pkt.h"
#include "rv_crc32.h"
#include "rv_model.h"
#include "rv_rvne.h"
#include "rv_wire.h"

/* ---- the allocator the shim calls: counts, can fail, can keep memory ---- */

static unsigned n_alloc, n_free;
static size_t last_size;
static int fail_next;
static int keep_on_free;          /* free() parks the block (dead-ctx tests) */
static void *parked[8];
static unsigned n_parked;

void *ruv_temporal_mem_alloc(size_t size)
{
    n_alloc++;
    last_size = size;
    if (fail_next) {
        fail_next = 0;
        return NULL;
    }
    return malloc(size);
}

void ruv_temporal_mem_free(void *p)
{
    n_free++;
    if (keep_on_free && n_parked < 8) {
        parked[n_parked++] = p;
        return;
    }
    free(p);
}

static void alloc_reset(void)
{
    for (unsigned i = 0; i < n_parked; i++)
        free(parked[i]);
    n_parked = 0;
    n_alloc = n_free = 0;
    last_size = 0;
    fail_next = keep_on_free = 0;
}

/* ---- a small deterministic model blob ---- */

#define IN 9u
#define CLS 4u
#define WIN 64u

static uint8_t blob[32768];
static size_t blob_len;
static float weights[8192];

static float unit(uint32_t i, uint32_t seed)
{
    uint32_t h = (i + seed * 7919u) * 2654435761u ^ 0x9e3779b9u;
    h ^= h >> 15;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    return (float)(h >> 8) * (2.0f / 16777216.0f) - 1.0f;
}

static void make_blob(uint32_t version)
{
    rv_rvne_spec s;
    memset(&s, 0, sizeof(s));
    s.version = version;
    s.arch.input_dim = IN;
    s.arch.q_heads = 2;
    s.arch.kv_heads = 1;
    s.arch.head_dim = 8;
    s.arch.n_layers = 2;
    s.arch.d_model = IN;
    s.arch.n_heads = 1;
    s.arch.head_classes[0] = CLS;
    if (version == 2) {
        s.arch.d_model = 16;
        s.arch.input_proj = s.arch.norm = s.arch.head_bias = true;
        s.arch.d_ff = 24;
    }
    s.prov_accuracy = NAN;
    uint64_t n = rv_rvne_weight_count(&s.arch);
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_le(n, sizeof(weights) / sizeof(weights[0]));
    for (uint64_t i = 0; i < n; i++)
        weights[i] = unit((uint32_t)i, 3u) * 0.4f;
    ck_assert_int_eq(rv_rvne_write(&s, weights, n, blob, sizeof(blob), &blob_len), RV_OK);
}

static void frame(uint32_t t, float *x)
{
    for (uint32_t i = 0; i < IN; i++)
        x[i] = unit(t * 16u + i, 5u);
}

/* Rewrites the CRC footer after a deliberate header edit. */
static void fix_crc(uint8_t *b, size_t len)
{
    uint32_t c = rv_crc32(b, len - 4);
    for (int i = 0; i < 4; i++)
        b[len - 4 + (size_t)i] = (uint8_t)(c >> (8 * i));
}

static void setup(void)
{
    alloc_reset();
    make_blob(2);
}

static void teardown(void)
{
    alloc_reset();
}

/* ---- init ---- */

START_TEST(init_null_and_zero_args)
{
    ruv_temporal_ctx_t *ctx = (ruv_temporal_ctx_t *)&ctx;
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len, IN, WIN, CLS, NULL), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_init(NULL, blob_len, IN, WIN, CLS, &ctx), ESP_ERR_INVALID_ARG);
    ck_assert_ptr_null(ctx);
    ck_assert_int_eq(ruv_temporal_init(blob, 0, IN, WIN, CLS, &ctx), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len, 0, WIN, CLS, &ctx), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len, IN, 0, CLS, &ctx), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len, IN, WIN, 0, &ctx), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len, IN, RUV_TEMPORAL_MAX_WINDOW + 1u, CLS, &ctx),
                     ESP_ERR_INVALID_ARG);
    ck_assert_uint_eq(n_alloc, 0);
}
END_TEST

START_TEST(init_short_blobs)
{
    ruv_temporal_ctx_t *ctx = NULL;
    ck_assert_int_eq(ruv_temporal_init(blob, 10, IN, WIN, CLS, &ctx), ESP_ERR_INVALID_SIZE);
    ck_assert_int_eq(ruv_temporal_init(blob, 27, IN, WIN, CLS, &ctx), ESP_ERR_INVALID_SIZE);
    /* v2 blobs end in sections, so a cut one fails on its CRC footer */
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len - 1, IN, WIN, CLS, &ctx), ESP_ERR_INVALID_CRC);
    /* a v1 blob's length is fixed by its header */
    make_blob(1);
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len - 1, IN, WIN, CLS, &ctx), ESP_ERR_INVALID_SIZE);
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len + 4, IN, WIN, CLS, &ctx), ESP_ERR_INVALID_SIZE);
    ck_assert_ptr_null(ctx);
    ck_assert_uint_eq(n_alloc, 0);
}
END_TEST

START_TEST(init_corrupt_blobs)
{
    static uint8_t b[sizeof(blob)];
    ruv_temporal_ctx_t *ctx = NULL;

    memcpy(b, blob, blob_len);
    b[40] ^= 0x10u;                          /* a weight bit: CRC catches it */
    ck_assert_int_eq(ruv_temporal_init(b, blob_len, IN, WIN, CLS, &ctx), ESP_ERR_INVALID_CRC);

    memcpy(b, blob, blob_len);
    b[blob_len - 1] ^= 0xFFu;                /* the footer itself */
    ck_assert_int_eq(ruv_temporal_init(b, blob_len, IN, WIN, CLS, &ctx), ESP_ERR_INVALID_CRC);

    memcpy(b, blob, blob_len);
    b[0] = 'X';                              /* not an .rvne blob */
    fix_crc(b, blob_len);
    ck_assert_int_eq(ruv_temporal_init(b, blob_len, IN, WIN, CLS, &ctx), ESP_ERR_NOT_SUPPORTED);

    memcpy(b, blob, blob_len);
    b[4] = 9;                                /* version 9 */
    fix_crc(b, blob_len);
    ck_assert_int_eq(ruv_temporal_init(b, blob_len, IN, WIN, CLS, &ctx), ESP_ERR_INVALID_VERSION);

    memcpy(b, blob, blob_len);
    b[0x10] = 0;                             /* n_layers = 0 */
    b[0x11] = 0;
    fix_crc(b, blob_len);
    ck_assert_int_eq(ruv_temporal_init(b, blob_len, IN, WIN, CLS, &ctx), ESP_ERR_INVALID_ARG);

    ck_assert_ptr_null(ctx);
    ck_assert_uint_eq(n_alloc, 0);
    ck_assert_uint_eq(ruv_temporal_mem_size(b, blob_len, WIN), 0);
}
END_TEST

START_TEST(init_mismatched_dims)
{
    ruv_temporal_ctx_t *ctx = NULL;
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len, IN + 1u, WIN, CLS, &ctx), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len, IN, WIN, CLS - 1u, &ctx), ESP_ERR_INVALID_ARG);
    ck_assert_ptr_null(ctx);
    ck_assert_uint_eq(n_alloc, 0);
}
END_TEST

START_TEST(init_no_mem)
{
    ruv_temporal_ctx_t *ctx = NULL;
    fail_next = 1;
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len, IN, WIN, CLS, &ctx), ESP_ERR_NO_MEM);
    ck_assert_ptr_null(ctx);
    ck_assert_uint_eq(n_alloc, 1);
}
END_TEST

/* ---- push / classify ---- */

static void run_matches_kernel(uint32_t version, bool fp16)
{
    make_blob(version);
    ruv_temporal_ctx_t *ctx = NULL;
    const ruv_temporal_opts opts = { fp16, 0 };
    ck_assert_int_eq(ruv_temporal_init_ex(blob, blob_len, IN, WIN, CLS, &opts, &ctx), ESP_OK);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_uint_eq(n_alloc, 1);
    ck_assert_uint_eq(last_size, ruv_temporal_mem_size_ex(blob, blob_len, WIN, &opts));
    if (fp16)   /* the fp16 cache needs less memory than the fp32 one */
        ck_assert_uint_lt(last_size, ruv_temporal_mem_size_ex(blob, blob_len, WIN, NULL));

    /* the same model driven directly through the kernel */
    rv_rvne_info info;
    ck_assert_int_eq(rv_rvne_parse(blob, blob_len, &info), RV_OK);
    rv_status st;
    void *mm = malloc(rv_model_mem_size(&info));
    rv_model *m = rv_model_init(mm, rv_model_mem_size(&info), &info, &st);
    ck_assert_ptr_nonnull(m);
    rv_model_stream_opts o = { WIN, fp16 ? RV_KV_F16 : RV_KV_F32, true, 0 };
    size_t sn = rv_model_stream_mem_size(m, &o), wn = rv_model_step_workspace_size(m);
    void *sm = malloc(sn), *ws = malloc(wn);
    rv_model_stream *s = rv_model_stream_init(sm, sn, m, &o, &st);
    ck_assert_ptr_nonnull(s);
    float emb[64], want[CLS], got[CLS], x[IN];
    ck_assert_uint_le(rv_model_d_model(m), 64);

    uint32_t min = ruv_temporal_min_frames(ctx);
    ck_assert_uint_eq(min, rv_model_attn_cfg(m)->window + 1u);
    for (uint32_t t = 0; t < 3u * WIN; t++) {
        if (t < min)
            ck_assert_int_eq(ruv_temporal_classify(ctx, got, CLS), ESP_ERR_INVALID_STATE);
        frame(t, x);
        ck_assert_int_eq(ruv_temporal_push(ctx, x), ESP_OK);
        ck_assert_int_eq(rv_model_step(m, s, x, emb, ws, wn), RV_OK);
        if (t + 1u >= min) {
            ck_assert_int_eq(ruv_temporal_classify(ctx, got, CLS), ESP_OK);
            ck_assert_int_eq(rv_model_head_logits(m, 0, emb, want), RV_OK);
            for (uint32_t c = 0; c < CLS; c++)
                ck_assert_float_eq(got[c], want[c]);   /* same ops: bit-equal */
        }
    }
    ck_assert_uint_eq(ruv_temporal_frames(ctx), 3u * WIN);
    ck_assert_uint_eq(n_alloc, 1);      /* nothing after init */
    ck_assert_uint_eq(n_free, 0);
    ruv_temporal_destroy(ctx);
    ck_assert_uint_eq(n_free, 1);
    free(mm);
    free(sm);
    free(ws);
}

START_TEST(classify_matches_kernel_v2)
{
    run_matches_kernel(2, false);
}
END_TEST

START_TEST(classify_matches_kernel_v2_fp16)
{
    run_matches_kernel(2, true);
}
END_TEST

START_TEST(classify_matches_kernel_v1)
{
    run_matches_kernel(1, false);
}
END_TEST

START_TEST(landmark_limit_shrinks_context)
{
    const ruv_temporal_opts wide = { false, 0 }, narrow = { false, 2 };
    size_t a = ruv_temporal_mem_size_ex(blob, blob_len, WIN, &wide);
    size_t b = ruv_temporal_mem_size_ex(blob, blob_len, WIN, &narrow);
    ck_assert_uint_gt(a, 0);
    ck_assert_uint_lt(b, a);
    ruv_temporal_ctx_t *ctx = NULL;
    float x[IN], logits[CLS];
    ck_assert_int_eq(ruv_temporal_init_ex(blob, blob_len, IN, WIN, CLS, &narrow, &ctx), ESP_OK);
    ck_assert_uint_eq(last_size, b);
    for (uint32_t t = 0; t < 4u * WIN; t++) {      /* far past the ring and the landmarks */
        frame(t, x);
        ck_assert_int_eq(ruv_temporal_push(ctx, x), ESP_OK);
    }
    ck_assert_int_eq(ruv_temporal_classify(ctx, logits, CLS), ESP_OK);
    for (uint32_t c = 0; c < CLS; c++)
        ck_assert(isfinite(logits[c]));
    ck_assert_uint_eq(n_alloc, 1);
    ruv_temporal_destroy(ctx);
}
END_TEST

START_TEST(push_classify_bad_args)
{
    ruv_temporal_ctx_t *ctx = NULL;
    float x[IN], logits[CLS];
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len, IN, WIN, CLS, &ctx), ESP_OK);
    frame(0, x);
    ck_assert_int_eq(ruv_temporal_push(NULL, x), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_push(ctx, NULL), ESP_ERR_INVALID_ARG);
    x[3] = NAN;
    ck_assert_int_eq(ruv_temporal_push(ctx, x), ESP_ERR_INVALID_ARG);
    x[3] = INFINITY;
    ck_assert_int_eq(ruv_temporal_push(ctx, x), ESP_ERR_INVALID_ARG);
    ck_assert_uint_eq(ruv_temporal_frames(ctx), 0);    /* rejected frames left no trace */
    for (uint32_t t = 0; t < WIN; t++) {
        frame(t, x);
        ck_assert_int_eq(ruv_temporal_push(ctx, x), ESP_OK);
    }
    ck_assert_int_eq(ruv_temporal_classify(NULL, logits, CLS), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_classify(ctx, NULL, CLS), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_classify(ctx, logits, CLS + 1u), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_classify(ctx, logits, CLS - 1u), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_classify(ctx, logits, CLS), ESP_OK);
    ck_assert_uint_eq(ruv_temporal_frames(NULL), 0);
    ck_assert_uint_eq(ruv_temporal_min_frames(NULL), 0);
    ruv_temporal_destroy(ctx);
}
END_TEST

START_TEST(overflow_restarts_the_window)
{
    make_blob(1);
    ruv_temporal_ctx_t *ctx = NULL;
    float x[IN], logits[CLS];
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len, IN, WIN, CLS, &ctx), ESP_OK);
    uint32_t min = ruv_temporal_min_frames(ctx);
    for (uint32_t t = 0; t < min; t++) {
        frame(t, x);
        ck_assert_int_eq(ruv_temporal_push(ctx, x), ESP_OK);
    }
    ck_assert_int_eq(ruv_temporal_classify(ctx, logits, CLS), ESP_OK);
    for (uint32_t i = 0; i < IN; i++)
        x[i] = 1e30f;                        /* finite, but q = Wq x overflows */
    ck_assert_int_eq(ruv_temporal_push(ctx, x), ESP_FAIL);
    ck_assert_uint_eq(ruv_temporal_frames(ctx), 0);
    ck_assert_int_eq(ruv_temporal_classify(ctx, logits, CLS), ESP_ERR_INVALID_STATE);
    for (uint32_t t = 0; t < min; t++) {    /* and it runs again */
        frame(t, x);
        ck_assert_int_eq(ruv_temporal_push(ctx, x), ESP_OK);
    }
    ck_assert_int_eq(ruv_temporal_classify(ctx, logits, CLS), ESP_OK);
    for (uint32_t c = 0; c < CLS; c++)
        ck_assert(isfinite(logits[c]));
    ck_assert_uint_eq(n_alloc, 1);
    ruv_temporal_destroy(ctx);
}
END_TEST

START_TEST(use_after_destroy_guarded)
{
    ruv_temporal_ctx_t *ctx = NULL;
    float x[IN], logits[CLS];
    keep_on_free = 1;          /* the block stays mapped, as in a static arena */
    ck_assert_int_eq(ruv_temporal_init(blob, blob_len, IN, WIN, CLS, &ctx), ESP_OK);
    frame(0, x);
    ck_assert_int_eq(ruv_temporal_push(ctx, x), ESP_OK);
    ruv_temporal_destroy(ctx);
    ck_assert_uint_eq(n_free, 1);
    ck_assert_int_eq(ruv_temporal_push(ctx, x), ESP_ERR_INVALID_STATE);
    ck_assert_int_eq(ruv_temporal_classify(ctx, logits, CLS), ESP_ERR_INVALID_STATE);
    ck_assert_uint_eq(ruv_temporal_frames(ctx), 0);
    ruv_temporal_destroy(ctx);   /* second destroy: no double free */
    ck_assert_uint_eq(n_free, 1);
    ruv_temporal_destroy(NULL);
}
END_TEST

START_TEST(self_test_passes)
{
    ck_assert_int_eq(ruv_temporal_kernel_self_test(), ESP_OK);
    ck_assert_uint_eq(n_alloc, 1);      /* one scratch block, returned */
    ck_assert_uint_eq(n_free, 1);
    fail_next = 1;
    ck_assert_int_eq(ruv_temporal_kernel_self_test(), ESP_ERR_NO_MEM);
}
END_TEST

/* ---- the 0xC5110007 packet ---- */

START_TEST(packet_decodes_on_host)
{
    const float logits[5] = { 0.5f, 2.25f, -1.0f, 2.0f, 2.25f };
    uint8_t pkt[RUV_TEMPORAL_PKT_SIZE];
    ck_assert_int_eq(ruv_temporal_pkt_build(logits, 5, 9, 1234567890123ull, 77, pkt, sizeof(pkt)),
                     ESP_OK);
    rv_pkt p;
    ck_assert_int_eq(rv_pkt_decode(pkt, sizeof(pkt), &p), RV_OK);
    ck_assert_int_eq(p.kind, RV_PKT_CLASSIFICATION);
    ck_assert_uint_eq(p.magic, RV_MAGIC_CLASSIFICATION);
    ck_assert_uint_eq(p.u.cls.version, 1);
    ck_assert_uint_eq(p.u.cls.n_classes, 5);
    ck_assert_uint_eq(p.u.cls.node_id, 9);
    ck_assert_uint_eq(p.u.cls.ts_us, 1234567890123ull);
    ck_assert_uint_eq(p.u.cls.seq, 77);
    ck_assert_uint_eq(p.u.cls.argmax, 1);            /* tie: lowest index */
    ck_assert_float_eq(p.u.cls.top_logit, 2.25f);
    ck_assert_float_eq(p.u.cls.top1_minus_top2, 0.0f);
    /* bytes on the wire: little-endian magic first, CRC over 0..35 last */
    ck_assert_uint_eq(pkt[0], 0x07);
    ck_assert_uint_eq(pkt[3], 0xC5);
    uint32_t crc = rv_crc32(pkt, 36);
    ck_assert_uint_eq(pkt[36] | pkt[37] << 8 | pkt[38] << 16 | (uint32_t)pkt[39] << 24, crc);
    pkt[20] ^= 1u;
    ck_assert_int_eq(rv_pkt_decode(pkt, sizeof(pkt), &p), RV_ERR_CRC);

    const float two[2] = { -3.0f, 1.5f };
    ck_assert_int_eq(ruv_temporal_pkt_build(two, 2, 1, 0, 0, pkt, sizeof(pkt)), ESP_OK);
    ck_assert_int_eq(rv_classification_decode(pkt, sizeof(pkt), &p.u.cls), RV_OK);
    ck_assert_uint_eq(p.u.cls.argmax, 1);
    ck_assert_float_eq(p.u.cls.top1_minus_top2, 4.5f);
}
END_TEST

START_TEST(packet_bad_args)
{
    float logits[3] = { 1, 2, 3 };
    uint8_t pkt[RUV_TEMPORAL_PKT_SIZE];
    ck_assert_int_eq(ruv_temporal_pkt_build(NULL, 3, 0, 0, 0, pkt, sizeof(pkt)), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_pkt_build(logits, 3, 0, 0, 0, NULL, sizeof(pkt)), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_pkt_build(logits, 1, 0, 0, 0, pkt, sizeof(pkt)), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_pkt_build(logits, 257, 0, 0, 0, pkt, sizeof(pkt)), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(ruv_temporal_pkt_build(logits, 3, 0, 0, 0, pkt, sizeof(pkt) - 1), ESP_ERR_INVALID_SIZE);
    logits[2] = NAN;
    ck_assert_int_eq(ruv_temporal_pkt_build(logits, 3, 0, 0, 0, pkt, sizeof(pkt)), ESP_ERR_INVALID_ARG);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ruv_temporal");
    TCase *tc = tcase_create("abi");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, init_null_and_zero_args);
    tcase_add_test(tc, init_short_blobs);
    tcase_add_test(tc, init_corrupt_blobs);
    tcase_add_test(tc, init_mismatched_dims);
    tcase_add_test(tc, init_no_mem);
    tcase_add_test(tc, classify_matches_kernel_v2);
    tcase_add_test(tc, classify_matches_kernel_v2_fp16);
    tcase_add_test(tc, classify_matches_kernel_v1);
    tcase_add_test(tc, landmark_limit_shrinks_context);
    tcase_add_test(tc, push_classify_bad_args);
    tcase_add_test(tc, overflow_restarts_the_window);
    tcase_add_test(tc, use_after_destroy_guarded);
    tcase_add_test(tc, self_test_passes);
    tcase_add_test(tc, packet_decodes_on_host);
    tcase_add_test(tc, packet_bad_args);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
