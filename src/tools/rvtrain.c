/*
 * rvtrain — train the temporal-head model (backbone + classification head)
 * by backpropagation through the kernel's sparse attention and write a
 * .rvne blob. Thin main over src/train (rvt_run); docs/training.md.
 */
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "rvtool_args.h"

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
"  --sim-receiver M     fixed (default), calibrated or mixed (every N-th session\n"
"                       calibrated): rvsim's receiver model for training and\n"
"                       test sessions (docs/simulator.md, Receiver)\n"
"  --sim-calibrated-every N\n"
"                       with mixed: sessions N-1, 2N-1, ... are calibrated\n"
"                       (default 2: every other one)\n"
"  --val-fixed-receiver validate (early stop, best epoch, --min-recall) on\n"
"                       fixed-receiver sessions only; calibrated ones all train\n"
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
"  --init MODEL.rvne    start from this model's weights and feature\n"
"                       normalisation instead of a random initialisation\n"
"                       (fine-tuning; fp32 or fp16 .rvne v2). Its architecture,\n"
"                       attention, rotary pairs, input kind and classes must\n"
"                       equal this run's options, else rvtrain names the\n"
"                       difference and exits 1\n"
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
"  --ema D              keep a moving average of the weights, updated after\n"
"                       every step as avg = D*avg + (1-D)*weights (0 <= D < 1,\n"
"                       e.g. 0.998); validation, the best epoch, --min-recall\n"
"                       and the exported model use the average (default 0 = off)\n"
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

/* What the table cannot store directly: enumerations, repeatable files,
 * CLASS=R, and flags that clear or set two fields. */
typedef struct {
    rvt_run_opts *o;
    uint32_t n_pcap, n_lab, n_tpcap, n_tlab;
} cli;

static int bad(const char *opt, const char *val)
{
    return rvtool_usage_error("rvtrain", "bad value '%s' for --%s", val, opt);
}

static int add_file(const char *name, const char *v, const char **list, uint32_t *n)
{
    if (*n >= RVT_MAX_FILES)
        return rvtool_usage_error("rvtrain", "more than %d --%s", RVT_MAX_FILES, name);
    list[(*n)++] = v;
    return 0;
}

static int on_option(void *ctx, const char *name, const char *v)
{
    cli *c = ctx;
    rvt_run_opts *o = c->o;
    if (v && !*v)
        return rvtool_usage_error("rvtrain", "--%s needs a non-empty value", name);
    if (!strcmp(name, "sim-receiver")) {
        if (!strcmp(v, "fixed"))
            o->sim.receiver = RVT_RX_FIXED;
        else if (!strcmp(v, "calibrated"))
            o->sim.receiver = RVT_RX_CALIBRATED;
        else if (!strcmp(v, "mixed"))
            o->sim.receiver = RVT_RX_MIXED;
        else
            return bad(name, v);
    } else if (!strcmp(name, "input")) {
        if (!strcmp(v, "csi"))
            o->input = RVT_INPUT_CSI;
        else if (!strcmp(v, "csi-raw"))
            o->input = RVT_INPUT_CSI_RAW;
        else if (!strcmp(v, "state"))
            o->input = RVT_INPUT_STATE;
        else
            return bad(name, v);
    } else if (!strcmp(name, "map")) {
        if (o->n_maps >= RVT_MAX_MAPS || !strchr(v, '='))
            return bad(name, v);
        o->maps[o->n_maps++] = v;
    } else if (!strcmp(name, "min-recall")) {
        const char *eq = strchr(v, '=');
        size_t len = eq ? (size_t)(eq - v) : 0;
        if (!eq || len == 0 || len >= sizeof o->recall_class ||
            rvtool_parse_double(eq + 1, 1e-9, 1.0, &o->recall_target))
            return bad(name, v);
        memcpy(o->recall_class, v, len);
        o->recall_class[len] = '\0';
    } else if (!strcmp(name, "pcap")) {
        return add_file(name, v, o->pcap, &c->n_pcap);
    } else if (!strcmp(name, "labels")) {
        return add_file(name, v, o->labels, &c->n_lab);
    } else if (!strcmp(name, "test-pcap")) {
        return add_file(name, v, o->test_pcap, &c->n_tpcap);
    } else if (!strcmp(name, "test-labels")) {
        return add_file(name, v, o->test_labels, &c->n_tlab);
    } else if (!strcmp(name, "no-log-stride")) {
        o->net.attn.log_stride = false;
    } else if (!strcmp(name, "no-landmarks")) {
        o->net.attn.landmarks = false;
    } else if (!strcmp(name, "sim-ideal-receiver")) {
        o->sim.ideal_receiver = o->test_sim.ideal_receiver = true;
    } else if (!strcmp(name, "val-fixed-receiver")) {
        o->sim.val_fixed_only = true;
    }
    return 0;
}

/* Fills o from argv; -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, rvt_run_opts *o, bool *quiet)
{
    const rvtool_opt t[] = {
        { "sim-sessions", RVTOOL_U32, &o->sim.sessions, 0, 100000 },
        { "sim-seed", RVTOOL_U64, &o->sim.seed, 0, 0 },
        { "sim-duration", RVTOOL_DOUBLE, &o->sim.duration_s, 1.0, 86400.0 },
        { "sim-rate", RVTOOL_DOUBLE, &o->sim.rate_hz, 1.0, 1000.0 },
        { "sim-nodes", RVTOOL_U32, &o->sim.nodes, 1, 255 },
        { "sim-scenarios", RVTOOL_STRING, &o->sim.scenarios, 0, 0 },
        { "sim-receiver", RVTOOL_CALL, NULL, 0, 0 },
        { "sim-ideal-receiver", RVTOOL_CALL0, NULL, 0, 0 },
        { "sim-calibrated-every", RVTOOL_U32, &o->sim.calibrated_every, 2, 1000 },
        { "val-fixed-receiver", RVTOOL_CALL0, NULL, 0, 0 },
        { "pcap", RVTOOL_CALL, NULL, 0, 0 },
        { "labels", RVTOOL_CALL, NULL, 0, 0 },
        { "synthetic", RVTOOL_U32, &o->synthetic, 1, 1000000 },
        { "input", RVTOOL_CALL, NULL, 0, 0 },
        { "map", RVTOOL_CALL, NULL, 0, 0 },
        { "test-sessions", RVTOOL_U32, &o->test_sim.sessions, 0, 100000 },
        { "test-seed", RVTOOL_U64, &o->test_sim.seed, 0, 0 },
        { "test-pcap", RVTOOL_CALL, NULL, 0, 0 },
        { "test-labels", RVTOOL_CALL, NULL, 0, 0 },
        { "seq", RVTOOL_U32, &o->seq, 8, 8192 },
        { "stride", RVTOOL_U32, &o->cut.stride, 1, 1000000 },
        { "warmup", RVTOOL_U32, &o->cut.warmup, 0, 1000000 },
        { "ctx-min", RVTOOL_U32, &o->cut.ctx_min, 0, 8192 },
        { "layers", RVTOOL_U32, &o->net.arch.n_layers, 1, RVT_MAX_LAYERS },
        { "d-model", RVTOOL_U32, &o->net.arch.d_model, 1, 4096 },
        { "heads", RVTOOL_U32, &o->net.arch.q_heads, 1, 256 },
        { "kv-heads", RVTOOL_U32, &o->net.arch.kv_heads, 1, 256 },
        { "head-dim", RVTOOL_U32, &o->net.arch.head_dim, 1, 256 },
        { "ffn", RVTOOL_U32, &o->net.arch.d_ff, 0, 16384 },
        { "rope-pairs", RVTOOL_U32, &o->net.rope_pairs, 0, RVT_MAX_ROPE },
        { "window", RVTOOL_U32, &o->net.attn.window, 0, 1000000 },
        { "block", RVTOOL_U32, &o->net.attn.block_size, 1, 1000000 },
        { "no-log-stride", RVTOOL_CALL0, NULL, 0, 0 },
        { "no-landmarks", RVTOOL_CALL0, NULL, 0, 0 },
        { "init", RVTOOL_STRING, &o->init, 0, 0 },
        { "epochs", RVTOOL_U32, &o->train.epochs, 1, 100000 },
        { "batch", RVTOOL_U32, &o->train.batch, 1, 100000 },
        { "lr", RVTOOL_DOUBLE, &o->train.adam.lr, 1e-7, 10.0 },
        { "weight-decay", RVTOOL_DOUBLE, &o->train.adam.weight_decay, 0.0, 10.0 },
        { "clip", RVTOOL_DOUBLE, &o->train.adam.clip_norm, 0.0, 1e9 },
        { "seed", RVTOOL_U64, &o->train.seed, 0, 0 },
        { "val-split", RVTOOL_DOUBLE, &o->val_split, 0.0, 0.9 },
        { "patience", RVTOOL_U32, &o->train.patience, 0, 100000 },
        { "class-weight-pow", RVTOOL_DOUBLE, &o->train.class_weight_pow, 0.0, 4.0 },
        { "class-weight-max", RVTOOL_DOUBLE, &o->train.class_weight_max, 1.0, 1000.0 },
        { "oversample", RVTOOL_U32, &o->train.oversample_max, 1, 64 },
        { "min-recall", RVTOOL_CALL, NULL, 0, 0 },
        { "augment", RVTOOL_DOUBLE, &o->train.augment, 0.0, 10.0 },
        { "ema", RVTOOL_DOUBLE, &o->train.ema_decay, 0.0, 0.999999 },
        { "out", RVTOOL_STRING, &o->out, 0, 0 },
        { "fp16", RVTOOL_FLAG, &o->fp16, 0, 0 },
        { "dump-windows", RVTOOL_STRING, &o->dump_windows, 0, 0 },
        { "quiet", RVTOOL_FLAG, quiet, 0, 0 },
    };
    cli c = { .o = o };
    int first, st = rvtool_parse("rvtrain", argc, argv, t, sizeof t / sizeof t[0],
                                 on_option, &c, usage, &first);
    if (st >= 0)
        return st;
    if (first < argc)
        return rvtool_usage_error("rvtrain", "unexpected argument '%s'", argv[first]);
    if (c.n_pcap != c.n_lab || c.n_tpcap != c.n_tlab)
        return rvtool_usage_error("rvtrain", "every --pcap needs a --labels "
                                  "(and --test-pcap a --test-labels)");
    o->n_files = c.n_pcap;
    o->n_test_files = c.n_tpcap;
    return -1;
}

int main(int argc, char **argv)
{
    rvt_run_opts o;
    rvt_run_defaults(&o);
    bool quiet = false;
    int st = parse_args(argc, argv, &o, &quiet);
    if (st >= 0)
        return st;
    o.test_sim.scenarios = o.sim.scenarios;
    o.test_sim.duration_s = o.sim.duration_s;
    o.test_sim.rate_hz = o.sim.rate_hz;
    o.test_sim.nodes = o.sim.nodes;
    o.test_sim.receiver = o.sim.receiver;
    o.test_sim.calibrated_every = o.sim.calibrated_every;
    if (!o.sim.sessions && !o.n_files && !o.synthetic)
        return rvtool_usage_error("rvtrain", "no training data: give --sim-sessions, "
                                  "--pcap/--labels or --synthetic");
    if (o.net.arch.q_heads % o.net.arch.kv_heads != 0)
        return rvtool_usage_error("rvtrain", "--kv-heads must divide --heads");
    if (o.net.rope_pairs > o.net.arch.head_dim / 2)
        return rvtool_usage_error("rvtrain", "--rope-pairs must be <= --head-dim / 2");
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
