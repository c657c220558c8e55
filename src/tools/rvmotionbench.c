/*
 * rvmotionbench — the motion detector (rv_motion) on real ESP32 CSI, per
 * chip: shipped defaults, parameters chosen without the chip's own files
 * (leave one chip out), and an MVS-style reference run in the same process,
 * beside ESPectre's published figures. A thin main() over librvreal's
 * evaluation (src/real/rvreal_eval.c); docs/real-csi.md shows the table.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rvreal_eval.h"
#include "rvreal_sessions.h"
#include "rvtool_args.h"

#define MAX_CHIPS 16

/* ESPectre's published MVS + NBVI figures (their PERFORMANCE.md, their
 * dataset, which may include files not vendored here). */
static const struct { const char *chip; double recall, fp; } espectre_mvs[] = {
    { "C3", 96.5, 0.0 }, { "C5", 99.1, 0.0 }, { "C6", 99.6, 0.3 },
    { "S3", 96.7, 0.0 }, { "ESP32", 99.8, 0.0 },
};

/* The leave-one-chip-out search grid. */
/* The leave-one-chip-out search grid: the threshold factor, the score
 * window and the subcarrier trim. The rank (the share of outlier frames a
 * window tolerates) is part of the method, not searched. */
static const float grid_factor[] = { 2.5f, 3.0f, 3.5f, 4.0f, 4.5f, 5.0f, 6.0f };
static const uint64_t grid_window_ms[] = { 200, 300, 500 };
static const float grid_trim[] = { 0.1f, 0.25f };
#define N_TRIM   (sizeof grid_trim / sizeof grid_trim[0])
#define N_WINDOW (sizeof grid_window_ms / sizeof grid_window_ms[0])
#define N_GRID   (sizeof grid_factor / sizeof grid_factor[0] * N_WINDOW * N_TRIM)

typedef struct {
    const char *data;
    rvtool_playback play;
    int quick;
} options;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: rvmotionbench [options]\n"
        "\n"
        "Runs the motion detector on the vendored real recordings and prints, per chip\n"
        "(both sessions pooled), recall and false positives per packet: ESPectre's way,\n"
        "baseline then movement of one session as one stream, baseline packets negative,\n"
        "movement packets positive, the first 2 s of each stream left out.\n"
        "Columns: shipped defaults; defaults with timing jitter; parameters chosen on the\n"
        "other chips only (leave one chip out, %zu-point grid); an MVS-style reference\n"
        "run here (moving variance of turbulence, P95 x 1.4 threshold calibrated on\n"
        "the baseline); ESPectre's published MVS figures (theirs, their dataset).\n"
        "\n"
        "  -d, --data DIR     recording folder with sessions.tsv\n"
        "                     (default tests/data/real/espectre)\n"
        "  -j, --jitter MS    jitter of the second column, +-MS ms (0..1000, default 3)\n"
        "      --seed S       jitter PRNG seed (default 1)\n"
        "  -q, --quick        defaults and reference only (no leave-one-chip-out search)\n"
        "  -h, --help         this text\n",
        (size_t)N_GRID);
}

#define PROG "rvmotionbench"
#define die(...) rvtool_usage_error(PROG, __VA_ARGS__)

static int parse_args(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        { "data", required_argument, NULL, 'd' }, { "jitter", required_argument, NULL, 'j' },
        { "seed", required_argument, NULL, 'S' }, { "quick", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },       { NULL, 0, NULL, 0 },
    };
    *o = (options){ .data = "tests/data/real/espectre", .play = { 3.0, 1 } };
    int c, rc;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o->data = optarg; break;
        case 'j':
        case 'S':
            if ((rc = rvtool_playback_opt(PROG, c, optarg, &o->play)) != 0)
                return rc;
            break;
        case 'q': o->quick = 1; break;
        case 'h': usage(stdout); exit(0);
        default: return rvtool_opt_error(PROG, c, argv);
        }
    }
    if (optind < argc)
        return die("unexpected argument '%s'", argv[optind]);
    return 0;
}

/* Grid point g, factor-major. */
static void grid_cfg(size_t g, rv_motion_cfg *c)
{
    rv_motion_cfg_default(c);
    c->tuning.trim = grid_trim[g % N_TRIM];
    g /= N_TRIM;
    c->tuning.window_ns = grid_window_ms[g % N_WINDOW] * 1000000ull;
    g /= N_WINDOW;
    c->tuning.factor = grid_factor[g];
}

typedef struct {
    char name[16];
    rvreal_counts def, jit, loco, mvs;
    size_t loco_grid;
    bool loco_found;
} chip_row;

/* Chip index of every session; fills the chip table. */
static size_t group_chips(const rvreal_eval_session *s, size_t n, size_t *chip_of,
                          chip_row *rows)
{
    size_t nc = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = 0;
        while (c < nc && strcmp(rows[c].name, s[i].chip) != 0)
            c++;
        if (c == nc && nc < MAX_CHIPS)
            snprintf(rows[nc++].name, sizeof rows[0].name, "%s", s[i].chip);
        chip_of[i] = c < MAX_CHIPS ? c : MAX_CHIPS - 1;
    }
    return nc;
}

/* Leave one chip out: per held-out chip, a grid point chosen on the other
 * chips only, the way the defaults were chosen: a factor is feasible when
 * every other chip keeps false positives at or under 0.1% and recall at or
 * above 99.5%; per (window, trim) the feasible factors form a range; the
 * widest range wins (ties: the better worst-chip recall at its middle) and
 * its middle factor is taken. If nothing is feasible, the best worst-chip
 * recall among the points without false positives over 0.1%. */
#define LOCO_FP_MAX     0.001
#define LOCO_RECALL_MIN 0.995
#define N_FACTOR (sizeof grid_factor / sizeof grid_factor[0])

static void chip_totals(const rvreal_counts *per, size_t n, const size_t *chip_of, size_t g,
                        rvreal_counts *chip)
{
    memset(chip, 0, MAX_CHIPS * sizeof *chip);
    for (size_t i = 0; i < n; i++)
        rvreal_counts_add(&chip[chip_of[i]], &per[g * n + i]);
}

static bool fp_ok(const rvreal_counts *chip, size_t nc, size_t held)
{
    for (size_t c = 0; c < nc; c++)
        if (c != held && rvreal_fp_rate(&chip[c]) > LOCO_FP_MAX)
            return false;
    return true;
}

/* Worst recall over the chips other than `held`, or -1 when one of them
 * has more than LOCO_FP_MAX false positives. */
static double worst_recall(const rvreal_counts *per, size_t n, const size_t *chip_of,
                           size_t nc, size_t held, size_t g)
{
    rvreal_counts chip[MAX_CHIPS];
    chip_totals(per, n, chip_of, g, chip);
    if (!fp_ok(chip, nc, held))
        return -1.0;
    double worst = 1.0;
    for (size_t c = 0; c < nc; c++)
        if (c != held)
            worst = fmin(worst, rvreal_recall(&chip[c]));
    return worst;
}

static void choose_loco(const rvreal_counts *per, size_t n, const size_t *chip_of,
                        size_t nc, chip_row *rows)
{
    for (size_t held = 0; held < nc; held++) {
        double best_key = -1.0, fallback = -1.0;
        size_t pick = 0;
        for (size_t wt = 0; wt < N_WINDOW * N_TRIM; wt++) {
            size_t lo = N_FACTOR, hi = 0;
            for (size_t f = 0; f < N_FACTOR; f++) {
                double w = worst_recall(per, n, chip_of, nc, held, f * N_WINDOW * N_TRIM + wt);
                if (w > fallback && best_key < 0.0) {
                    fallback = w;
                    pick = f * N_WINDOW * N_TRIM + wt;
                }
                if (w >= LOCO_RECALL_MIN) {
                    lo = f < lo ? f : lo;
                    hi = f;
                }
            }
            if (lo > hi)
                continue;
            size_t mid = ((lo + hi) / 2) * N_WINDOW * N_TRIM + wt;
            double key = (double)(hi - lo) + worst_recall(per, n, chip_of, nc, held, mid);
            if (key > best_key) {
                best_key = key;
                pick = mid;
            }
        }
        if (best_key >= 0.0 || fallback >= 0.0) {
            rvreal_counts chip[MAX_CHIPS];
            chip_totals(per, n, chip_of, pick, chip);
            rows[held].loco_grid = pick;
            rows[held].loco_found = true;
            rows[held].loco = chip[held];
        }
    }
}

static void print_cell(const rvreal_counts *c)
{
    printf(" %6.2f%% %5.2f%% |", 100.0 * rvreal_recall(c), 100.0 * rvreal_fp_rate(c));
}

static void print_table(const options *o, const chip_row *rows, size_t nc, size_t n_sessions)
{
    printf("rvmotionbench: rv_motion on real ESP32 CSI (%s, %zu sessions, %zu chips)\n"
           "per packet after a %u s warm-up; baseline packets negative, movement packets "
           "positive; a chip's sessions pooled\n\n",
           o->data, n_sessions, nc, RVREAL_WARMUP_US / 1000000u);
    char jit[32];
    snprintf(jit, sizeof jit, "jitter +-%g ms", o->play.jitter_ms);
    printf("%-6s | %-11s | %-15s | %-15s | %-15s | %-23s | %-15s | %s\n", "chip", "packets",
           "defaults", jit, "chip left out", "(chosen without it)", "MVS-style, here",
           "ESPectre MVS (theirs)");
    printf("%-6s | %-11s |", "", "quiet/move");
    for (int k = 0; k < 3; k++)
        printf(" %-15s |", "  recall    FP");
    printf(" %-23s | %-15s | %s\n", "", "  recall    FP", "  recall    FP");
    rvreal_counts all_def = { 0 }, all_jit = { 0 }, all_loco = { 0 }, all_mvs = { 0 };
    for (size_t c = 0; c < nc; c++) {
        const chip_row *r = &rows[c];
        printf("%-6s | %5llu/%-5llu |", r->name, (unsigned long long)(r->def.fp + r->def.tn),
               (unsigned long long)(r->def.tp + r->def.fn));
        print_cell(&r->def);
        print_cell(&r->jit);
        if (o->quick || !r->loco_found) {
            printf(" %-15s | %-23s |", o->quick ? "(--quick)" : "(none fits)", "");
        } else {
            rv_motion_cfg g;
            grid_cfg(r->loco_grid, &g);
            print_cell(&r->loco);
            printf(" factor %.1f w %3llu t %.2f |", g.tuning.factor,
                   (unsigned long long)(g.tuning.window_ns / 1000000u), g.tuning.trim);
            rvreal_counts_add(&all_loco, &r->loco);
        }
        print_cell(&r->mvs);
        bool theirs = false;
        for (size_t k = 0; k < sizeof espectre_mvs / sizeof espectre_mvs[0]; k++)
            if (!strcmp(espectre_mvs[k].chip, r->name)) {
                printf(" %6.1f%% %5.1f%%\n", espectre_mvs[k].recall, espectre_mvs[k].fp);
                theirs = true;
            }
        if (!theirs)
            printf("      -       -\n");
        rvreal_counts_add(&all_def, &r->def);
        rvreal_counts_add(&all_jit, &r->jit);
        rvreal_counts_add(&all_mvs, &r->mvs);
    }
    printf("all    | %5llu/%-5llu |", (unsigned long long)(all_def.fp + all_def.tn),
           (unsigned long long)(all_def.tp + all_def.fn));
    print_cell(&all_def);
    print_cell(&all_jit);
    if (o->quick)
        printf(" %-15s | %-23s |", "", "");
    else {
        print_cell(&all_loco);
        printf(" %-23s |", "");
    }
    print_cell(&all_mvs);
    printf("\n\nonset (defaults): movement packets in the first %u s after the switch from "
           "baseline: %llu, missed: %llu;\n",
           RVREAL_ONSET_US / 1000000u, (unsigned long long)all_def.onset_pos,
           (unsigned long long)all_def.onset_fn);
    rvreal_counts rest = all_def;
    rest.tp -= all_def.onset_pos - all_def.onset_fn;
    rest.fn -= all_def.onset_fn;
    printf("missed movement packets after that first second: %llu of %llu (recall %.2f%%)\n",
           (unsigned long long)rest.fn, (unsigned long long)(rest.tp + rest.fn),
           100.0 * rvreal_recall(&rest));
}

int main(int argc, char **argv)
{
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc;
    rvreal_session idx[RVREAL_MAX_SESSIONS];
    size_t n;
    char err[512];
    if (rvreal_sessions_load(o.data, idx, RVREAL_MAX_SESSIONS, &n, err, sizeof err) != 0) {
        fprintf(stderr, "rvmotionbench: %s\n", err);
        return 1;
    }
    rvreal_eval_session *s = calloc(n, sizeof *s);
    rvreal_counts *per = calloc(N_GRID * n, sizeof *per);
    size_t chip_of[RVREAL_MAX_SESSIONS];
    chip_row rows[MAX_CHIPS];
    memset(rows, 0, sizeof rows);
    if (s == NULL || per == NULL) {
        fprintf(stderr, "rvmotionbench: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        if (rvreal_eval_session_load(&idx[i], &s[i], err, sizeof err) != 0) {
            fprintf(stderr, "rvmotionbench: %s\n", err);
            rc = 1;
        }
    if (rc == 0) {
        size_t nc = group_chips(s, n, chip_of, rows);
        rv_motion_cfg def;
        rv_motion_cfg_default(&def);
        for (size_t i = 0; i < n; i++) {
            rvreal_counts c;
            rvreal_eval_motion(&s[i], &def, 0, 0, &c);
            rvreal_counts_add(&rows[chip_of[i]].def, &c);
            rvreal_eval_motion(&s[i], &def, (uint64_t)llround(o.play.jitter_ms * 1000.0),
                               o.play.seed + i, &c);
            rvreal_counts_add(&rows[chip_of[i]].jit, &c);
            rvreal_eval_mvs(&s[i], 50, &c);
            rvreal_counts_add(&rows[chip_of[i]].mvs, &c);
        }
        if (!o.quick) {
            for (size_t g = 0; g < N_GRID; g++) {
                rv_motion_cfg cfg;
                grid_cfg(g, &cfg);
                for (size_t i = 0; i < n; i++)
                    rvreal_eval_motion(&s[i], &cfg, 0, 0, &per[g * n + i]);
            }
            choose_loco(per, n, chip_of, nc, rows);
        }
        print_table(&o, rows, nc, n);
    }
    for (size_t i = 0; i < n; i++)
        rvreal_eval_session_free(&s[i]);
    free(s);
    free(per);
    return rc;
}
