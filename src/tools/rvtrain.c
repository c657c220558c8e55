/*
 * rvtrain — train the temporal-head model (backbone + classification head)
 * by backpropagation through the kernel's sparse attention and write a
 * .rvne blob. Thin main over src/train (rvt_run); docs/training.md.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

static void usage(FILE *f)
{
    fputs(
"usage: rvtrain [options] --out MODEL.rvne\n"
"\n"
"Trains the temporal-head model (docs/model.md) on labelled recordings and\n"
"writes a .rvne v2 blob. Every frame of a window is classified; the loss is\n"
"class-weighted cross-entropy over labelled frames. Same options and seed,\n"
"same weights, bit for bit.\n"
"\n"
"Data (at least one source):\n"
"  --sim-sessions N     simulate N training sessions in process (default 0)\n"
"  --sim-seed S         seed of the first session; session i uses S+i, which\n"
"                       picks its room, node placement and people (default 100000)\n"
"  --sim-duration SEC   seconds per session (default 120)\n"
"  --sim-rate HZ        CSI frames per second per node (default 100)\n"
"  --sim-nodes N        nodes per session, each one stream (default 2)\n"
"  --sim-scenarios L    comma-separated rvsim scenarios used round-robin\n"
"                       (default random,mixed,fall,sit,gestures,walking,empty,\n"
"                       breathing,apnea)\n"
"  --sim-receiver M     fixed (default), calibrated or mixed (odd sessions\n"
"                       calibrated): rvsim's receiver model for training and\n"
"                       test sessions (docs/simulator.md, Receiver)\n"
"  --sim-ideal-receiver simulate training and test sessions without receiver\n"
"                       noise and per-packet phase/timing offsets (analysis:\n"
"                       what the channel itself carries; docs/training.md §6)\n"
"  --pcap FILE --labels FILE\n"
"                       a capture and its JSON-lines label file (rvsim --labels\n"
"                       shape; real captures use the same); repeatable, paired\n"
"                       in order\n"
"  --synthetic N        N windows of a tiny separable synthetic task (smoke test)\n"
"  --input csi|state|csi-raw\n"
"                       model input: per-frame CSI features (46, default),\n"
"                       feature-state packets (9; simulated with --feature-state),\n"
"                       or CSI features before per-stream z-scoring (experiments\n"
"                       only: rvtemporalhead feeds the z-scored ones)\n"
"  --map FROM=TO        train label FROM as class TO (repeatable), e.g. apnea=still\n"
"\n"
"Held-out test set (final report; default: the validation split):\n"
"  --test-sessions N    simulated held-out sessions (default 0)\n"
"  --test-seed S        their first seed (default 900000; keep apart from --sim-seed)\n"
"  --test-pcap FILE --test-labels FILE   held-out recordings (repeatable)\n"
"\n"
"Windows:\n"
"  --seq T              frames per training window (default 256)\n"
"  --stride N           frames between window starts (default 256)\n"
"  --warmup N           unlabelled frames at each stream's start while the\n"
"                       feature normalisation settles (default 200)\n"
"  --ctx-min N          unlabelled first frames of windows that do not start a\n"
"                       stream: a frame is judged with history (default 16)\n"
"\n"
"Model (docs/model.md):\n"
"  --layers N           transformer layers (default 2)\n"
"  --d-model N          residual width (default 32)\n"
"  --heads N            query heads (default 4)\n"
"  --kv-heads N         key/value heads, divides --heads (default 1)\n"
"  --head-dim N         per-head dimension (default 16)\n"
"  --ffn N              feed-forward width, 0 = none (default 64)\n"
"  --rope-pairs N       rotary pairs per head, <= head-dim/2, 0 = none (default 4)\n"
"  --window W           attention window (default 32)\n"
"  --block B            landmark block size (default 16)\n"
"  --no-log-stride      no log-stride tokens/blocks\n"
"  --no-landmarks       no block landmarks\n"
"\n"
"Training:\n"
"  --epochs N           maximum epochs (default 30)\n"
"  --batch N            windows per Adam step (default 8)\n"
"  --lr X               peak learning rate; warm-up, then cosine decay (default 0.003)\n"
"  --weight-decay X     decoupled weight decay on matrices (default 0.0001)\n"
"  --clip X             global gradient-norm clip, 0 = off (default 1)\n"
"  --seed S             initialisation, shuffling and split seed (default 1)\n"
"  --val-split F        share of streams held out for validation (default 0.15)\n"
"  --patience N         early stop after N epochs without a better validation\n"
"                       loss, 0 = never (default 6); the best weights are kept\n"
"  --class-weight-pow X class weight (max_count/count)^X, 0 = off (default 0.5)\n"
"  --class-weight-max X cap on a class weight (default 8)\n"
"  --oversample N       repeat windows holding rare classes up to N times (default 4)\n"
"  --min-recall CLASS=R after training, raise CLASS's decision bias until its\n"
"                       recall on the validation split reaches R (0 < R <= 1),\n"
"                       trading its precision for recall, e.g. fall=0.98\n"
"                       (docs/training.md §2; off by default)\n"
"  --augment X          add a random constant offset, N(0, X) feature standard\n"
"                       deviations, to each input dim of each training window so\n"
"                       room/node-specific levels are not learnt (default 0)\n"
"\n"
"Output:\n"
"  --out FILE           .rvne to write (default model.rvne)\n"
"  --fp16               store weights as IEEE binary16\n"
"  --dump-windows FILE  write the labelled training and test windows to FILE\n"
"                       (docs/training.md §6) and stop without training\n"
"  --quiet              no progress output\n"
"  --help               this text\n"
"\n"
"Progress goes to stderr: one line per data source, class counts, one line\n"
"per epoch (loss, accuracies, gradient norm, learning rate, time), then the\n"
"held-out per-class precision/recall and confusion matrix.\n"
"Exit status: 0 success, 1 failure, 2 bad usage.\n", f);
}

static int bad(const char *opt, const char *val)
{
    fprintf(stderr, "rvtrain: bad value '%s' for %s (see --help)\n", val ? val : "", opt);
    return 2;
}

static bool parse_u64(const char *s, unsigned long long lo, unsigned long long hi,
                      unsigned long long *out)
{
    if (!s || !*s || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool parse_f(const char *s, double lo, double hi, double *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    rvt_run_opts o;
    rvt_run_defaults(&o);
    uint32_t n_pcap = 0, n_lab = 0, n_tpcap = 0, n_tlab = 0;
    bool quiet = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long u;
        double d;
#define U32(name, lo, hi, dst) \
        if (strcmp(a, name) == 0) { \
            if (!parse_u64(v, lo, hi, &u)) return bad(a, v); \
            dst = (uint32_t)u; i++; continue; }
#define U64(name, dst) \
        if (strcmp(a, name) == 0) { \
            if (!parse_u64(v, 0, ULLONG_MAX, &u)) return bad(a, v); \
            dst = u; i++; continue; }
#define DBL(name, lo, hi, dst) \
        if (strcmp(a, name) == 0) { \
            if (!parse_f(v, lo, hi, &d)) return bad(a, v); \
            dst = d; i++; continue; }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        U32("--sim-sessions", 0, 100000, o.sim.sessions)
        U64("--sim-seed", o.sim.seed)
        DBL("--sim-duration", 1.0, 86400.0, o.sim.duration_s)
        DBL("--sim-rate", 1.0, 1000.0, o.sim.rate_hz)
        U32("--sim-nodes", 1, 255, o.sim.nodes)
        U32("--test-sessions", 0, 100000, o.test_sim.sessions)
        U64("--test-seed", o.test_sim.seed)
        U32("--synthetic", 1, 1000000, o.synthetic)
        U32("--seq", 8, 8192, o.seq)
        U32("--stride", 1, 1000000, o.cut.stride)
        U32("--warmup", 0, 1000000, o.cut.warmup)
        U32("--ctx-min", 0, 8192, o.cut.ctx_min)
        U32("--layers", 1, RVT_MAX_LAYERS, o.net.arch.n_layers)
        U32("--d-model", 1, 4096, o.net.arch.d_model)
        U32("--heads", 1, 256, o.net.arch.q_heads)
        U32("--kv-heads", 1, 256, o.net.arch.kv_heads)
        U32("--head-dim", 1, 256, o.net.arch.head_dim)
        U32("--ffn", 0, 16384, o.net.arch.d_ff)
        U32("--rope-pairs", 0, RVT_MAX_ROPE, o.net.rope_pairs)
        U32("--window", 0, 1000000, o.net.attn.window)
        U32("--block", 1, 1000000, o.net.attn.block_size)
        U32("--epochs", 1, 100000, o.train.epochs)
        U32("--batch", 1, 100000, o.train.batch)
        DBL("--lr", 1e-7, 10.0, o.train.adam.lr)
        DBL("--weight-decay", 0.0, 10.0, o.train.adam.weight_decay)
        DBL("--clip", 0.0, 1e9, o.train.adam.clip_norm)
        U64("--seed", o.train.seed)
        DBL("--val-split", 0.0, 0.9, o.val_split)
        U32("--patience", 0, 100000, o.train.patience)
        DBL("--class-weight-pow", 0.0, 4.0, o.train.class_weight_pow)
        DBL("--class-weight-max", 1.0, 1000.0, o.train.class_weight_max)
        U32("--oversample", 1, 64, o.train.oversample_max)
        DBL("--augment", 0.0, 10.0, o.train.augment)
#undef U32
#undef U64
#undef DBL
        if (strcmp(a, "--sim-scenarios") == 0 || strcmp(a, "--input") == 0 ||
            strcmp(a, "--sim-receiver") == 0 ||
            strcmp(a, "--map") == 0 || strcmp(a, "--out") == 0 ||
            strcmp(a, "--min-recall") == 0 ||
            strcmp(a, "--dump-windows") == 0 ||
            strcmp(a, "--pcap") == 0 || strcmp(a, "--labels") == 0 ||
            strcmp(a, "--test-pcap") == 0 || strcmp(a, "--test-labels") == 0) {
            if (!v || !*v)
                return bad(a, v);
            i++;
            if (strcmp(a, "--sim-scenarios") == 0) {
                o.sim.scenarios = v;
            } else if (strcmp(a, "--sim-receiver") == 0) {
                if (strcmp(v, "fixed") == 0)
                    o.sim.receiver = RVT_RX_FIXED;
                else if (strcmp(v, "calibrated") == 0)
                    o.sim.receiver = RVT_RX_CALIBRATED;
                else if (strcmp(v, "mixed") == 0)
                    o.sim.receiver = RVT_RX_MIXED;
                else
                    return bad(a, v);
            } else if (strcmp(a, "--input") == 0) {
                if (strcmp(v, "csi") == 0)
                    o.input = RVT_INPUT_CSI;
                else if (strcmp(v, "csi-raw") == 0)
                    o.input = RVT_INPUT_CSI_RAW;
                else if (strcmp(v, "state") == 0)
                    o.input = RVT_INPUT_STATE;
                else
                    return bad(a, v);
            } else if (strcmp(a, "--map") == 0) {
                if (o.n_maps >= RVT_MAX_MAPS || !strchr(v, '='))
                    return bad(a, v);
                o.maps[o.n_maps++] = v;
            } else if (strcmp(a, "--min-recall") == 0) {
                const char *eq = strchr(v, '=');
                size_t len = eq ? (size_t)(eq - v) : 0;
                if (!eq || len == 0 || len >= sizeof o.recall_class ||
                    !parse_f(eq + 1, 1e-9, 1.0, &d))
                    return bad(a, v);
                memcpy(o.recall_class, v, len);
                o.recall_class[len] = '\0';
                o.recall_target = d;
            } else if (strcmp(a, "--out") == 0) {
                o.out = v;
            } else if (strcmp(a, "--dump-windows") == 0) {
                o.dump_windows = v;
            } else if (strcmp(a, "--pcap") == 0) {
                if (n_pcap >= RVT_MAX_FILES) return bad(a, v);
                o.pcap[n_pcap++] = v;
            } else if (strcmp(a, "--labels") == 0) {
                if (n_lab >= RVT_MAX_FILES) return bad(a, v);
                o.labels[n_lab++] = v;
            } else if (strcmp(a, "--test-pcap") == 0) {
                if (n_tpcap >= RVT_MAX_FILES) return bad(a, v);
                o.test_pcap[n_tpcap++] = v;
            } else {
                if (n_tlab >= RVT_MAX_FILES) return bad(a, v);
                o.test_labels[n_tlab++] = v;
            }
            continue;
        }
        if (strcmp(a, "--no-log-stride") == 0) { o.net.attn.log_stride = false; continue; }
        if (strcmp(a, "--no-landmarks") == 0) { o.net.attn.landmarks = false; continue; }
        if (strcmp(a, "--fp16") == 0) { o.fp16 = true; continue; }
        if (strcmp(a, "--sim-ideal-receiver") == 0) {
            o.sim.ideal_receiver = o.test_sim.ideal_receiver = true;
            continue;
        }
        if (strcmp(a, "--quiet") == 0) { quiet = true; continue; }
        fprintf(stderr, "rvtrain: unknown option '%s' (see --help)\n", a);
        return 2;
    }
    if (n_pcap != n_lab || n_tpcap != n_tlab) {
        fprintf(stderr, "rvtrain: every --pcap needs a --labels (and --test-pcap a --test-labels)\n");
        return 2;
    }
    o.n_files = n_pcap;
    o.n_test_files = n_tpcap;
    o.test_sim.scenarios = o.sim.scenarios;
    o.test_sim.duration_s = o.sim.duration_s;
    o.test_sim.rate_hz = o.sim.rate_hz;
    o.test_sim.nodes = o.sim.nodes;
    o.test_sim.receiver = o.sim.receiver;
    if (!o.sim.sessions && !o.n_files && !o.synthetic) {
        fprintf(stderr, "rvtrain: no training data: give --sim-sessions, --pcap/--labels or --synthetic\n");
        return 2;
    }
    if (o.net.arch.q_heads % o.net.arch.kv_heads != 0) {
        fprintf(stderr, "rvtrain: --kv-heads must divide --heads\n");
        return 2;
    }
    if (o.net.rope_pairs > o.net.arch.head_dim / 2) {
        fprintf(stderr, "rvtrain: --rope-pairs must be <= --head-dim / 2\n");
        return 2;
    }
    FILE *devnull = NULL;
    if (quiet) {
        devnull = fopen("/dev/null", "w");
        o.log = devnull;
    }
    int rc = rvt_run(&o);
    if (devnull)
        fclose(devnull);
    return rc;
}
