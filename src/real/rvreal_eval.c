/* rvreal_eval.c — per-packet scoring of motion detectors on real sessions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rv_csi_layout.h"
#include "rv_wire.h"
#include "rvreal_eval.h"
#include "rvreal_play.h"

static void count(rvreal_counts *c, bool truth, bool said, uint64_t t_us, uint64_t onset_us)
{
    if (t_us < RVREAL_WARMUP_US)
        return;
    if (truth) {
        said ? c->tp++ : c->fn++;
        if (t_us < onset_us + RVREAL_ONSET_US) {
            c->onset_pos++;
            c->onset_fn += !said;
        }
    } else {
        said ? c->fp++ : c->tn++;
    }
}

static uint64_t onset_of(const rvreal_eval_session *s)
{
    return (uint64_t)llround(s->rec[0].duration_ms * 1000.0);
}

void rvreal_eval_motion(const rvreal_eval_session *s, const rv_motion_cfg *cfg, uint64_t jitter_us,
                      uint64_t seed, rvreal_counts *c)
{
    memset(c, 0, sizeof *c);
    void *mem = malloc(rv_motion_state_size());
    rv_motion *m = rv_motion_init(mem, rv_motion_state_size(), cfg);
    if (m == NULL) {
        free(mem);
        return;
    }
    rvreal_player p;
    rvreal_packet pk;
    rvreal_player_init(&p, s->rec, 2, 0, jitter_us, seed);
    while (rvreal_player_next(&p, &pk)) {
        rv_csi_frame f = { .node_id = 1, .n_antennas = 1,
                           .n_subcarriers = (uint16_t)s->rec[pk.file].n_subcarriers,
                           .seq = (uint32_t)pk.seq, .iq = pk.iq };
        rv_motion_out o;
        if (rv_motion_push(m, &f, 0, pk.t_us * 1000u, &o) != RV_OK)
            break;
        count(c, pk.file == 1, o.motion, pk.t_us, onset_of(s));
    }
    free(mem);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void rvreal_eval_mvs(const rvreal_eval_session *s, unsigned window, rvreal_counts *c)
{
    memset(c, 0, sizeof *c);
    size_t n = (size_t)s->rec[0].n_packets + s->rec[1].n_packets;
    double *turb = calloc(n, sizeof *turb), *mv = calloc(n, sizeof *mv);
    uint64_t *t = calloc(n, sizeof *t);
    uint8_t *file = calloc(n, 1);
    rv_csi_layout lay;
    if (!turb || !mv || !t || !file || window < 2 ||
        rv_csi_layout_get(s->rec[0].n_subcarriers, &lay) != RV_OK) {
        free(turb), free(mv), free(t), free(file);
        return;
    }
    rvreal_player p;
    rvreal_packet pk;
    rvreal_player_init(&p, s->rec, 2, 0, 0, 1);
    size_t i = 0;
    while (rvreal_player_next(&p, &pk) && i < n) {
        double sum = 0, sum2 = 0;
        unsigned k = 0;
        for (unsigned j = 0; j < lay.n_sc; j++) {
            if (lay.sc[j].pilot)
                continue;
            const int8_t *q = pk.iq + 2u * lay.sc[j].index;
            double a = sqrt((double)q[0] * q[0] + (double)q[1] * q[1]);
            if (a == 0.0)
                continue;
            sum += a;
            sum2 += a * a;
            k++;
        }
        double mean = k ? sum / k : 0.0;
        turb[i] = mean > 0 ? sqrt(fmax(0.0, sum2 / k - mean * mean)) / mean : 0.0;
        t[i] = pk.t_us;
        file[i] = (uint8_t)pk.file;
        size_t lo = i + 1 >= window ? i + 1 - window : 0;
        double m1 = 0, m2 = 0;
        for (size_t j = lo; j <= i; j++)
            m1 += turb[j];
        m1 /= (double)(i + 1 - lo);
        for (size_t j = lo; j <= i; j++)
            m2 += (turb[j] - m1) * (turb[j] - m1);
        mv[i] = m2 / (double)(i + 1 - lo);
        i++;
    }
    /* threshold: P95 x 1.4 of the baseline's moving variance after warm-up */
    double *cal = calloc(n, sizeof *cal);
    size_t nc = 0;
    for (size_t j = 0; j < i; j++)
        if (file[j] == 0 && t[j] >= RVREAL_WARMUP_US)
            cal[nc++] = mv[j];
    double thr = 0.0;
    if (nc > 0) {
        qsort(cal, nc, sizeof *cal, cmp_double);
        thr = 1.4 * cal[(size_t)(0.95 * (double)(nc - 1))];
    }
    for (size_t j = 0; j < i; j++)
        count(c, file[j] == 1, mv[j] > thr, t[j], onset_of(s));
    free(cal), free(turb), free(mv), free(t), free(file);
}

int rvreal_eval_session_load(const rvreal_session *idx, rvreal_eval_session *out,
                             char *err, size_t err_cap)
{
    memset(out, 0, sizeof *out);
    snprintf(out->chip, sizeof out->chip, "%s", idx->chip);
    if (rvreal_npz_load_file(idx->baseline, &out->rec[0], err, err_cap) != RVREAL_NPZ_OK ||
        rvreal_npz_load_file(idx->movement, &out->rec[1], err, err_cap) != RVREAL_NPZ_OK) {
        rvreal_eval_session_free(out);
        return -1;
    }
    return 0;
}

void rvreal_eval_session_free(rvreal_eval_session *s)
{
    rvreal_recording_free(&s->rec[0]);
    rvreal_recording_free(&s->rec[1]);
}

void rvreal_counts_add(rvreal_counts *sum, const rvreal_counts *c)
{
    sum->tp += c->tp;
    sum->fn += c->fn;
    sum->fp += c->fp;
    sum->tn += c->tn;
    sum->onset_pos += c->onset_pos;
    sum->onset_fn += c->onset_fn;
}

double rvreal_recall(const rvreal_counts *c)
{
    return c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 0.0;
}

double rvreal_fp_rate(const rvreal_counts *c)
{
    return c->fp + c->tn ? (double)c->fp / (double)(c->fp + c->tn) : 0.0;
}
