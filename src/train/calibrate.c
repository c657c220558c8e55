/*
 * calibrate.c — see calibrate.h. One forward pass over the dataset; every
 * labelled frame then gives the margin by which cls trails the frame's best
 * other class, and recall or accuracy at any offset follow from those
 * margins without running the network again.
 */
#include "calibrate.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
    double margin;   /* best other logit - cls logit */
    bool is_cls;     /* the frame's true class is cls */
    bool other_ok;   /* without cls, the argmax is the true class */
} frame_margin;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* cls wins a frame once offset > margin (ties go to the lower index, as in
 * rvt_argmax, so exact ties count as losses: conservative). */
static void score(const frame_margin *f, size_t n, double offset,
                  double *recall, double *acc)
{
    uint64_t hit = 0, pos = 0, ok = 0;
    for (size_t i = 0; i < n; i++) {
        bool wins = offset > f[i].margin;
        if (f[i].is_cls) {
            pos++;
            hit += wins;
            ok += wins;
        } else {
            ok += !wins && f[i].other_ok;
        }
    }
    *recall = pos ? (double)hit / (double)pos : NAN;
    *acc = n ? (double)ok / (double)n : NAN;
}

static size_t collect_margins(const rvt_net *net, const rvt_dataset *ds,
                              uint32_t cls, frame_margin *f)
{
    const uint32_t C = net->cfg.arch.head_classes[0], L = ds->seq_len;
    rvt_net_ws ws;
    size_t n = 0;
    if (!rvt_net_ws_alloc(&ws, net, L))
        return 0;
    for (uint32_t s = 0; s < ds->n_seq; s++) {
        const int32_t *y = ds->y + (size_t)s * L;
        if (!rvt_net_forward(net, &ws, ds->x + (size_t)s * L * ds->in_dim, L))
            break;
        for (uint32_t t = 0; t < L; t++) {
            const double *lg = ws.logits + (size_t)t * C;
            uint32_t best = cls == 0 ? 1 : 0;
            if (y[t] < 0 || (uint32_t)y[t] >= C)
                continue;
            for (uint32_t c = 0; c < C; c++)
                if (c != cls && lg[c] > lg[best])
                    best = c;
            f[n].margin = lg[best] - lg[cls];
            /* cls at a lower index wins ties at offset == margin */
            if (cls < best)
                f[n].margin = nextafter(f[n].margin, -INFINITY);
            f[n].is_cls = (uint32_t)y[t] == cls;
            f[n].other_ok = (uint32_t)y[t] == best;
            n++;
        }
    }
    rvt_net_ws_free(&ws);
    return n;
}

bool rvt_calibrate_recall(rvt_net *net, const rvt_dataset *ds, uint32_t cls,
                          double target, rvt_calibration *out)
{
    const uint32_t C = net->cfg.arch.head_classes[0];
    size_t cap = (size_t)ds->n_seq * ds->seq_len, n, k = 0;
    frame_margin *f;
    double *need;
    bool ok = false;

    if (net->ix.head_b < 0 || cls >= C || C < 2 || cap == 0)
        return false;
    f = malloc(cap * sizeof *f);
    need = malloc(cap * sizeof *need);
    if (!f || !need)
        goto out;
    n = collect_margins(net, ds, cls, f);
    for (size_t i = 0; i < n; i++)
        if (f[i].is_cls)
            need[k++] = f[i].margin;
    if (k == 0)
        goto out;
    qsort(need, k, sizeof *need, cmp_double);

    /* The smallest offset that wins ceil(target * k) frames of cls: just
     * above that many-th smallest margin (never below 0: calibration only
     * raises recall). */
    size_t want = (size_t)ceil(target * (double)k - 1e-9);
    double offset = 0.0;
    if (want > k)
        want = k;
    if (want > 0 && need[want - 1] >= 0.0)
        offset = nextafter(need[want - 1], INFINITY);
    if (offset > RVT_CALIBRATE_MAX_OFFSET)
        offset = RVT_CALIBRATE_MAX_OFFSET;

    out->support = k;
    out->offset = offset;
    score(f, n, 0.0, &out->recall_before, &out->acc_before);
    score(f, n, offset, &out->recall_after, &out->acc_after);
    out->reached = out->recall_after >= target;
    rvt_params_w(&net->P, net->ix.head_b)[cls] += offset;
    ok = true;
out:
    free(f);
    free(need);
    return ok;
}
