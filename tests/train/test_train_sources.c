/*
 * test_train_sources.c — training data sources agree: a simulator session
 * written to pcap + labels files and read back gives the same windows
 * (features bit for bit, labels up to microsecond rounding at segment
 * boundaries) as the same session run in process; class order and merges;
 * windows, warm-up/context masking and the split by stream.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rv_csi_features.h"
#include "rvsim.h"
#include "rvsim_labels.h"
#include "rvsim_pcap.h"
#include "sources.h"
#include "check_main.h"

START_TEST(test_classes_canonical_order)
{
    rvt_classes c;
    rvt_classes_init(&c);
    ck_assert(rvt_classes_add_map(&c, "apnea=still"));
    ck_assert(!rvt_classes_add_map(&c, "noequals"));
    ck_assert(!rvt_classes_add_map(&c, "=x"));
    ck_assert(rvt_classes_add(&c, "zebra"));
    ck_assert(rvt_classes_add(&c, "fall"));
    ck_assert(rvt_classes_add(&c, "apnea"));   /* becomes still */
    ck_assert(rvt_classes_add(&c, "empty"));
    ck_assert(rvt_classes_add(&c, "aardvark"));
    ck_assert(rvt_classes_add(&c, "fall"));    /* duplicate */
    rvt_classes_sort(&c);
    ck_assert_uint_eq(c.n, 5);
    static const char *const want[] = { "empty", "still", "fall", "aardvark", "zebra" };
    for (uint32_t i = 0; i < 5; i++)
        ck_assert_str_eq(c.ptr[i], want[i]);
    ck_assert_int_eq(rvt_classes_find(&c, "apnea"), 1);
    ck_assert_int_eq(rvt_classes_find(&c, "walking"), -1);
}
END_TEST

START_TEST(test_stream_windows)
{
    rvt_dataset ds;
    ck_assert(rvt_dataset_init(&ds, 2, 10));
    float x[50 * 2];
    int32_t y[50];
    for (int t = 0; t < 50; t++) {
        x[2 * t] = (float)t;
        x[2 * t + 1] = -(float)t;
        y[t] = t % 3;
    }
    /* 50 frames, windows of 10 every 15: starts 0, 15, 30, then 40 (end). */
    ck_assert_uint_eq(rvt_dataset_add_stream(&ds, x, y, 50, 15, 3, 7), 4);
    ck_assert_uint_eq(ds.n_seq, 4);
    ck_assert(ds.x[0] == 0.0f && ds.x[2 * 10] == 15.0f && ds.x[3 * 2 * 10] == 40.0f);
    ck_assert_int_eq(ds.y[0], 0);                 /* stream start: no masking */
    ck_assert_int_eq(ds.y[10 + 2], -1);           /* ctx-min masked */
    ck_assert_int_eq(ds.y[10 + 3], 18 % 3);
    ck_assert_uint_eq(ds.src[3], 7);
    ck_assert_uint_eq(rvt_dataset_add_stream(&ds, x, y, 9, 15, 3, 8), 0); /* too short */
    rvt_dataset_free(&ds);
}
END_TEST

START_TEST(test_split_by_stream)
{
    rvt_dataset ds, va;
    ck_assert(rvt_dataset_init(&ds, 1, 4));
    float x[4] = { 0 };
    int32_t y[4] = { 0, 1, 0, 1 };
    for (uint32_t s = 0; s < 200; s++)
        for (int k = 0; k < 3; k++)
            ck_assert(rvt_dataset_add(&ds, x, y, s));
    ck_assert(rvt_dataset_split(&ds, &va, 0.2, 5));
    ck_assert_uint_eq(ds.n_seq + va.n_seq, 600);
    ck_assert(va.n_seq > 60 && va.n_seq < 200);
    for (uint32_t i = 0; i < va.n_seq; i++)       /* no stream on both sides */
        for (uint32_t j = 0; j < ds.n_seq; j++)
            ck_assert_uint_ne(va.src[i], ds.src[j]);
    rvt_dataset_free(&ds);
    rvt_dataset_free(&va);
}
END_TEST

START_TEST(test_split_keeps_no_val_sources)
{
    rvt_dataset ds, va;
    ck_assert(rvt_dataset_init(&ds, 1, 4));
    float x[4] = { 0 };
    int32_t y[4] = { 0, 1, 0, 1 };
    for (uint32_t s = 0; s < 200; s++)  /* odd streams marked never-validate */
        ck_assert(rvt_dataset_add(&ds, x, y, s % 2 ? s | RVT_SRC_NO_VAL : s));
    ck_assert(rvt_dataset_split(&ds, &va, 0.2, 5));
    ck_assert(va.n_seq > 0);
    for (uint32_t i = 0; i < va.n_seq; i++)
        ck_assert_uint_eq(va.src[i] & RVT_SRC_NO_VAL, 0);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < ds.n_seq; i++)
        kept += (ds.src[i] & RVT_SRC_NO_VAL) != 0;
    ck_assert_uint_eq(kept, 100);
    rvt_dataset_free(&ds);
    rvt_dataset_free(&va);
}
END_TEST

static void write_session(const rvsim_config *cfg, const char *pcap, const char *lab)
{
    char err[128];
    rvsim_session *s = rvsim_session_new(cfg, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    int st;
    rvsim_pcap_writer *w = rvsim_pcap_writer_open(pcap, &st);
    ck_assert(w != NULL);
    rvsim_packet p;
    while (rvsim_session_next(s, &p) == 1)
        ck_assert_int_eq(rvsim_pcap_write_udp(w, p.t, p.node, p.data, p.len), RVSIM_PCAP_OK);
    ck_assert_int_eq(rvsim_pcap_writer_close(w), RVSIM_PCAP_OK);
    FILE *f = fopen(lab, "w");
    ck_assert(f != NULL);
    ck_assert_int_eq(rvsim_labels_write(f, s), RVSIM_LABELS_OK);
    fclose(f);
    rvsim_session_free(s);
}

START_TEST(test_files_equal_in_process)
{
    char pcap[] = "/tmp/rvt-src-XXXXXX", lab[] = "/tmp/rvt-lab-XXXXXX";
    int fd = mkstemp(pcap);
    close(fd);
    fd = mkstemp(lab);
    close(fd);
    rvsim_config cfg;
    rvsim_config_default(&cfg);
    cfg.n_nodes = 2;
    cfg.duration_s = 20.0;
    cfg.seed = 4242;
    cfg.scenario = "random";
    write_session(&cfg, pcap, lab);

    rvt_classes cls;
    rvt_classes_init(&cls);
    char err[200];
    ck_assert_msg(rvt_classes_add_labels(&cls, lab, err, sizeof err), "%s", err);
    rvt_classes_add_sim(&cls);
    ck_assert_uint_eq(cls.n, RVSIM_N_ACTIVITIES);

    rvt_cut_opts co = { RVT_INPUT_CSI, 100, 128, 8 };
    rvt_dataset a, b;
    ck_assert(rvt_dataset_init(&a, RV_CSI_FEAT_DIM, 128));
    ck_assert(rvt_dataset_init(&b, RV_CSI_FEAT_DIM, 128));
    uint32_t sa = 0, sb = 0;
    rvt_sim_opts so = { .sessions = 1, .seed = 4242, .duration_s = 20.0, .rate_hz = 100.0,
                         .nodes = 2, .scenarios = "random" };
    ck_assert_msg(rvt_collect_sim(&so, &co, &cls, &a, &sa, NULL, err, sizeof err), "%s", err);
    ck_assert_msg(rvt_collect_files(pcap, lab, &co, &cls, &b, &sb, NULL, err, sizeof err),
                  "%s", err);
    unlink(pcap);
    unlink(lab);
    ck_assert_uint_gt(a.n_seq, 20);
    ck_assert_uint_eq(a.n_seq, b.n_seq);
    const size_t nx = (size_t)a.n_seq * 128 * RV_CSI_FEAT_DIM;
    ck_assert(memcmp(a.x, b.x, nx * sizeof(float)) == 0);
    size_t diff = 0, labelled = 0;
    for (size_t i = 0; i < (size_t)a.n_seq * 128; i++) {
        diff += a.y[i] != b.y[i];
        labelled += a.y[i] >= 0;
    }
    ck_assert_uint_gt(labelled, 1000);
    ck_assert_msg(diff * 200 < labelled, "%zu of %zu labels differ", diff, labelled);

    /* A missing file is an error with a message. */
    ck_assert(!rvt_collect_files("/nonexistent.pcap", "/nonexistent.jsonl", &co, &cls, &b,
                                 &sb, NULL, err, sizeof err));
    ck_assert(strlen(err) > 0);
    rvt_dataset_free(&a);
    rvt_dataset_free(&b);
}
END_TEST

START_TEST(test_state_input_streams)
{
    rvt_classes cls;
    rvt_classes_init(&cls);
    rvt_classes_add_sim(&cls);
    rvt_dataset ds;
    ck_assert(rvt_dataset_init(&ds, RV_STATE_FEAT_DIM, 32));
    rvt_sim_opts so = { .sessions = 1, .seed = 77, .duration_s = 30.0, .rate_hz = 5.0,
                         .nodes = 3, .scenarios = "walking" };
    rvt_cut_opts co = { RVT_INPUT_STATE, 5, 32, 4 };
    uint32_t src = 0;
    char err[200];
    ck_assert_msg(rvt_collect_sim(&so, &co, &cls, &ds, &src, NULL, err, sizeof err), "%s", err);
    /* 3 nodes x ~150 packets at 5 Hz -> windows of 32. */
    ck_assert_uint_ge(ds.n_seq, 3 * 4);
    uint64_t cnt[RVT_MAX_CLASSES];
    rvt_dataset_class_counts(&ds, cls.n, cnt);
    ck_assert_uint_gt(cnt[rvt_classes_find(&cls, "walking")], 0);
    rvt_dataset_free(&ds);
}
END_TEST

/* csi-raw: the same frames before per-stream z-scoring (the z-scored dims
 * 0..RV_CSI_FEAT_NORM_DIMS-1 differ, the rest are identical). */
START_TEST(test_csi_raw_input)
{
    rvt_classes cls;
    rvt_classes_init(&cls);
    rvt_classes_add_sim(&cls);
    rvt_dataset z, r;
    ck_assert(rvt_dataset_init(&z, RV_CSI_FEAT_DIM, 64));
    ck_assert(rvt_dataset_init(&r, RV_CSI_FEAT_DIM, 64));
    rvt_sim_opts so = { .sessions = 1, .seed = 99, .duration_s = 5.0, .rate_hz = 100.0,
                         .nodes = 1, .scenarios = "walking" };
    rvt_cut_opts co = { RVT_INPUT_CSI, 10, 64, 4 };
    uint32_t src = 0;
    char err[200];
    ck_assert(rvt_collect_sim(&so, &co, &cls, &z, &src, NULL, err, sizeof err));
    co.input = RVT_INPUT_CSI_RAW;
    ck_assert(rvt_collect_sim(&so, &co, &cls, &r, &src, NULL, err, sizeof err));
    ck_assert_uint_eq(z.n_seq, r.n_seq);
    ck_assert_uint_gt(z.n_seq, 0);
    uint32_t differ = 0;
    const size_t dim = RV_CSI_FEAT_DIM;
    for (size_t f = 0; f < (size_t)z.n_seq * 64; f++) {
        for (size_t d = RV_CSI_FEAT_NORM_DIMS; d < dim; d++)
            ck_assert(z.x[f * dim + d] == r.x[f * dim + d]);
        for (size_t d = 0; d < RV_CSI_FEAT_NORM_DIMS; d++)
            differ += z.x[f * dim + d] != r.x[f * dim + d];
    }
    ck_assert_uint_gt(differ, 0);
    rvt_dataset_free(&z);
    rvt_dataset_free(&r);
}
END_TEST

/* --sim-ideal-receiver reaches the simulator: an empty room without receiver
 * noise has its motion energy (dim RV_CSI_FEAT_IDX_MOTION) on the floor in
 * every frame, with noise only in the stream's first frame (no predecessor). */
START_TEST(test_ideal_receiver_option)
{
    rvt_classes cls;
    rvt_classes_init(&cls);
    rvt_classes_add_sim(&cls);
    rvt_dataset ds[2];
    rvt_sim_opts so = { .sessions = 1, .seed = 5, .duration_s = 4.0, .rate_hz = 100.0,
                         .nodes = 1, .scenarios = "empty" };
    rvt_cut_opts co = { RVT_INPUT_CSI, 10, 64, 4 };
    char err[200];
    uint32_t floor_frames[2] = { 0, 0 }, src = 0;
    const size_t dim = RV_CSI_FEAT_DIM;
    for (int ideal = 0; ideal < 2; ideal++) {
        ck_assert(rvt_dataset_init(&ds[ideal], RV_CSI_FEAT_DIM, 64));
        so.ideal_receiver = ideal;
        ck_assert_msg(rvt_collect_sim(&so, &co, &cls, &ds[ideal], &src, NULL, err, sizeof err),
                      "%s", err);
        ck_assert_uint_gt(ds[ideal].n_seq, 0);
        for (size_t f = 0; f < (size_t)ds[ideal].n_seq * 64; f++)
            floor_frames[ideal] += ds[ideal].x[f * dim + RV_CSI_FEAT_IDX_MOTION] < -0.99f;
    }
    ck_assert_uint_eq(ds[0].n_seq, ds[1].n_seq);
    ck_assert_uint_le(floor_frames[0], 1);
    ck_assert_uint_eq(floor_frames[1], (uint32_t)ds[1].n_seq * 64);
    rvt_dataset_free(&ds[0]);
    rvt_dataset_free(&ds[1]);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("train_sources");
    TCase *tc = tcase_create("sources");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_classes_canonical_order);
    tcase_add_test(tc, test_stream_windows);
    tcase_add_test(tc, test_split_by_stream);
    tcase_add_test(tc, test_split_keeps_no_val_sources);
    tcase_add_test(tc, test_files_equal_in_process);
    tcase_add_test(tc, test_state_input_streams);
    tcase_add_test(tc, test_csi_raw_input);
    tcase_add_test(tc, test_ideal_receiver_option);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
