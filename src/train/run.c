/* run.c — one rvtrain run; see run.h. */
#include "run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "export.h"
#include "load.h"
#include "windows_file.h"

void rvt_run_defaults(rvt_run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->input = RVT_INPUT_CSI;
    o->sim = (rvt_sim_opts){ .seed = 100000, .duration_s = 120.0, .rate_hz = 100.0, .nodes = 2,
        .scenarios = "random,mixed,fall,sit,gestures,walking,empty,breathing,apnea" };
    o->test_sim = o->sim;
    o->test_sim.seed = 900000;
    o->cut = (rvt_cut_opts){ RVT_INPUT_CSI, 200, 256, 16 };
    o->seq = 256;
    rv_rvne_arch *a = &o->net.arch;
    a->q_heads = 4;
    a->kv_heads = 1;
    a->head_dim = 16;
    a->n_layers = 2;
    a->d_model = 32;
    a->d_ff = 64;
    a->input_proj = a->norm = a->head_bias = true;
    a->n_heads = 1;
    o->net.attn = (rv_rvne_attn){ .window = 32, .block_size = 16, .n_globals = 0,
        .log_stride = true, .landmarks = true };
    o->net.rope_pairs = 4;
    o->train = rvt_train_defaults();
    o->val_split = 0.15;
    o->out = "model.rvne";
}

static void report_line(const rvt_confusion *cm, const rvt_classes *cls,
                        const char *a, const char *b, FILE *f)
{
    int ia = -1, ib = -1;
    for (uint32_t i = 0; i < cls->n; i++) {
        if (strcmp(cls->name[i], a) == 0)
            ia = (int)i;
        if (strcmp(cls->name[i], b) == 0)
            ib = (int)i;
    }
    if (ia < 0 || ib < 0)
        return;
    uint64_t na = 0;
    for (uint32_t j = 0; j < cm->n_classes; j++)
        na += cm->cm[ia][j];
    fprintf(f, "%s frames predicted %s: %llu of %llu\n", a, b,
            (unsigned long long)cm->cm[ia][ib], (unsigned long long)na);
}

void rvt_report(const rvt_confusion *cm, const rvt_classes *cls, FILE *f)
{
    rvt_confusion_print(cm, cls->ptr, f);
    report_line(cm, cls, "fall", "sit_down", f);
    report_line(cm, cls, "sit_down", "fall", f);
}

/* Mean and 1/std per input dim over every frame of the training windows. */
static void feat_norm(const rvt_dataset *ds, rvt_net_cfg *c)
{
    const uint32_t D = ds->in_dim;
    const size_t n = (size_t)ds->n_seq * ds->seq_len;
    c->has_feat_norm = n > 0;
    for (uint32_t d = 0; d < D; d++) {
        double s = 0.0, ss = 0.0;
        for (size_t i = 0; i < n; i++) {
            double v = ds->x[i * D + d];
            s += v;
            ss += v * v;
        }
        double mu = n ? s / (double)n : 0.0;
        double var = n ? ss / (double)n - mu * mu : 1.0;
        c->feat_mean[d] = (float)mu;
        c->feat_inv_std[d] = (float)(1.0 / sqrt(var > 1e-6 ? var : 1e-6));
    }
}

static void class_table(const rvt_dataset *ds, const rvt_classes *cls,
                        const char *what, FILE *log)
{
    uint64_t cnt[RVT_MAX_CLASSES];
    rvt_dataset_class_counts(ds, cls->n, cnt);
    fprintf(log, "%s: %u windows of %u frames; labelled frames per class:", what,
            ds->n_seq, ds->seq_len);
    for (uint32_t c = 0; c < cls->n; c++)
        fprintf(log, " %s=%llu", cls->name[c], (unsigned long long)cnt[c]);
    fprintf(log, "\n");
}

/* The recall floor of --min-recall, measured and applied on the
 * validation split. */
static bool calibrate(rvt_net *net, const rvt_dataset *va,
                      const rvt_classes *cls, const rvt_run_opts *o, FILE *log)
{
    int k = rvt_classes_find(cls, o->recall_class);
    rvt_calibration cal;

    if (k < 0) {
        fprintf(log, "rvtrain: --min-recall: no class '%s' in the training labels\n",
                o->recall_class);
        return false;
    }
    if (!rvt_calibrate_recall(net, va, (uint32_t)k, o->recall_target, &cal)) {
        fprintf(log, "rvtrain: --min-recall: the validation split has no '%s' frame "
                "(or the model has no head bias)\n", o->recall_class);
        return false;
    }
    fprintf(log, "recall floor: %s bias %+.3f; validation recall %.4f -> %.4f "
            "(target %.4f%s, %llu frames), accuracy %.4f -> %.4f\n",
            o->recall_class, cal.offset, cal.recall_before, cal.recall_after,
            o->recall_target, cal.reached ? "" : ", not reached within the offset cap",
            (unsigned long long)cal.support, cal.acc_before, cal.acc_after);
    return true;
}

/* --init: the model's weights and feature normalisation replace the fresh
 * ones; its accuracy before training is logged as the fine-tuning baseline
 * (rvt_train logs its validation loss as epoch 0). */
static bool init_from(rvt_net *net, const rvt_run_opts *o, const rvt_classes *cls,
                      const rvt_dataset *te,
                      rvt_load_info *got, FILE *log)
{
    rvt_load_expect e = { cls->ptr, RV_RVNE_INPUT_NONE, 0 };
    char err[320] = "";
    if (!o->synthetic)
        rvt_input_declaration(o->input, &e.input_kind, &e.input_layout);
    if (!rvt_net_load_file(net, o->init, &e, got, err, sizeof err)) {
        fprintf(log, "rvtrain: --init %s\n", err);
        return false;
    }
    double te_acc = te->n_seq ? rvt_evaluate(net, te, NULL, NULL) : NAN;
    fprintf(log, "init: %s (crc32 %08x, held-out accuracy %.4f in its provenance; "
            "weights and feature normalisation); held-out accuracy on this run's "
            "test set before training %.4f\n", o->init, got->crc, got->accuracy, te_acc);
    return true;
}

static bool collect(const rvt_cut_opts *cut, const rvt_sim_opts *so,
                    const char *const *pcaps, const char *const *labels,
                    uint32_t n_files, const rvt_classes *cls, rvt_dataset *ds,
                    uint32_t *src, FILE *log)
{
    char err[256] = "";
    if (so->sessions &&
        !rvt_collect_sim(so, cut, cls, ds, src, log, err, sizeof err)) {
        fprintf(log, "rvtrain: simulator: %s\n", err);
        return false;
    }
    for (uint32_t i = 0; i < n_files; i++)
        if (!rvt_collect_files(pcaps[i], labels[i], cut, cls, ds, src, log,
                               err, sizeof err)) {
            fprintf(log, "rvtrain: %s\n", err);
            return false;
        }
    return true;
}

int rvt_run(const rvt_run_opts *o)
{
    FILE *log = o->log ? o->log : stderr;
    rvt_classes cls;
    rvt_classes_init(&cls);
    char err[256] = "";
    rvt_cut_opts cut = o->cut;
    cut.input = o->input;
    for (uint32_t i = 0; i < o->n_maps; i++)
        if (!rvt_classes_add_map(&cls, o->maps[i])) {
            fprintf(log, "rvtrain: bad --map '%s' (want FROM=TO)\n", o->maps[i]);
            return 1;
        }

    /* Class list: canonical order over every source's names. */
    if (o->synthetic) {
        for (uint32_t c = 0; c < 4; c++) {
            char nm[16];
            snprintf(nm, sizeof nm, "class%u", c);
            rvt_classes_add(&cls, nm);
        }
    }
    if (o->sim.sessions || o->test_sim.sessions)
        rvt_classes_add_sim(&cls);
    for (uint32_t i = 0; i < o->n_files; i++)
        if (!rvt_classes_add_labels(&cls, o->labels[i], err, sizeof err)) {
            fprintf(log, "rvtrain: %s\n", err);
            return 1;
        }
    for (uint32_t i = 0; i < o->n_test_files; i++)
        if (!rvt_classes_add_labels(&cls, o->test_labels[i], err, sizeof err)) {
            fprintf(log, "rvtrain: %s\n", err);
            return 1;
        }
    rvt_classes_sort(&cls);
    if (cls.n < 2) {
        fprintf(log, "rvtrain: need at least 2 classes (got %u)\n", cls.n);
        return 1;
    }

    const uint32_t in_dim = o->synthetic ? 6 : rvt_input_dim(o->input);
    rvt_dataset tr, va, te;
    rvt_dataset_init(&tr, in_dim, o->seq);
    rvt_dataset_init(&te, in_dim, o->seq);
    memset(&va, 0, sizeof va);
    uint32_t src = 0;
    int rc = 1;
    rvt_net net;
    memset(&net, 0, sizeof net);
    if (o->synthetic) {
        if (!rvt_dataset_synthetic(&tr, o->synthetic, cls.n, 0.25, o->train.seed, 1) ||
            !rvt_dataset_synthetic(&te, o->synthetic / 4 + 1, cls.n, 0.25, o->train.seed, 2))
            goto out;
    } else {
        if (!collect(&cut, &o->sim, o->pcap, o->labels, o->n_files, &cls, &tr, &src, log))
            goto out;
        src = 1u << 30; /* test streams never share ids with training ones */
        if (!collect(&cut, &o->test_sim, o->test_pcap, o->test_labels, o->n_test_files,
                     &cls, &te, &src, log))
            goto out;
    }
    if (tr.n_seq == 0) {
        fprintf(log, "rvtrain: no training windows (need streams of at least --seq frames)\n");
        goto out;
    }
    if (o->dump_windows) {
        if (!rvt_windows_write(o->dump_windows, &tr, &te, &cls, err, sizeof err)) {
            fprintf(log, "rvtrain: %s\n", err);
            goto out;
        }
        fprintf(log, "wrote %s (%u training + %u test windows of %u frames x %u features)\n",
                o->dump_windows, tr.n_seq, te.n_seq, o->seq, in_dim);
        rc = 0;
        goto out;
    }
    if (!rvt_dataset_split(&tr, &va, o->val_split, o->train.seed))
        goto out;
    class_table(&tr, &cls, "train", log);
    class_table(&va, &cls, "validation", log);
    if (te.n_seq)
        class_table(&te, &cls, "held-out test", log);

    rvt_net_cfg nc = o->net;
    nc.arch.input_dim = in_dim;
    if (!nc.arch.input_proj)
        nc.arch.d_model = in_dim;
    nc.arch.n_heads = 1;
    nc.arch.head_classes[0] = cls.n;
    if (nc.rope_pairs)
        rvt_net_default_periods(nc.rope_pairs, nc.rope_periods);
    feat_norm(&tr, &nc);
    if (!rvt_net_init(&net, &nc, o->train.seed, err, sizeof err)) {
        fprintf(log, "rvtrain: model: %s\n", err);
        goto out;
    }
    fprintf(log, "model: input %u, d_model %u, %u layers, %u q / %u kv heads x %u, "
            "ffn %u, %u classes, %zu parameters\n", in_dim, nc.arch.d_model,
            nc.arch.n_layers, nc.arch.q_heads, nc.arch.kv_heads, nc.arch.head_dim,
            nc.arch.d_ff, cls.n, net.P.total);
    rvt_load_info init = { 0, NAN };
    if (o->init && !init_from(&net, o, &cls, &te, &init, log))
        goto out;

    rvt_train_cfg tc = o->train;
    tc.log = log;
    tc.log_start = o->init != NULL;
    rvt_train_result res;
    if (!rvt_train(&net, &tr, &va, &tc, &res)) {
        fprintf(log, "rvtrain: training failed (out of memory?)\n");
        goto out;
    }

    if (o->recall_class[0] && !calibrate(&net, &va, &cls, o, log))
        goto out;

    const rvt_dataset *ho = te.n_seq ? &te : &va;
    rvt_confusion cm;
    double acc = rvt_evaluate(&net, ho, &cm, NULL);
    fprintf(log, "\nheld-out report (%s):\n",
            te.n_seq ? "test set" : "validation split; no separate test set given");
    rvt_report(&cm, &cls, log);

    char dataset[256];
    if (o->synthetic)
        snprintf(dataset, sizeof dataset, "synthetic task, %u windows", o->synthetic);
    else
        snprintf(dataset, sizeof dataset,
                 "%s input; %u sim sessions (seed %llu.., %s, %.0f s, %.0f Hz, %u nodes); %u pcap files",
                 o->input == RVT_INPUT_STATE ? "feature-state"
                     : o->input == RVT_INPUT_CSI_RAW ? "csi-raw" : "csi",
                 o->sim.sessions, (unsigned long long)o->sim.seed, o->sim.scenarios,
                 o->sim.duration_s, o->sim.rate_hz, o->sim.nodes, o->n_files);
    char notes[512];
    size_t nl = (size_t)snprintf(notes, sizeof notes, "held-out frame accuracy %.4f over %llu frames; best epoch %u",
                                 acc, (unsigned long long)rvt_confusion_total(&cm), res.best_epoch);
    if (o->init && nl < sizeof notes)
        nl += (size_t)snprintf(notes + nl, sizeof notes - nl,
                               "; initialised from the model with crc32 %08x", init.crc);
    if (o->train.ema_decay > 0.0 && nl < sizeof notes)
        nl += (size_t)snprintf(notes + nl, sizeof notes - nl,
                               "; weights averaged (ema %g)", o->train.ema_decay);
    for (uint32_t i = 0; i < cls.n_maps && nl < sizeof notes; i++)
        nl += (size_t)snprintf(notes + nl, sizeof notes - nl, "; map %s=%s", cls.from[i], cls.to[i]);
    rvt_export_info info = { "activity", cls.ptr, o->train.seed,
                             isnan(acc) ? NAN : (float)acc, dataset, notes, o->fp16,
                             RV_RVNE_INPUT_NONE, 0 };
    if (!o->synthetic)
        rvt_input_declaration(o->input, &info.input_kind, &info.input_layout);
    if (!rvt_export_file(&net, &info, o->out, err, sizeof err)) {
        fprintf(log, "rvtrain: %s\n", err);
        goto out;
    }
    fprintf(log, "wrote %s (%u classes, held-out accuracy %.4f)\n", o->out, cls.n, acc);
    rc = 0;
out:
    rvt_net_free(&net);
    rvt_dataset_free(&tr);
    rvt_dataset_free(&va);
    rvt_dataset_free(&te);
    return rc;
}
