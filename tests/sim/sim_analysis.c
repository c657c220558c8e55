/* sim_analysis.c — see sim_analysis.h. Test-only code. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv_wire.h"
#include "sim_analysis.h"

#define TWO_PI 6.283185307179586

void feat_series_free(feat_series *s)
{
    free(s->t);
    free(s->raw);
    free(s->z);
    free(s->label);
    memset(s, 0, sizeof(*s));
}

static int push_frame(feat_series *out, rv_csi_feat_state *st, const rvsim_packet *p)
{
    rv_csi_frame f;
    if (rv_csi_frame_decode(p->data, p->len, &f) != RV_OK)
        return -1;
    if (out->n == out->cap) {
        size_t nc = out->cap ? out->cap * 2 : 1024;
        double *nt = realloc(out->t, nc * sizeof(double));
        if (nt)
            out->t = nt;
        void *nr = realloc(out->raw, nc * sizeof(*out->raw));
        if (nr)
            out->raw = nr;
        void *nz = realloc(out->z, nc * sizeof(*out->z));
        if (nz)
            out->z = nz;
        int *nl = realloc(out->label, nc * sizeof(int));
        if (nl)
            out->label = nl;
        if (!nt || !nr || !nz || !nl)
            return -1;
        out->cap = nc;
    }
    if (rv_csi_feat_extract_ex(st, &f, 0, out->z[out->n], out->raw[out->n]) != RV_OK)
        return -1;
    out->t[out->n] = p->t;
    out->label[out->n] = p->label;
    out->n++;
    return 0;
}

int sim_collect_all(const rvsim_config *cfg, feat_series *out, rvsim_session **keep)
{
    uint32_t nn = cfg->n_nodes;
    memset(out, 0, nn * sizeof(*out));
    char err[128];
    rvsim_session *s = rvsim_session_new(cfg, err, sizeof(err));
    rv_csi_feat_state *st = calloc(nn, sizeof(*st));
    if (!s || !st) {
        rvsim_session_free(s);
        free(st);
        return -1;
    }
    for (uint32_t i = 0; i < nn; i++)
        rv_csi_feat_init(&st[i], 0);
    rvsim_packet p;
    int rc = 0;
    while (rc == 0 && rvsim_session_next(s, &p))
        if (p.magic == RV_MAGIC_CSI_RAW && p.node >= 1 && p.node <= nn)
            rc = push_frame(&out[p.node - 1], &st[p.node - 1], &p);
    free(st);
    if (rc != 0 || !keep) {
        rvsim_session_free(s);
        if (rc != 0) {
            for (uint32_t i = 0; i < nn; i++)
                feat_series_free(&out[i]);
            return -1;
        }
    } else {
        *keep = s;
    }
    return 0;
}

double sim_mean(const feat_series *s, unsigned d, double t0, double t1)
{
    double a = 0;
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->t[i] >= t0 && s->t[i] < t1) {
            a += s->raw[i][d];
            m++;
        }
    return m ? a / (double)m : 0;
}

double sim_std(const feat_series *s, unsigned d, double t0, double t1)
{
    double mu = sim_mean(s, d, t0, t1), a = 0;
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->t[i] >= t0 && s->t[i] < t1) {
            double x = s->raw[i][d] - mu;
            a += x * x;
            m++;
        }
    return m > 1 ? sqrt(a / (double)(m - 1)) : 0;
}

void sim_spectrum(const feat_series *s, unsigned d0, unsigned d1, double t0, double t1,
                  double f0, double df, unsigned nf, int standardise, double *power)
{
    unsigned nd = d1 - d0;
    double mu[RV_CSI_FEAT_DIM], sc[RV_CSI_FEAT_DIM];
    for (unsigned d = 0; d < nd; d++) {
        mu[d] = sim_mean(s, d0 + d, t0, t1);
        double sd = sim_std(s, d0 + d, t0, t1);
        sc[d] = standardise ? (sd > 0 ? 1.0 / sd : 0.0) : 1.0;
    }
    double *re = calloc((size_t)nf * nd, sizeof(double));
    double *im = calloc((size_t)nf * nd, sizeof(double));
    size_t m = 0;
    if (!re || !im) {
        free(re);
        free(im);
        memset(power, 0, nf * sizeof(double));
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        if (s->t[i] < t0 || s->t[i] >= t1)
            continue;
        m++;
        double a0 = -TWO_PI * f0 * s->t[i], da = -TWO_PI * df * s->t[i];
        double cr = cos(a0), ci = sin(a0), sr = cos(da), si = sin(da);
        double x[RV_CSI_FEAT_DIM];
        for (unsigned d = 0; d < nd; d++)
            x[d] = (s->raw[i][d0 + d] - mu[d]) * sc[d];
        for (unsigned k = 0; k < nf; k++) {
            for (unsigned d = 0; d < nd; d++) {
                re[k * nd + d] += x[d] * cr;
                im[k * nd + d] += x[d] * ci;
            }
            double nr = cr * sr - ci * si;
            ci = cr * si + ci * sr;
            cr = nr;
        }
    }
    for (unsigned k = 0; k < nf; k++) {
        double p = 0;
        for (unsigned d = 0; d < nd; d++)
            p += re[k * nd + d] * re[k * nd + d] + im[k * nd + d] * im[k * nd + d];
        power[k] = m ? p / (double)m : 0;
    }
    free(re);
    free(im);
}
