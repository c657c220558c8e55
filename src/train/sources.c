/* sources.c — simulator sessions and pcap + label files; see sources.h. */
#include "sources.h"

#include <stdlib.h>
#include <string.h>

#include "rvsim.h"
#include "rvsim_labels.h"
#include "rvsim_pcap.h"

bool rvt_classes_add_sim(rvt_classes *c)
{
    for (int a = 0; a < RVSIM_N_ACTIVITIES; a++)
        if (!rvt_classes_add(c, rvsim_activity_name(a)))
            return false;
    rvt_classes_sort(c);
    return true;
}

/* ---- simulator ---- */

typedef struct {
    int32_t act_class[RVSIM_N_ACTIVITIES];
    int label;                      /* label of the packet being pushed */
} sim_ctx;

static int32_t sim_label(void *ctx, uint32_t node, double t)
{
    (void)node;
    (void)t;
    const sim_ctx *c = ctx;
    return c->label >= 0 && c->label < RVSIM_N_ACTIVITIES ? c->act_class[c->label] : -1;
}

/* i-th comma-separated item of list into out. */
static void nth_item(const char *list, uint32_t i, char *out, size_t cap)
{
    uint32_t n = 1;
    for (const char *p = list; *p; p++)
        n += *p == ',';
    i %= n;
    const char *p = list;
    while (i--)
        p = strchr(p, ',') + 1;
    size_t len = strcspn(p, ",");
    if (len >= cap)
        len = cap - 1;
    memcpy(out, p, len);
    out[len] = 0;
}

bool rvt_collect_sim(const rvt_sim_opts *so, const rvt_cut_opts *co,
                     const rvt_classes *cls, rvt_dataset *ds,
                     uint32_t *src_next, FILE *log, char *err, size_t err_len)
{
    sim_ctx sc;
    for (int a = 0; a < RVSIM_N_ACTIVITIES; a++)
        sc.act_class[a] = rvt_classes_find(cls, rvsim_activity_name(a));
    for (uint32_t i = 0; i < so->sessions; i++) {
        char scen[32];
        nth_item(so->scenarios, i, scen, sizeof scen);
        rvsim_config cfg;
        rvsim_config_default(&cfg);
        cfg.n_nodes = so->nodes;
        cfg.rate_hz = so->rate_hz;
        cfg.duration_s = so->duration_s;
        cfg.seed = so->seed + i;
        cfg.scenario = scen;
        cfg.feature_state = co->input == RVT_INPUT_STATE;
        cfg.ideal_receiver = so->ideal_receiver;
        uint32_t every = so->calibrated_every ? so->calibrated_every : 2;
        bool calibrated = so->receiver == RVT_RX_CALIBRATED ||
                          (so->receiver == RVT_RX_MIXED && i % every == every - 1);
        cfg.receiver = calibrated ? RVSIM_RX_CALIBRATED : RVSIM_RX_FIXED;
        rvsim_session *s = rvsim_session_new(&cfg, err, err_len);
        if (!s)
            return false;
        rvt_streams st;
        rvt_streams_init(&st, co->input, co->warmup);
        rvsim_packet p;
        while (rvsim_session_next(s, &p) == 1) {
            sc.label = p.label;
            rvt_streams_push(&st, p.data, p.len, p.t, sim_label, &sc);
        }
        /* Fixed-receiver sessions keep their source numbers (and so their
         * side of the validation split) whatever the calibrated share. */
        uint32_t src = *src_next |
                       (calibrated && so->val_fixed_only ? RVT_SRC_NO_VAL : 0);
        uint32_t w = rvt_streams_cut(&st, ds, co->stride, co->ctx_min, src);
        *src_next += 256;
        if (log)
            fprintf(log, "sim session %u/%u: scenario %s seed %llu%s, %llu frames, %u windows\n",
                    i + 1, so->sessions, scen, (unsigned long long)cfg.seed,
                    so->receiver != RVT_RX_MIXED ? ""
                    : calibrated ? ", calibrated receiver" : ", fixed receiver",
                    (unsigned long long)st.n_frames, w);
        rvt_streams_free(&st);
        rvsim_session_free(s);
    }
    return true;
}

/* ---- files ---- */

bool rvt_classes_add_labels(rvt_classes *c, const char *labels_path,
                            char *err, size_t err_len)
{
    rvsim_labels l;
    memset(&l, 0, sizeof l);
    if (rvsim_labels_read_file(labels_path, &l, err, err_len) != RVSIM_LABELS_OK)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < l.n; i++)
        ok = rvt_classes_add(c, l.v[i].activity_name);
    rvsim_labels_free(&l);
    if (!ok && err)
        snprintf(err, err_len, "%s: too many classes or a bad activity name", labels_path);
    return ok;
}

typedef struct {
    const rvsim_labels *l;
    const rvt_classes *cls;
    double offset;                  /* added to packet time to get label time */
} file_ctx;

static int32_t file_label(void *ctx, uint32_t node, double t)
{
    const file_ctx *c = ctx;
    const double lt = t + c->offset;
    int act = rvsim_labels_activity_at(c->l, node, lt);
    if (act >= 0)
        return rvt_classes_find(c->cls, rvsim_activity_name(act));
    /* A name the simulator does not know: first covering segment. */
    for (size_t i = 0; i < c->l->n; i++) {
        const rvsim_label *s = &c->l->v[i];
        if (s->node == node && lt >= s->start && lt < s->end)
            return rvt_classes_find(c->cls, s->activity_name);
    }
    return -1;
}

bool rvt_collect_files(const char *pcap_path, const char *labels_path,
                       const rvt_cut_opts *co, const rvt_classes *cls,
                       rvt_dataset *ds, uint32_t *src_next, FILE *log,
                       char *err, size_t err_len)
{
    rvsim_labels l;
    memset(&l, 0, sizeof l);
    if (rvsim_labels_read_file(labels_path, &l, err, err_len) != RVSIM_LABELS_OK)
        return false;
    rvsim_pcap_reader r;
    int st = rvsim_pcap_reader_open_file(&r, pcap_path);
    if (st != RVSIM_PCAP_OK) {
        snprintf(err, err_len, "%s: %s", pcap_path, rvsim_pcap_status_str(st));
        rvsim_labels_free(&l);
        return false;
    }
    bool absolute = !l.have_meta && l.n > 0 && l.v[0].start > 1e9;
    double epoch = l.have_meta ? (double)l.pcap_epoch : 0.0;
    bool first = true;
    file_ctx fc = { &l, cls, 0.0 };
    rvt_streams s;
    rvt_streams_init(&s, co->input, co->warmup);
    rvsim_udp_record rec;
    while ((st = rvsim_pcap_next_udp(&r, &rec)) == RVSIM_PCAP_OK) {
        const double ts = (double)rec.ts_ns * 1e-9;
        if (first) {
            /* Packet time ts -> label time ts + offset. */
            fc.offset = l.have_meta || absolute ? -epoch : -ts;
            first = false;
        }
        rvt_streams_push(&s, rec.payload, rec.len, ts, file_label, &fc);
    }
    bool ok = st == RVSIM_PCAP_END;
    if (!ok)
        snprintf(err, err_len, "%s: %s", pcap_path, rvsim_pcap_status_str(st));
    uint32_t w = ok ? rvt_streams_cut(&s, ds, co->stride, co->ctx_min, *src_next) : 0;
    *src_next += 256;
    if (ok && log)
        fprintf(log, "%s: %llu frames (%llu rejected), %u windows\n", pcap_path,
                (unsigned long long)s.n_frames, (unsigned long long)s.n_rejected, w);
    rvt_streams_free(&s);
    rvsim_pcap_reader_close(&r);
    rvsim_labels_free(&l);
    return ok;
}
