/*
 * test_default_models.c — the models compiled into the kernel library are
 * valid .rvne blobs and still classify held-out simulated rooms: sessions
 * generated in process with seeds never used for training (training uses
 * 100000.., rvtrain's held-out report 900000.., this test 950000..),
 * evaluated with the kernel model itself (rv_model_prefill per window).
 * Thresholds sit a few points below the figures docs/training.md reports,
 * so a regressed model fails.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "rv_default_models.h"
#include "rv_model.h"
#include "rvsim.h"
#include "sources.h"
#include "check_main.h"

/* Label merges the default models were trained with
 * (scripts/train-default-models.sh). */
static const char *const merges[] = { "apnea=still", "lying=still" };

typedef struct {
    double acc, fall_recall;
    uint64_t fall_as_sit, fall_total, frames;
} eval_out;

static void eval_model(const uint8_t *blob, size_t len, rvt_input input,
                       const char *scenarios, uint32_t sessions, double dur,
                       double rate, uint32_t nodes, uint32_t seq, eval_out *eo)
{
    rv_rvne_info info;
    ck_assert_int_eq(rv_rvne_parse(blob, len, &info), RV_OK);
    size_t msz = rv_model_mem_size(&info);
    void *mm = malloc(msz);
    rv_status st;
    rv_model *m = rv_model_init(mm, msz, &info, &st);
    ck_assert_msg(m != NULL, "%s", rv_status_str(st));
    ck_assert_uint_eq(rv_model_input_dim(m), rvt_input_dim(input));

    /* Classes in the model's own order, with the training merges. */
    rvt_classes cls;
    rvt_classes_init(&cls);
    for (size_t i = 0; i < sizeof merges / sizeof merges[0]; i++)
        ck_assert(rvt_classes_add_map(&cls, merges[i]));
    const uint32_t C = rv_model_n_classes(m, 0);
    for (uint32_t c = 0; c < C; c++) {
        size_t l;
        const char *s = rv_model_label(m, 0, c, &l);
        ck_assert(s != NULL && l < RVT_CLASS_NAME);
        char nm[RVT_CLASS_NAME];
        memcpy(nm, s, l);
        nm[l] = 0;
        ck_assert(rvt_classes_add(&cls, nm));
    }
    ck_assert_uint_eq(cls.n, C);
    /* Every simulator activity maps onto a model class. */
    for (int a = 0; a < RVSIM_N_ACTIVITIES; a++)
        ck_assert_msg(rvt_classes_find(&cls, rvsim_activity_name(a)) >= 0,
                      "activity %s has no class", rvsim_activity_name(a));

    rvt_dataset ds;
    ck_assert(rvt_dataset_init(&ds, rvt_input_dim(input), seq));
    rvt_sim_opts so = { .sessions = sessions, .seed = 950000, .duration_s = dur, .rate_hz = rate,
                         .nodes = nodes, .scenarios = scenarios };
    rvt_cut_opts co = { input, input == RVT_INPUT_STATE ? 10 : 200, seq, seq / 16 };
    uint32_t src = 0;
    char err[200];
    ck_assert_msg(rvt_collect_sim(&so, &co, &cls, &ds, &src, NULL, err, sizeof err), "%s", err);
    ck_assert_uint_gt(ds.n_seq, 0);

    const uint32_t D = rv_model_d_model(m);
    size_t wsz = rv_model_prefill_workspace_size(m, seq);
    void *ws = malloc(wsz);
    float *emb = malloc(sizeof(float) * seq * D);
    float lg[RVT_MAX_CLASSES];
    rvt_confusion cm;
    rvt_confusion_reset(&cm, C);
    for (uint32_t s = 0; s < ds.n_seq; s++) {
        ck_assert_int_eq(rv_model_prefill(m, ds.x + (size_t)s * seq * ds.in_dim, seq,
                                          emb, ws, wsz), RV_OK);
        for (uint32_t t = 0; t < seq; t++) {
            int32_t y = ds.y[(size_t)s * seq + t];
            if (y < 0)
                continue;
            ck_assert_int_eq(rv_model_head_logits(m, 0, emb + (size_t)t * D, lg), RV_OK);
            uint32_t b = 0;
            for (uint32_t c = 1; c < C; c++)
                if (lg[c] > lg[b])
                    b = c;
            rvt_confusion_add(&cm, (uint32_t)y, b);
        }
    }
    int fall = rvt_classes_find(&cls, "fall"), sit = rvt_classes_find(&cls, "sit_down");
    ck_assert(fall >= 0 && sit >= 0);
    eo->acc = rvt_confusion_accuracy(&cm);
    eo->fall_recall = rvt_confusion_recall(&cm, (uint32_t)fall);
    eo->fall_as_sit = cm.cm[fall][sit];
    eo->fall_total = 0;
    for (uint32_t c = 0; c < C; c++)
        eo->fall_total += cm.cm[fall][c];
    eo->frames = rvt_confusion_total(&cm);
    rvt_confusion_print(&cm, cls.ptr, stderr);
    free(ws);
    free(emb);
    free(mm);
    rvt_dataset_free(&ds);
}

/* Streaming, as rvtemporalhead runs it: one rv_model_step per frame from
 * the start of each held-out stream, ring cache of `cache` frames. */
static double stream_accuracy(const uint8_t *blob, size_t len, rvt_input input,
                              const char *scenarios, uint32_t sessions, double dur,
                              double rate, uint32_t frames, uint32_t cache)
{
    rv_rvne_info info;
    ck_assert_int_eq(rv_rvne_parse(blob, len, &info), RV_OK);
    size_t msz = rv_model_mem_size(&info);
    void *mm = malloc(msz);
    rv_status st;
    rv_model *m = rv_model_init(mm, msz, &info, &st);
    ck_assert(m != NULL);
    rvt_classes cls;
    rvt_classes_init(&cls);
    for (size_t i = 0; i < sizeof merges / sizeof merges[0]; i++)
        ck_assert(rvt_classes_add_map(&cls, merges[i]));
    const uint32_t C = rv_model_n_classes(m, 0), D = rv_model_d_model(m);
    for (uint32_t c = 0; c < C; c++) {
        size_t l;
        const char *nm = rv_model_label(m, 0, c, &l);
        char b[RVT_CLASS_NAME];
        memcpy(b, nm, l);
        b[l] = 0;
        ck_assert(rvt_classes_add(&cls, b));
    }
    /* One window per stream covering its first `frames` frames. */
    rvt_dataset ds;
    ck_assert(rvt_dataset_init(&ds, rvt_input_dim(input), frames));
    rvt_sim_opts so = { .sessions = sessions, .seed = 950000, .duration_s = dur, .rate_hz = rate,
                         .nodes = 1, .scenarios = scenarios };
    rvt_cut_opts co = { input, input == RVT_INPUT_STATE ? 10 : 200, 1u << 30, 0 };
    uint32_t src = 0;
    char err[200];
    ck_assert_msg(rvt_collect_sim(&so, &co, &cls, &ds, &src, NULL, err, sizeof err), "%s", err);
    rv_model_stream_opts o = { cache, RV_KV_F32, true, 0 };
    size_t ssz = rv_model_stream_mem_size(m, &o), wsz = rv_model_step_workspace_size(m);
    void *sm = malloc(ssz), *ws = malloc(wsz);
    rv_model_stream *s = rv_model_stream_init(sm, ssz, m, &o, &st);
    ck_assert_msg(s != NULL, "%s", rv_status_str(st));
    float emb[256], lg[RVT_MAX_CLASSES];
    uint64_t ok = 0, tot = 0;
    uint32_t last_src = UINT32_MAX;
    for (uint32_t w = 0; w < ds.n_seq; w++) {
        if (ds.src[w] == last_src)
            continue; /* the stream's end-aligned second window */
        last_src = ds.src[w];
        rv_model_stream_reset(s);
        for (uint32_t t = 0; t < frames; t++) {
            ck_assert_int_eq(rv_model_step(m, s, ds.x + ((size_t)w * frames + t) * ds.in_dim,
                                           emb, ws, wsz), RV_OK);
            int32_t y = ds.y[(size_t)w * frames + t];
            if (y < 0)
                continue;
            ck_assert_int_eq(rv_model_head_logits(m, 0, emb, lg), RV_OK);
            uint32_t b = 0;
            for (uint32_t c = 1; c < C; c++)
                if (lg[c] > lg[b])
                    b = c;
            ok += b == (uint32_t)y;
            tot++;
        }
    }
    ck_assert(D <= 256);
    ck_assert_uint_gt(tot, 0);
    free(sm);
    free(ws);
    free(mm);
    rvt_dataset_free(&ds);
    return (double)ok / (double)tot;
}

START_TEST(test_csi_default_model)
{
    size_t len = 0;
    const uint8_t *blob = rv_default_model_csi(&len);
    ck_assert(blob != NULL && len > 0);
    ck_assert_uint_eq((uintptr_t)blob % 32u, 0);
    eval_out eo;
    eval_model(blob, len, RVT_INPUT_CSI,
               "random,fall,sit,gestures,mixed,walking,empty,breathing,apnea",
               9, 60.0, 100.0, 1, 256, &eo);
    fprintf(stderr, "csi default model: held-out accuracy %.4f over %llu frames, "
            "fall recall %.4f, fall->sit_down %llu of %llu\n", eo.acc,
            (unsigned long long)eo.frames, eo.fall_recall,
            (unsigned long long)eo.fall_as_sit, (unsigned long long)eo.fall_total);
    ck_assert_uint_gt(eo.fall_total, 0);
    double sa = stream_accuracy(blob, len, RVT_INPUT_CSI,
                                "random,fall,sit,gestures,mixed,walking,empty,breathing,apnea",
                                9, 60.0, 100.0, 5500, 256);
    fprintf(stderr, "csi default model, streaming (ring cache 256): accuracy %.4f\n", sa);
    ck_assert_msg(sa >= CSI_MIN_STREAM_ACC, "streaming accuracy %.4f below %.2f", sa,
                  CSI_MIN_STREAM_ACC);
    ck_assert_msg(eo.acc >= CSI_MIN_ACC, "accuracy %.4f below %.2f", eo.acc, CSI_MIN_ACC);
    ck_assert_msg(eo.fall_recall >= CSI_MIN_FALL_RECALL, "fall recall %.4f below %.2f",
                  eo.fall_recall, CSI_MIN_FALL_RECALL);
}
END_TEST

START_TEST(test_state_default_model)
{
    size_t len = 0;
    const uint8_t *blob = rv_default_model_state(&len);
    ck_assert(blob != NULL && len > 0);
    ck_assert_uint_eq((uintptr_t)blob % 32u, 0);
    eval_out eo;
    eval_model(blob, len, RVT_INPUT_STATE,
               "random,fall,sit,gestures,mixed,walking,empty,breathing,apnea",
               18, 300.0, 5.0, 1, 64, &eo);
    fprintf(stderr, "state default model: held-out accuracy %.4f over %llu frames, "
            "fall recall %.4f, fall->sit_down %llu of %llu\n", eo.acc,
            (unsigned long long)eo.frames, eo.fall_recall,
            (unsigned long long)eo.fall_as_sit, (unsigned long long)eo.fall_total);
    double sa = stream_accuracy(blob, len, RVT_INPUT_STATE,
                                "random,fall,sit,gestures,mixed,walking,empty,breathing,apnea",
                                18, 300.0, 5.0, 1400, 256);
    fprintf(stderr, "state default model, streaming (ring cache 256): accuracy %.4f\n", sa);
    ck_assert_msg(sa >= STATE_MIN_STREAM_ACC, "streaming accuracy %.4f below %.2f", sa,
                  STATE_MIN_STREAM_ACC);
    ck_assert_msg(eo.acc >= STATE_MIN_ACC, "accuracy %.4f below %.2f", eo.acc, STATE_MIN_ACC);
    ck_assert_uint_gt(eo.fall_total, 0);
    ck_assert_msg(eo.fall_recall >= STATE_MIN_FALL_RECALL, "fall recall %.4f below %.2f",
                  eo.fall_recall, STATE_MIN_FALL_RECALL);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("default_models");
    TCase *tc = tcase_create("heldout");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_csi_default_model);
    tcase_add_test(tc, test_state_default_model);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
