/*
 * test_rvtrain_cli.c — the rvtrain tool: --help documents the options, bad
 * usage exits 2 with a message, a --synthetic run exits 0 and writes a blob
 * the kernel parses with the class labels and provenance, --dump-windows
 * writes the documented window file, --init fine-tunes a written blob and
 * refuses one of another architecture.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rv_rvne.h"

static const char *rvtrain_path; /* argv[1]: the rvtrain executable */

static const char *exe(void)
{
    return rvtrain_path;
}

/* Run rvtrain with args; capture stdout+stderr into out; return exit code. */
static int run(const char *args, char *out, size_t cap)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", exe(), args);
    FILE *p = popen(cmd, "r");
    ck_assert(p != NULL);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char buf[1 << 16];

/* Reads up to cap bytes of a file the tool wrote, then removes it. */
static size_t take_file(const char *path, uint8_t *out, size_t cap)
{
    FILE *f = fopen(path, "rb");
    ck_assert(f != NULL);
    size_t n = fread(out, 1, cap, f);
    fclose(f);
    unlink(path);
    return n;
}

/* Creates an empty file from a mkstemp template (rewritten in place). */
static void make_temp(char *tmpl)
{
    int fd = mkstemp(tmpl);
    ck_assert(fd >= 0);
    close(fd);
}

START_TEST(test_help)
{
    ck_assert_int_eq(run("--help", buf, sizeof buf), 0);
    static const char *const opts[] = { "--pcap", "--labels", "--sim-sessions",
        "--sim-seed", "--input", "--layers", "--heads", "--kv-heads", "--head-dim",
        "--d-model", "--ffn", "--window", "--seq", "--epochs", "--batch", "--lr",
        "--seed", "--val-split", "--patience", "--out", "--map", "--test-sessions",
        "--dump-windows", "--min-recall", "--sim-calibrated-every",
        "--val-fixed-receiver", "--init", "--ema" };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        ck_assert_msg(strstr(buf, opts[i]) != NULL, "--help lacks %s", opts[i]);
    ck_assert_int_eq(run("-h", buf, sizeof buf), 0);
    ck_assert(strstr(buf, "usage: rvtrain") != NULL);
}
END_TEST

START_TEST(test_bad_usage)
{
    ck_assert_int_eq(run("--frobnicate", buf, sizeof buf), 2);
    ck_assert(strstr(buf, "unknown option") != NULL);
    ck_assert_int_eq(run("--synthetic 10 --epochs zero", buf, sizeof buf), 2);
    ck_assert(strstr(buf, "--epochs") != NULL);
    ck_assert_int_eq(run("--synthetic 10 --heads 4 --kv-heads 3", buf, sizeof buf), 2);
    ck_assert_int_eq(run("--pcap x.pcap", buf, sizeof buf), 2);
    ck_assert_int_eq(run("--input fourier --synthetic 4", buf, sizeof buf), 2);
    ck_assert_int_eq(run("", buf, sizeof buf), 2);
    ck_assert_int_eq(run("--synthetic 10 --min-recall fall", buf, sizeof buf), 2);
    ck_assert(strstr(buf, "--min-recall") != NULL);
    ck_assert_int_eq(run("--synthetic 10 --min-recall fall=1.5", buf, sizeof buf), 2);
    ck_assert_int_eq(run("--synthetic 10 --min-recall =0.9", buf, sizeof buf), 2);
    ck_assert_int_eq(run("--synthetic 10 --ema 1", buf, sizeof buf), 2);
    ck_assert(strstr(buf, "--ema") != NULL);
    ck_assert_int_eq(run("--synthetic 10 --ema -0.5", buf, sizeof buf), 2);
    ck_assert_int_eq(run("--pcap /nonexistent.pcap --labels /nonexistent.jsonl --out /dev/null",
                         buf, sizeof buf), 1);
    /* a value missing at the end, a stray argument, a number out of range,
     * an empty file name: each names what is wrong */
    ck_assert_int_eq(run("--synthetic", buf, sizeof buf), 2);
    ck_assert(strstr(buf, "--synthetic needs a value") != NULL);
    ck_assert_int_eq(run("--synthetic 4 extra", buf, sizeof buf), 2);
    ck_assert(strstr(buf, "unexpected argument 'extra'") != NULL);
    ck_assert_int_eq(run("--synthetic 4 --layers 99", buf, sizeof buf), 2);
    ck_assert(strstr(buf, "--layers: '99'") != NULL);
    ck_assert_int_eq(run("--synthetic=4 --sim-rate=-1", buf, sizeof buf), 2);
    ck_assert(strstr(buf, "--sim-rate") != NULL);
    ck_assert_int_eq(run("--synthetic 4 --sim-seed 18446744073709551616", buf, sizeof buf), 2);
    ck_assert(strstr(buf, "see rvtrain --help") != NULL);
}
END_TEST

START_TEST(test_synthetic_run_writes_blob)
{
    char path[] = "/tmp/rvtrain-cli-XXXXXX";
    make_temp(path);
    char args[512];
    snprintf(args, sizeof args,
             "--synthetic 40 --seq 48 --epochs 25 --d-model 16 --layers 1 --heads 2 "
             "--head-dim 8 --ffn 32 --window 8 --block 8 --rope-pairs 2 --lr 0.01 "
             "--patience 0 --seed 3 --out %s", path);
    ck_assert_int_eq(run(args, buf, sizeof buf), 0);
    ck_assert(strstr(buf, "epoch   1") != NULL);
    ck_assert(strstr(buf, "confusion matrix") != NULL);
    ck_assert(strstr(buf, "accuracy 1.0000") != NULL);
    static uint8_t blob[1 << 16];
    size_t n = take_file(path, blob, sizeof blob);
    rv_rvne_info info;
    ck_assert_int_eq(rv_rvne_parse(blob, n, &info), RV_OK);
    ck_assert_uint_eq(info.arch.input_dim, 6);
    ck_assert_uint_eq(info.arch.head_classes[0], 4);
    ck_assert(info.has_prov);
    ck_assert_uint_eq(info.prov_seed, 3);
    ck_assert(info.prov_accuracy == 1.0f);
    rv_rvne_str lab;
    ck_assert_int_eq(rv_rvne_label(&info, 0, 2, &lab), RV_OK);
    ck_assert_int_eq((int)lab.len, 6);
    ck_assert(memcmp(lab.s, "class2", 6) == 0);
}
END_TEST


/* --min-recall reports the calibration line on a known class and refuses
 * an unknown one. */
START_TEST(test_min_recall)
{
    static const char tiny[] = "--synthetic 24 --val-split 0.5 --seq 32 --epochs 2 --d-model 8 "
        "--layers 1 --heads 1 --head-dim 8 --ffn 8 --window 8 --block 8 "
        "--rope-pairs 2 --patience 0 --seed 3 --out /dev/null";
    char args[512];

    snprintf(args, sizeof args, "%s --min-recall class1=1", tiny);
    ck_assert_int_eq(run(args, buf, sizeof buf), 0);
    ck_assert_msg(strstr(buf, "recall floor: class1 bias") != NULL, "%s", buf);
    ck_assert(strstr(buf, "-> 1.0000") != NULL);
    snprintf(args, sizeof args, "%s --min-recall fall=0.9", tiny);
    ck_assert_int_eq(run(args, buf, sizeof buf), 1);
    ck_assert(strstr(buf, "no class 'fall'") != NULL);
}
END_TEST

/* --dump-windows writes the documented little-endian layout and no model. */
static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

START_TEST(test_dump_windows)
{
    char path[] = "/tmp/rvtrain-windows-XXXXXX";
    make_temp(path);
    char args[512];
    snprintf(args, sizeof args, "--synthetic 8 --seq 16 --dump-windows %s", path);
    ck_assert_int_eq(run(args, buf, sizeof buf), 0);
    ck_assert(strstr(buf, "epoch") == NULL);
    static uint8_t b[1 << 16];
    size_t n = take_file(path, b, sizeof b);
    ck_assert(n > 24 && memcmp(b, "RVTW", 4) == 0);
    ck_assert_uint_eq(le32(b + 4), 1);           /* version */
    const uint32_t dim = le32(b + 8), seq = le32(b + 12), ncls = le32(b + 16);
    ck_assert_uint_eq(dim, 6);
    ck_assert_uint_eq(seq, 16);
    ck_assert_uint_eq(ncls, 4);
    ck_assert_str_eq((const char *)b + 20 + 32 * 3, "class3");
    const size_t off = 20 + 32 * (size_t)ncls;
    const uint32_t nwin = le32(b + off);
    ck_assert_uint_eq(nwin, 8 + 8 / 4 + 1);     /* training + test windows */
    const size_t rec = 8 + 4 * (size_t)seq * dim + 4 * (size_t)seq;
    ck_assert_uint_eq(n, off + 4 + nwin * rec);
    /* the last window is a test window; its labels are classes or -1 */
    const uint8_t *last = b + off + 4 + (nwin - 1) * rec;
    ck_assert_uint_eq(le32(last + 4), 1);
    for (uint32_t t = 0; t < seq; t++) {
        int32_t y = (int32_t)le32(last + 8 + 4 * (size_t)seq * dim + 4 * t);
        ck_assert(y >= -1 && y < 4);
    }
    snprintf(args, sizeof args, "--synthetic 8 --seq 16 --dump-windows /nonexistent-dir/w");
    ck_assert_int_eq(run(args, buf, sizeof buf), 1);
    ck_assert(strstr(buf, "cannot write") != NULL);
}
END_TEST

/* --init: a blob rvtrain wrote is the starting point of a second run with
 * the same options (its accuracy before training is logged); another
 * architecture or a missing file exits 1 naming the problem. */
START_TEST(test_init)
{
    static const char tiny[] = "--synthetic 24 --seq 32 --d-model 8 --layers 1 --heads 1 "
        "--head-dim 8 --ffn 8 --window 8 --block 8 --rope-pairs 2 --patience 0 --seed 3";
    char path[] = "/tmp/rvtrain-init-XXXXXX", path2[] = "/tmp/rvtrain-init2-XXXXXX";
    make_temp(path);
    make_temp(path2);
    char args[768];
    snprintf(args, sizeof args, "%s --epochs 12 --lr 0.01 --out %s", tiny, path);
    ck_assert_int_eq(run(args, buf, sizeof buf), 0);
    snprintf(args, sizeof args, "%s --epochs 1 --lr 0.001 --init %s --out %s", tiny, path, path2);
    ck_assert_int_eq(run(args, buf, sizeof buf), 0);
    ck_assert_msg(strstr(buf, "init: ") != NULL && strstr(buf, "before training") != NULL,
                  "%s", buf);
    static uint8_t blob[1 << 16];
    size_t n = take_file(path2, blob, sizeof blob);
    rv_rvne_info info;
    ck_assert_int_eq(rv_rvne_parse(blob, n, &info), RV_OK);
    ck_assert(info.prov_notes.len > 0);
    ck_assert(memmem(info.prov_notes.s, info.prov_notes.len, "initialised from the model with crc32", 37) != NULL);

    snprintf(args, sizeof args, "%s --epochs 1 --ffn 16 --init %s --out /dev/null", tiny, path);
    ck_assert_int_eq(run(args, buf, sizeof buf), 1);
    ck_assert_msg(strstr(buf, "--ffn is 16 in this run, 8 in the model") != NULL, "%s", buf);
    unlink(path);
    snprintf(args, sizeof args, "%s --epochs 1 --init %s --out /dev/null", tiny, path);
    ck_assert_int_eq(run(args, buf, sizeof buf), 1);
    ck_assert(strstr(buf, "--init cannot open") != NULL);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("rvtrain_cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_help);
    tcase_add_test(tc, test_bad_usage);
    tcase_add_test(tc, test_synthetic_run_writes_blob);
    tcase_add_test(tc, test_min_recall);
    tcase_add_test(tc, test_dump_windows);
    tcase_add_test(tc, test_init);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_rvtrain_cli PATH-TO-RVTRAIN\n");
        return EXIT_FAILURE;
    }
    rvtrain_path = argv[1];
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
