/* rv_model.c — model object: layout in caller memory, init from a parsed
 * blob, accessors, classification heads. */
#include <math.h>
#include <string.h>

#include "rv_model_int.h"
#include "rv_rvne_int.h"

/* Bump carving inside caller memory; base NULL only measures. */
typedef struct {
    uint8_t *base;
    size_t off;
} arena;

static void *take(arena *a, size_t n)
{
    size_t at = rv_align_size(a->off);
    a->off = at + rv_align_size(n);
    return a->base ? a->base + at : NULL;
}

static uint32_t dec_len(uint32_t v)
{
    uint32_t n = 1;
    while (v >= 10u) { v /= 10u; n++; }
    return n;
}

/* Lay out the model; fills m when a->base is set. Returns false when the
 * info is not one rv_rvne_parse could have produced. */
static bool layout(const rv_rvne_info *info, uint32_t flags, arena *a,
                   rv_model **out)
{
    const rv_rvne_arch *ar = &info->arch;
    if (rv_rvne_arch_check(ar) != RV_OK || !info->weights ||
        info->n_weights == 0u || rv_rvne_weight_count(ar) != info->n_weights ||
        info->n_weights * (info->fp16 ? 2u : 4u) != info->weights_len ||
        info->rope_pairs > ar->head_dim / 2u ||
        (info->rope_pairs && !info->rope_periods) ||
        info->attn.block_size == 0u || info->attn.n_globals > RV_RVNE_MAX_GLOBALS)
        return false;
    const uint32_t D = ar->d_model, F = ar->d_ff, L = ar->n_layers;
    rv_model *m = take(a, sizeof(rv_model));
    rv_mlayer *layers = take(a, sizeof(rv_mlayer) * L);
    float *fmean = NULL, *finv = NULL;
    if (info->feat_norm) {
        fmean = take(a, sizeof(float) * ar->input_dim);
        finv = take(a, sizeof(float) * ar->input_dim);
    }
    uint32_t *periods = info->rope_pairs ? take(a, sizeof(uint32_t) * info->rope_pairs) : NULL;
    /* every vector tensor is copied to fp32 */
    uint64_t nvec = (ar->input_proj ? D : 0u) + (ar->norm ? D : 0u);
    nvec += (uint64_t)L * ((ar->norm ? D : 0u) + (F ? (ar->norm ? D : 0u) + F + D : 0u));
    for (uint32_t h = 0; h < ar->n_heads; h++)
        nvec += ar->head_bias ? ar->head_classes[h] : 0u;
    float *vec = take(a, sizeof(float) * (size_t)nvec);
    rv_rvne_str *labels[RV_RVNE_MAX_HEADS];
    for (uint32_t h = 0; h < ar->n_heads; h++)
        labels[h] = take(a, sizeof(rv_rvne_str) * ar->head_classes[h]);
    size_t dtext = 0;
    if (!info->heads)
        for (uint32_t c = 0; c < ar->head_classes[0]; c++)
            dtext += 5u + dec_len(c);
    char *text = take(a, dtext);
    bool expand = (flags & RV_MODEL_EXPAND_F32) != 0u;
    float *wcopy = expand ? take(a, sizeof(float) * (size_t)info->n_weights) : NULL;
    if (!a->base)
        return true;

    memset(m, 0, sizeof *m);
    m->info = *info;
    m->fp16 = info->fp16;
    m->din = ar->input_dim;
    m->d = D;
    m->f = F;
    m->hq = ar->q_heads;
    m->hkv = ar->kv_heads;
    m->hd = ar->head_dim;
    m->nl = L;
    m->nh = ar->n_heads;
    m->pairs = info->rope_pairs;
    m->norm = ar->norm;
    m->head_bias = ar->head_bias;
    memcpy(m->globals, info->attn.globals, sizeof m->globals);
    m->cfg.window = info->attn.window;
    m->cfg.block_size = info->attn.block_size;
    m->cfg.globals = info->attn.n_globals ? m->globals : NULL;
    m->cfg.n_globals = info->attn.n_globals;
    m->cfg.causal = true;
    m->cfg.log_stride = info->attn.log_stride;
    m->cfg.landmarks = info->attn.landmarks;
    m->layers = layers;
    if (fmean) {
        for (uint32_t i = 0; i < m->din; i++) {
            fmean[i] = rv_ldf32(info->feat_norm + 4u * i);
            finv[i] = rv_ldf32(info->feat_norm + 4u * ((size_t)m->din + i));
        }
        m->fmean = fmean;
        m->finv = finv;
    }
    for (uint32_t r = 0; r < m->pairs; r++)
        periods[r] = rv_ld32(info->rope_periods + 4u * r);
    m->periods = periods;

    /* fp32 in place needs a 4-aligned blob on a little-endian host */
    const uint32_t probe = 1u;
    uint8_t first;
    memcpy(&first, &probe, 1);
    bool direct = !info->fp16 && first == 1u &&
                  ((uintptr_t)info->weights & 3u) == 0u;
    if (expand)
        for (uint64_t i = 0; i < info->n_weights; i++)
            wcopy[i] = rv_rvne_weight(info, i);
    const size_t es = info->fp16 ? 2u : 4u;
    size_t vi = 0;
    uint32_t nt = rv_rvne_tensor_count(ar);
    for (uint32_t i = 0; i < nt; i++) {
        rv_rvne_tensor t;
        if (rv_rvne_tensor_at(ar, i, &t) != RV_OK)
            return false;
        rv_mmat mat = { NULL, info->weights + t.offset * es, t.rows, t.cols };
        if (expand)
            mat.f = wcopy + t.offset;
        else if (direct)
            mat.f = (const float *)(const void *)mat.b;
        const float *v = NULL;
        if (t.cols == 1u) {
            for (uint32_t k = 0; k < t.rows; k++)
                vec[vi + k] = rv_rvne_weight(info, t.offset + k);
            v = vec + vi;
            vi += t.rows;
        }
        rv_mlayer *ly = &layers[t.index < L ? t.index : 0u];
        switch (t.kind) {
        case RV_RVNE_T_IN_W: m->w_in = mat; break;
        case RV_RVNE_T_IN_B: m->b_in = v; break;
        case RV_RVNE_T_G_ATTN: ly->g_attn = v; break;
        case RV_RVNE_T_WQ: ly->wq = mat; break;
        case RV_RVNE_T_WK: ly->wk = mat; break;
        case RV_RVNE_T_WV: ly->wv = mat; break;
        case RV_RVNE_T_WO: ly->wo = mat; break;
        case RV_RVNE_T_G_FFN: ly->g_ffn = v; break;
        case RV_RVNE_T_W1: ly->w1 = mat; break;
        case RV_RVNE_T_B1: ly->b1 = v; break;
        case RV_RVNE_T_W2: ly->w2 = mat; break;
        case RV_RVNE_T_B2: ly->b2 = v; break;
        case RV_RVNE_T_G_FINAL: m->g_final = v; break;
        case RV_RVNE_T_HEAD_W: m->head_w[t.index] = mat; break;
        case RV_RVNE_T_HEAD_B: m->head_b[t.index] = v; break;
        }
    }
    for (uint32_t h = 0; h < m->nh; h++) {
        rv_rvne_head_name(info, h, &m->head_name[h]);
        m->labels[h] = labels[h];
        for (uint32_t c = 0; c < ar->head_classes[h]; c++)
            rv_rvne_label(info, h, c, &labels[h][c]);
    }
    if (!info->heads) {
        for (uint32_t c = 0; c < ar->head_classes[0]; c++) {
            uint32_t n = dec_len(c), v = c;
            memcpy(text, "class", 5);
            for (uint32_t k = 0; k < n; k++, v /= 10u)
                text[5u + n - 1u - k] = (char)('0' + v % 10u);
            labels[0][c].s = text;
            labels[0][c].len = 5u + n;
            text += 5u + n;
        }
    }
    m->magic = RV_MODEL_MAGIC;
    *out = m;
    return true;
}

size_t rv_model_mem_size_ex(const rv_rvne_info *info, uint32_t flags)
{
    if (!info || (flags & ~(uint32_t)RV_MODEL_EXPAND_F32) != 0u)
        return 0;
    if ((flags & RV_MODEL_EXPAND_F32) && info->n_weights > SIZE_MAX / 8u)
        return 0;
    arena a = { NULL, 0 };
    rv_model *m = NULL;
    if (!layout(info, flags, &a, &m))
        return 0;
    return a.off + RV_ALIGN - 1u;
}

size_t rv_model_mem_size(const rv_rvne_info *info)
{
    return rv_model_mem_size_ex(info, 0u);
}

rv_model *rv_model_init(void *mem, size_t mem_size, const rv_rvne_info *info,
                        rv_status *status)
{
    return rv_model_init_ex(mem, mem_size, info, 0u, status);
}

rv_model *rv_model_init_ex(void *mem, size_t mem_size, const rv_rvne_info *info,
                           uint32_t flags, rv_status *status)
{
    rv_status dummy;
    if (!status)
        status = &dummy;
    if (!mem || !info) {
        *status = RV_ERR_NULL;
        return NULL;
    }
    size_t need = rv_model_mem_size_ex(info, flags);
    if (need == 0u) {
        *status = RV_ERR_MODEL;
        return NULL;
    }
    if (mem_size < need) {
        *status = RV_ERR_MEM;
        return NULL;
    }
    arena a = { rv_align_ptr(mem), 0 };
    rv_model *m = NULL;
    if (!layout(info, flags, &a, &m)) {
        *status = RV_ERR_MODEL;
        return NULL;
    }
    *status = RV_OK;
    return m;
}

bool rv_model_ok(const rv_model *m)
{
    return m && m->magic == RV_MODEL_MAGIC;
}

uint32_t rv_model_input_dim(const rv_model *m) { return rv_model_ok(m) ? m->din : 0u; }
uint32_t rv_model_d_model(const rv_model *m) { return rv_model_ok(m) ? m->d : 0u; }
uint32_t rv_model_n_layers(const rv_model *m) { return rv_model_ok(m) ? m->nl : 0u; }
uint32_t rv_model_n_heads(const rv_model *m) { return rv_model_ok(m) ? m->nh : 0u; }

uint32_t rv_model_n_classes(const rv_model *m, uint32_t head)
{
    return (rv_model_ok(m) && head < m->nh) ? m->head_w[head].rows : 0u;
}

int32_t rv_model_find_head(const rv_model *m, const char *name, size_t len)
{
    if (!rv_model_ok(m) || !name)
        return -1;
    for (uint32_t h = 0; h < m->nh; h++)
        if (m->head_name[h].len == len && memcmp(m->head_name[h].s, name, len) == 0)
            return (int32_t)h;
    return -1;
}

const char *rv_model_head_name(const rv_model *m, uint32_t head, size_t *len)
{
    if (!rv_model_ok(m) || head >= m->nh)
        return NULL;
    if (len)
        *len = m->head_name[head].len;
    return m->head_name[head].s;
}

const char *rv_model_label(const rv_model *m, uint32_t head, uint32_t cls,
                           size_t *len)
{
    if (!rv_model_ok(m) || head >= m->nh || cls >= m->head_w[head].rows)
        return NULL;
    if (len)
        *len = m->labels[head][cls].len;
    return m->labels[head][cls].s;
}

const rv_attn_cfg *rv_model_attn_cfg(const rv_model *m)
{
    return rv_model_ok(m) ? &m->cfg : NULL;
}

const rv_rvne_info *rv_model_info(const rv_model *m)
{
    return rv_model_ok(m) ? &m->info : NULL;
}

rv_status rv_model_head_logits(const rv_model *m, uint32_t head,
                               const float *embedding, float *logits)
{
    if (!m || !embedding || !logits)
        return RV_ERR_NULL;
    if (!rv_model_ok(m))
        return RV_ERR_BAD_OBJECT;
    if (head >= m->nh)
        return RV_ERR_ARG;
    rv_model_mat_apply(m, &m->head_w[head], embedding, logits);
    if (m->head_b[head])
        for (uint32_t c = 0; c < m->head_w[head].rows; c++)
            logits[c] += m->head_b[head][c];
    return rv_model_all_finite(logits, m->head_w[head].rows) ? RV_OK : RV_ERR_NOT_FINITE;
}

rv_status rv_model_rope_default_periods(uint32_t n_pairs, uint32_t *periods)
{
    if (!periods)
        return RV_ERR_NULL;
    if (n_pairs == 0u)
        return RV_ERR_ARG;
    for (uint32_t r = 0; r < n_pairs; r++) {
        double e = n_pairs == 1u ? 0.0 : (double)r / (double)(n_pairs - 1u);
        periods[r] = (uint32_t)llround(4.0 * pow(1024.0, e));
    }
    return RV_OK;
}
