/* attn.c — training-time sparse attention forward/backward; see attn.h. */
#include "attn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv_attn_cand.h"

void rvt_attn_plan_free(rvt_attn_plan *p)
{
    free(p->off);
    free(p->idx);
    free(p->is_block);
    p->off = p->idx = NULL;
    p->is_block = NULL;
}

bool rvt_attn_plan_build(rvt_attn_plan *p, const rv_attn_cfg *cfg, uint32_t n)
{
    memset(p, 0, sizeof *p);
    if (!cfg || cfg->block_size == 0 || n == 0 ||
        cfg->n_globals > RVT_ATTN_MAX_GLOBALS ||
        (cfg->n_globals && !cfg->globals))
        return false;
    p->cfg = *cfg;
    for (uint32_t g = 0; g < cfg->n_globals; g++)
        p->globals[g] = cfg->globals[g];
    p->cfg.globals = p->globals;
    p->n = n;
    p->nb = (n + cfg->block_size - 1u) / cfg->block_size;

    uint32_t ct = rv_attn_cand_cap_tokens(&p->cfg, n);
    uint32_t cbk = rv_attn_cand_cap_blocks(&p->cfg, n);
    uint32_t *extra = malloc(((size_t)ct + 1) * sizeof *extra);
    uint8_t *isg = malloc((size_t)ct + 1);
    uint32_t *blocks = malloc(((size_t)cbk + 1) * sizeof *blocks);
    p->off = malloc(((size_t)n + 1) * sizeof *p->off);
    if (!extra || !isg || !blocks || !p->off)
        goto fail;

    /* Two passes: count, then fill. */
    rv_attn_cand c = { 0, 0, 0, extra, isg, 0, blocks };
    size_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        rv_attn_cand_build(&p->cfg, i, n, &c);
        p->off[i] = (uint32_t)total;
        total += (size_t)(c.win_hi - c.win_lo + 1u) + c.n_extra + c.n_blocks;
    }
    p->off[n] = (uint32_t)total;
    p->total = total;
    p->idx = malloc(total * sizeof *p->idx);
    p->is_block = malloc(total);
    if (!p->idx || !p->is_block)
        goto fail;
    for (uint32_t i = 0; i < n; i++) {
        rv_attn_cand_build(&p->cfg, i, n, &c);
        size_t o = p->off[i];
        for (uint32_t j = c.win_lo; j <= c.win_hi; j++, o++) {
            p->idx[o] = j;
            p->is_block[o] = 0;
        }
        for (uint32_t t = 0; t < c.n_extra; t++, o++) {
            p->idx[o] = c.extra[t];
            p->is_block[o] = 0;
        }
        for (uint32_t t = 0; t < c.n_blocks; t++, o++) {
            p->idx[o] = c.blocks[t];
            p->is_block[o] = 1;
        }
    }
    free(extra);
    free(isg);
    free(blocks);
    return true;
fail:
    free(extra);
    free(isg);
    free(blocks);
    rvt_attn_plan_free(p);
    return false;
}

static uint32_t max_cands(const rvt_attn_plan *p)
{
    uint32_t m = 0;
    for (uint32_t i = 0; i < p->n; i++)
        if (p->off[i + 1] - p->off[i] > m)
            m = p->off[i + 1] - p->off[i];
    return m;
}

bool rvt_attn_buf_alloc(rvt_attn_buf *b, const rvt_attn_plan *p,
                        uint32_t q_heads, uint32_t kv_heads, uint32_t dim)
{
    memset(b, 0, sizeof *b);
    b->q_heads = q_heads;
    b->kv_heads = kv_heads;
    b->dim = dim;
    size_t m = (size_t)p->nb * kv_heads * dim;
    b->kmean = calloc(m, sizeof(double));
    b->vmean = calloc(m, sizeof(double));
    b->dkm = calloc(m, sizeof(double));
    b->dvm = calloc(m, sizeof(double));
    b->dp = calloc((size_t)max_cands(p) + 1, sizeof(double));
    if (!b->kmean || !b->vmean || !b->dkm || !b->dvm || !b->dp) {
        rvt_attn_buf_free(b);
        return false;
    }
    return true;
}

void rvt_attn_buf_free(rvt_attn_buf *b)
{
    free(b->kmean);
    free(b->vmean);
    free(b->dkm);
    free(b->dvm);
    free(b->dp);
    memset(b, 0, sizeof *b);
}

size_t rvt_attn_probs_len(const rvt_attn_plan *p, uint32_t q_heads)
{
    return p->total * q_heads;
}

static uint32_t block_count(const rvt_attn_plan *p, uint32_t blk)
{
    uint32_t bs = p->cfg.block_size;
    uint32_t lo = blk * bs;
    return p->n - lo < bs ? p->n - lo : bs;
}

/* Row of the key (or value) of candidate o for kv head g. */
static const double *cand_row(const rvt_attn_plan *p, const rvt_attn_buf *b,
                              const double *tok, const double *mean,
                              size_t o, uint32_t g)
{
    const size_t hd = (size_t)b->kv_heads * b->dim;
    if (p->is_block[o])
        return mean + p->idx[o] * hd + (size_t)g * b->dim;
    return tok + p->idx[o] * hd + (size_t)g * b->dim;
}

void rvt_attn_fwd(const rvt_attn_plan *p, rvt_attn_buf *b,
                  const double *q, const double *k, const double *v,
                  double *out, double *probs)
{
    const uint32_t H = b->q_heads, G = b->kv_heads, D = b->dim;
    const size_t hd = (size_t)G * D;
    const double scale = 1.0 / sqrt((double)D);

    /* Block means over each block's actual tokens. */
    for (uint32_t blk = 0; blk < p->nb; blk++) {
        const uint32_t lo = blk * p->cfg.block_size, cnt = block_count(p, blk);
        double *km = b->kmean + blk * hd, *vm = b->vmean + blk * hd;
        for (size_t e = 0; e < hd; e++) {
            double sk = 0.0, sv = 0.0;
            for (uint32_t t = 0; t < cnt; t++) {
                sk += k[(lo + t) * hd + e];
                sv += v[(lo + t) * hd + e];
            }
            km[e] = sk / cnt;
            vm[e] = sv / cnt;
        }
    }

    for (uint32_t i = 0; i < p->n; i++) {
        const size_t o0 = p->off[i];
        const uint32_t cnt = p->off[i + 1] - p->off[i];
        for (uint32_t h = 0; h < H; h++) {
            const uint32_t g = h / (H / G);
            const double *qi = q + ((size_t)i * H + h) * D;
            double *pr = probs + o0 * H + (size_t)h * cnt;
            double mx = -INFINITY;
            for (uint32_t c = 0; c < cnt; c++) {
                const double *kr = cand_row(p, b, k, b->kmean, o0 + c, g);
                double s = 0.0;
                for (uint32_t d = 0; d < D; d++)
                    s += qi[d] * kr[d];
                pr[c] = s * scale;
                if (pr[c] > mx)
                    mx = pr[c];
            }
            double z = 0.0;
            for (uint32_t c = 0; c < cnt; c++) {
                pr[c] = exp(pr[c] - mx);
                z += pr[c];
            }
            double *oi = out + ((size_t)i * H + h) * D;
            for (uint32_t d = 0; d < D; d++)
                oi[d] = 0.0;
            for (uint32_t c = 0; c < cnt; c++) {
                pr[c] /= z;
                const double *vr = cand_row(p, b, v, b->vmean, o0 + c, g);
                for (uint32_t d = 0; d < D; d++)
                    oi[d] += pr[c] * vr[d];
            }
        }
    }
}

void rvt_attn_bwd(const rvt_attn_plan *p, rvt_attn_buf *b,
                  const double *q, const double *k, const double *v,
                  const double *probs, const double *dout,
                  double *dq, double *dk, double *dv)
{
    const uint32_t H = b->q_heads, G = b->kv_heads, D = b->dim;
    const size_t hd = (size_t)G * D;
    const double scale = 1.0 / sqrt((double)D);
    memset(b->dkm, 0, (size_t)p->nb * hd * sizeof(double));
    memset(b->dvm, 0, (size_t)p->nb * hd * sizeof(double));

    for (uint32_t i = 0; i < p->n; i++) {
        const size_t o0 = p->off[i];
        const uint32_t cnt = p->off[i + 1] - p->off[i];
        for (uint32_t h = 0; h < H; h++) {
            const uint32_t g = h / (H / G);
            const double *qi = q + ((size_t)i * H + h) * D;
            const double *doi = dout + ((size_t)i * H + h) * D;
            double *dqi = dq + ((size_t)i * H + h) * D;
            const double *pr = probs + o0 * H + (size_t)h * cnt;
            /* dp_c = dout . v_c; dv_c += p_c dout */
            double sum = 0.0;
            for (uint32_t c = 0; c < cnt; c++) {
                const size_t o = o0 + c;
                const double *vr = cand_row(p, b, v, b->vmean, o, g);
                double *dvr = (double *)cand_row(p, b, dv, b->dvm, o, g);
                double s = 0.0;
                for (uint32_t d = 0; d < D; d++) {
                    s += doi[d] * vr[d];
                    dvr[d] += pr[c] * doi[d];
                }
                b->dp[c] = s;
                sum += pr[c] * s;
            }
            /* ds_c = p_c (dp_c - sum); score = scale q.k */
            for (uint32_t c = 0; c < cnt; c++) {
                const size_t o = o0 + c;
                const double ds = pr[c] * (b->dp[c] - sum) * scale;
                if (ds == 0.0)
                    continue;
                const double *kr = cand_row(p, b, k, b->kmean, o, g);
                double *dkr = (double *)cand_row(p, b, dk, b->dkm, o, g);
                for (uint32_t d = 0; d < D; d++) {
                    dqi[d] += ds * kr[d];
                    dkr[d] += ds * qi[d];
                }
            }
        }
    }

    /* A block mean's gradient reaches each of its tokens divided by count. */
    for (uint32_t blk = 0; blk < p->nb; blk++) {
        const uint32_t lo = blk * p->cfg.block_size, cnt = block_count(p, blk);
        const double *gk = b->dkm + blk * hd, *gv = b->dvm + blk * hd;
        for (uint32_t t = 0; t < cnt; t++)
            for (size_t e = 0; e < hd; e++) {
                dk[(lo + t) * hd + e] += gk[e] / cnt;
                dv[(lo + t) * hd + e] += gv[e] / cnt;
            }
    }
}
