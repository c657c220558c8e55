/* net.c — trainable temporal-head network (docs/model.md); see net.h. */
#include "net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layers.h"

#define NORM_EPS 1e-5 /* RV_MODEL_NORM_EPS */

void rvt_net_default_periods(uint32_t n_pairs, uint32_t *periods)
{
    for (uint32_t r = 0; r < n_pairs; r++)
        periods[r] = n_pairs == 1 ? 4u
            : (uint32_t)llround(4.0 * pow(1024.0, (double)r / (double)(n_pairs - 1)));
}

static bool fail(char *err, size_t len, const char *msg)
{
    if (err && len)
        snprintf(err, len, "%s", msg);
    return false;
}

static bool check_cfg(const rvt_net_cfg *c, char *err, size_t len)
{
    const rv_rvne_arch *a = &c->arch;
    if (a->input_dim == 0 || a->input_dim > RVT_MAX_INPUT)
        return fail(err, len, "input_dim must be 1..256");
    if (a->q_heads == 0 || a->kv_heads == 0 || a->q_heads % a->kv_heads)
        return fail(err, len, "kv-heads must divide heads (both >= 1)");
    if (a->head_dim == 0 || a->head_dim > 256)
        return fail(err, len, "head-dim must be 1..256");
    if (a->n_layers == 0 || a->n_layers > RVT_MAX_LAYERS)
        return fail(err, len, "layers must be 1..8");
    if (!a->input_proj && a->d_model != a->input_dim)
        return fail(err, len, "d-model must equal the input dim without input projection");
    if (a->d_model == 0 || a->d_model > 4096 || a->d_ff > 16384)
        return fail(err, len, "d-model must be 1..4096 and ffn <= 16384");
    if (a->n_heads != 1 || a->head_classes[0] < 2 || a->head_classes[0] > 64)
        return fail(err, len, "one head with 2..64 classes");
    if (c->rope_pairs > a->head_dim / 2 || c->rope_pairs > RVT_MAX_ROPE)
        return fail(err, len, "rope pairs must be <= head-dim / 2");
    for (uint32_t r = 0; r < c->rope_pairs; r++)
        if (c->rope_periods[r] < 2 || c->rope_periods[r] > RV_RVNE_MAX_PERIOD)
            return fail(err, len, "rope periods must be 2..2^24");
    if (c->attn.block_size == 0 || c->attn.n_globals > RV_RVNE_MAX_GLOBALS)
        return fail(err, len, "attention block size must be > 0, <= 8 globals");
    return true;
}

bool rvt_net_init(rvt_net *net, const rvt_net_cfg *cfg, uint64_t seed,
                  char *err, size_t err_len)
{
    memset(net, 0, sizeof *net);
    if (!check_cfg(cfg, err, err_len))
        return false;
    net->cfg = *cfg;
    const rv_rvne_arch *a = &cfg->arch;
    const uint32_t D = a->d_model, Din = a->input_dim, F = a->d_ff;
    const uint32_t qd = a->q_heads * a->head_dim, kd = a->kv_heads * a->head_dim;
    rvt_params *P = &net->P;
    rvt_net_idx *ix = &net->ix;
    memset(ix, 0xff, sizeof *ix); /* all -1 */
    char nm[RVT_NAME_LEN];

    /* File order of rv_rvne.h. */
    if (a->input_proj) {
        ix->in_w = rvt_params_add(P, "W_in", D, Din, RVT_INIT_XAVIER, true);
        ix->in_b = rvt_params_add(P, "b_in", 1, D, RVT_INIT_ZERO, false);
    }
    for (uint32_t l = 0; l < a->n_layers; l++) {
#define ADD(field, name, r, c, init, dec) \
        snprintf(nm, sizeof nm, "%s[%u]", name, l); \
        ix->field[l] = rvt_params_add(P, nm, r, c, init, dec)
        if (a->norm) { ADD(g_attn, "g_attn", 1, D, RVT_INIT_ONE, false); }
        ADD(wq, "Wq", qd, D, RVT_INIT_XAVIER, true);
        ADD(wk, "Wk", kd, D, RVT_INIT_XAVIER, true);
        ADD(wv, "Wv", kd, D, RVT_INIT_XAVIER, true);
        ADD(wo, "Wo", D, qd, RVT_INIT_SMALL, true);
        if (F > 0) {
            if (a->norm) { ADD(g_ffn, "g_ffn", 1, D, RVT_INIT_ONE, false); }
            ADD(w1, "W1", F, D, RVT_INIT_XAVIER, true);
            ADD(b1, "b1", 1, F, RVT_INIT_ZERO, false);
            ADD(w2, "W2", D, F, RVT_INIT_SMALL, true);
            ADD(b2, "b2", 1, D, RVT_INIT_ZERO, false);
        }
#undef ADD
    }
    if (a->norm)
        ix->g_final = rvt_params_add(P, "g_final", 1, D, RVT_INIT_ONE, false);
    ix->head_w = rvt_params_add(P, "W_head", a->head_classes[0], D, RVT_INIT_XAVIER, true);
    if (a->head_bias)
        ix->head_b = rvt_params_add(P, "b_head", 1, a->head_classes[0], RVT_INIT_ZERO, false);
    if (!rvt_params_alloc(P))
        return fail(err, err_len, "out of memory");
    rvt_rng r;
    rvt_rng_seed(&r, seed);
    rvt_params_init(P, &r);
    return true;
}

void rvt_net_free(rvt_net *net)
{
    rvt_params_free(&net->P);
}

/* ---- workspace ---- */

static double *dalloc(size_t n, bool *ok)
{
    double *p = calloc(n ? n : 1, sizeof(double));
    if (!p)
        *ok = false;
    return p;
}

bool rvt_net_ws_alloc(rvt_net_ws *ws, const rvt_net *net, uint32_t max_n)
{
    memset(ws, 0, sizeof *ws);
    const rv_rvne_arch *a = &net->cfg.arch;
    const size_t n = max_n, D = a->d_model, F = a->d_ff, C = a->head_classes[0];
    const size_t qd = (size_t)a->q_heads * a->head_dim, kd = (size_t)a->kv_heads * a->head_dim;
    bool ok = true;
    ws->max_n = max_n;
    ws->xh = dalloc(n * a->input_dim, &ok);
    for (uint32_t l = 0; l < a->n_layers; l++) {
        ws->hin[l] = dalloc(n * D, &ok);
        ws->u[l] = dalloc(n * D, &ok);
        ws->r1[l] = dalloc(n, &ok);
        ws->q[l] = dalloc(n * qd, &ok);
        ws->k[l] = dalloc(n * kd, &ok);
        ws->v[l] = dalloc(n * kd, &ok);
        ws->a[l] = dalloc(n * qd, &ok);
        ws->hmid[l] = dalloc(n * D, &ok);
        if (F) {
            ws->u2[l] = dalloc(n * D, &ok);
            ws->r2[l] = dalloc(n, &ok);
            ws->z[l] = dalloc(n * F, &ok);
            ws->s[l] = dalloc(n * F, &ok);
        }
    }
    ws->hL = dalloc(n * D, &ok);
    ws->e = dalloc(n * D, &ok);
    ws->rf = dalloc(n, &ok);
    ws->logits = dalloc(n * C, &ok);
    ws->rope_c = dalloc(n * (net->cfg.rope_pairs + 1), &ok);
    ws->rope_s = dalloc(n * (net->cfg.rope_pairs + 1), &ok);
    ws->dh = dalloc(n * D, &ok);
    ws->du = dalloc(n * D, &ok);
    ws->dq = dalloc(n * qd, &ok);
    ws->dk = dalloc(n * kd, &ok);
    ws->dv = dalloc(n * kd, &ok);
    ws->da = dalloc(n * qd, &ok);
    ws->dz = dalloc(n * (F + 1), &ok);
    ws->ds = dalloc(n * (F + 1), &ok);
    ws->de = dalloc(n * D, &ok);
    if (!ok)
        rvt_net_ws_free(ws);
    return ok;
}

void rvt_net_ws_free(rvt_net_ws *ws)
{
    free(ws->xh);
    for (uint32_t l = 0; l < RVT_MAX_LAYERS; l++) {
        free(ws->hin[l]); free(ws->u[l]); free(ws->r1[l]); free(ws->q[l]);
        free(ws->k[l]); free(ws->v[l]); free(ws->probs[l]); free(ws->a[l]);
        free(ws->hmid[l]); free(ws->u2[l]); free(ws->r2[l]); free(ws->z[l]);
        free(ws->s[l]);
    }
    free(ws->hL); free(ws->e); free(ws->rf); free(ws->logits);
    free(ws->rope_c); free(ws->rope_s);
    free(ws->dh); free(ws->du); free(ws->dq); free(ws->dk);
    free(ws->dv); free(ws->da); free(ws->dz); free(ws->ds); free(ws->de);
    for (uint32_t l = 0; l < RVT_MAX_LAYERS; l++)
        rvt_attn_buf_free(&ws->abuf[l]);
    rvt_attn_plan_free(&ws->plan);
    memset(ws, 0, sizeof *ws);
}

/* (Re)plan attention when the window length changes. */
static bool ws_plan(const rvt_net *net, rvt_net_ws *ws, uint32_t n)
{
    if (ws->plan.off && ws->plan.n == n)
        return true;
    const rv_rvne_arch *a = &net->cfg.arch;
    const rv_rvne_attn *at = &net->cfg.attn;
    rv_attn_cfg c = { at->window, at->block_size, at->globals, at->n_globals,
                      true, at->log_stride, at->landmarks };
    for (uint32_t l = 0; l < a->n_layers; l++)
        rvt_attn_buf_free(&ws->abuf[l]);
    rvt_attn_plan_free(&ws->plan);
    ws->n = 0;
    if (!rvt_attn_plan_build(&ws->plan, &c, n))
        return false;
    size_t pl = rvt_attn_probs_len(&ws->plan, a->q_heads);
    for (uint32_t l = 0; l < a->n_layers; l++) {
        if (!rvt_attn_buf_alloc(&ws->abuf[l], &ws->plan, a->q_heads, a->kv_heads,
                                a->head_dim))
            return false;
        free(ws->probs[l]);
        ws->probs[l] = calloc(pl, sizeof(double));
        if (!ws->probs[l])
            return false;
    }
    /* Rotary angles exactly as the kernel computes them (fp32). */
    const uint32_t R = net->cfg.rope_pairs;
    for (uint32_t p = 0; p < n; p++)
        for (uint32_t r = 0; r < R; r++) {
            const uint32_t P = net->cfg.rope_periods[r];
            const float th = (float)(p % P) * (6.28318530717958647692f / (float)P);
            ws->rope_c[(size_t)p * R + r] = (double)cosf(th);
            ws->rope_s[(size_t)p * R + r] = (double)sinf(th);
        }
    ws->n = n;
    return true;
}

/* Rotate x [n][heads][d] in place by +theta (dir = 1) or -theta (dir = -1). */
static void rope(const rvt_net *net, const rvt_net_ws *ws, double *x,
                 uint32_t n, uint32_t heads, int dir)
{
    const uint32_t R = net->cfg.rope_pairs, d = net->cfg.arch.head_dim;
    for (uint32_t p = 0; p < n; p++)
        for (uint32_t h = 0; h < heads; h++) {
            double *v = x + ((size_t)p * heads + h) * d;
            for (uint32_t r = 0; r < R; r++) {
                const double c = ws->rope_c[(size_t)p * R + r];
                const double s = dir * ws->rope_s[(size_t)p * R + r];
                const double x0 = v[2 * r], x1 = v[2 * r + 1];
                v[2 * r] = x0 * c - x1 * s;
                v[2 * r + 1] = x0 * s + x1 * c;
            }
        }
}

static const double *W(const rvt_net *net, int idx)
{
    return idx < 0 ? NULL : net->P.w + net->P.t[idx].off;
}

static double *G(rvt_net *net, int idx)
{
    return idx < 0 ? NULL : net->P.g + net->P.t[idx].off;
}

bool rvt_net_forward(const rvt_net *net, rvt_net_ws *ws, const float *x,
                     uint32_t n)
{
    if (n == 0 || n > ws->max_n || !ws_plan(net, ws, n))
        return false;
    const rvt_net_cfg *cf = &net->cfg;
    const rv_rvne_arch *a = &cf->arch;
    const rvt_net_idx *ix = &net->ix;
    const uint32_t Din = a->input_dim, D = a->d_model, F = a->d_ff;
    const uint32_t qd = a->q_heads * a->head_dim, kd = a->kv_heads * a->head_dim;

    for (size_t i = 0; i < (size_t)n * Din; i++) {
        const uint32_t c = (uint32_t)(i % Din);
        ws->xh[i] = cf->has_feat_norm
            ? ((double)x[i] - cf->feat_mean[c]) * cf->feat_inv_std[c] : (double)x[i];
    }
    double *h = ws->hin[0];
    if (a->input_proj)
        rvt_linear_fwd(ws->xh, n, Din, W(net, ix->in_w), W(net, ix->in_b), D, h);
    else
        memcpy(h, ws->xh, (size_t)n * D * sizeof(double));

    for (uint32_t l = 0; l < a->n_layers; l++) {
        const double *hin = ws->hin[l];
        if (a->norm)
            rvt_rmsnorm_fwd(hin, n, D, W(net, ix->g_attn[l]), NORM_EPS, ws->u[l], ws->r1[l]);
        else
            memcpy(ws->u[l], hin, (size_t)n * D * sizeof(double));
        rvt_linear_fwd(ws->u[l], n, D, W(net, ix->wq[l]), NULL, qd, ws->q[l]);
        rvt_linear_fwd(ws->u[l], n, D, W(net, ix->wk[l]), NULL, kd, ws->k[l]);
        rvt_linear_fwd(ws->u[l], n, D, W(net, ix->wv[l]), NULL, kd, ws->v[l]);
        rope(net, ws, ws->q[l], n, a->q_heads, 1);
        rope(net, ws, ws->k[l], n, a->kv_heads, 1);
        rvt_attn_fwd(&ws->plan, &ws->abuf[l], ws->q[l], ws->k[l], ws->v[l], ws->a[l], ws->probs[l]);
        double *hm = ws->hmid[l];
        rvt_linear_fwd(ws->a[l], n, qd, W(net, ix->wo[l]), NULL, D, hm);
        for (size_t i = 0; i < (size_t)n * D; i++)
            hm[i] += hin[i];
        double *hout = l + 1 < a->n_layers ? ws->hin[l + 1] : ws->hL;
        if (F > 0) {
            if (a->norm)
                rvt_rmsnorm_fwd(hm, n, D, W(net, ix->g_ffn[l]), NORM_EPS, ws->u2[l], ws->r2[l]);
            else
                memcpy(ws->u2[l], hm, (size_t)n * D * sizeof(double));
            rvt_linear_fwd(ws->u2[l], n, D, W(net, ix->w1[l]), W(net, ix->b1[l]), F, ws->z[l]);
            rvt_act_fwd(RVT_ACT_SILU, ws->z[l], (uint64_t)n * F, ws->s[l]);
            rvt_linear_fwd(ws->s[l], n, F, W(net, ix->w2[l]), W(net, ix->b2[l]), D, hout);
            for (size_t i = 0; i < (size_t)n * D; i++)
                hout[i] += hm[i];
        } else {
            memcpy(hout, hm, (size_t)n * D * sizeof(double));
        }
    }
    if (a->norm)
        rvt_rmsnorm_fwd(ws->hL, n, D, W(net, ix->g_final), NORM_EPS, ws->e, ws->rf);
    else
        memcpy(ws->e, ws->hL, (size_t)n * D * sizeof(double));
    rvt_linear_fwd(ws->e, n, D, W(net, ix->head_w), W(net, ix->head_b),
                   a->head_classes[0], ws->logits);
    return true;
}

static void zero(double *p, size_t n)
{
    memset(p, 0, n * sizeof(double));
}

void rvt_net_backward(rvt_net *net, rvt_net_ws *ws, const double *dlogits)
{
    const rv_rvne_arch *a = &net->cfg.arch;
    const rvt_net_idx *ix = &net->ix;
    const uint32_t n = ws->n, Din = a->input_dim, D = a->d_model, F = a->d_ff;
    const uint32_t qd = a->q_heads * a->head_dim, kd = a->kv_heads * a->head_dim;
    const size_t nD = (size_t)n * D;

    /* head, final norm */
    zero(ws->de, nD);
    rvt_linear_bwd(ws->e, dlogits, n, D, W(net, ix->head_w), a->head_classes[0],
                   ws->de, G(net, ix->head_w), G(net, ix->head_b));
    zero(ws->dh, nD);
    if (a->norm)
        rvt_rmsnorm_bwd(ws->hL, ws->de, n, D, W(net, ix->g_final), ws->rf,
                        ws->dh, G(net, ix->g_final));
    else
        memcpy(ws->dh, ws->de, nD * sizeof(double));

    for (uint32_t l = a->n_layers; l-- > 0;) {
        /* ws->dh = dL/d(layer output); becomes dL/d(hmid) */
        if (F > 0) {
            zero(ws->ds, (size_t)n * F);
            rvt_linear_bwd(ws->s[l], ws->dh, n, F, W(net, ix->w2[l]), D,
                           ws->ds, G(net, ix->w2[l]), G(net, ix->b2[l]));
            zero(ws->dz, (size_t)n * F);
            rvt_act_bwd(RVT_ACT_SILU, ws->z[l], ws->ds, (uint64_t)n * F, ws->dz);
            zero(ws->du, nD);
            rvt_linear_bwd(ws->u2[l], ws->dz, n, D, W(net, ix->w1[l]), F,
                           ws->du, G(net, ix->w1[l]), G(net, ix->b1[l]));
            if (a->norm)
                rvt_rmsnorm_bwd(ws->hmid[l], ws->du, n, D, W(net, ix->g_ffn[l]),
                                ws->r2[l], ws->dh, G(net, ix->g_ffn[l]));
            else
                for (size_t i = 0; i < nD; i++)
                    ws->dh[i] += ws->du[i];
        }
        /* ws->dh = dL/d(hmid); becomes dL/d(hin) */
        zero(ws->da, (size_t)n * qd);
        rvt_linear_bwd(ws->a[l], ws->dh, n, qd, W(net, ix->wo[l]), D,
                       ws->da, G(net, ix->wo[l]), NULL);
        zero(ws->dq, (size_t)n * qd);
        zero(ws->dk, (size_t)n * kd);
        zero(ws->dv, (size_t)n * kd);
        rvt_attn_bwd(&ws->plan, &ws->abuf[l], ws->q[l], ws->k[l], ws->v[l],
                     ws->probs[l], ws->da, ws->dq, ws->dk, ws->dv);
        rope(net, ws, ws->dq, n, a->q_heads, -1);
        rope(net, ws, ws->dk, n, a->kv_heads, -1);
        zero(ws->du, nD);
        rvt_linear_bwd(ws->u[l], ws->dq, n, D, W(net, ix->wq[l]), qd,
                       ws->du, G(net, ix->wq[l]), NULL);
        rvt_linear_bwd(ws->u[l], ws->dk, n, D, W(net, ix->wk[l]), kd,
                       ws->du, G(net, ix->wk[l]), NULL);
        rvt_linear_bwd(ws->u[l], ws->dv, n, D, W(net, ix->wv[l]), kd,
                       ws->du, G(net, ix->wv[l]), NULL);
        if (a->norm)
            rvt_rmsnorm_bwd(ws->hin[l], ws->du, n, D, W(net, ix->g_attn[l]),
                            ws->r1[l], ws->dh, G(net, ix->g_attn[l]));
        else
            for (size_t i = 0; i < nD; i++)
                ws->dh[i] += ws->du[i];
    }
    if (a->input_proj)
        rvt_linear_bwd(ws->xh, ws->dh, n, Din, W(net, ix->in_w), D,
                       NULL, G(net, ix->in_w), G(net, ix->in_b));
}
