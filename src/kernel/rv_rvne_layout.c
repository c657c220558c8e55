/* rv_rvne_layout.c — the order of tensors inside the weights, arch checks,
 * element access and fp16 conversion. */
#include "rv_rvne_int.h"

rv_status rv_rvne_arch_check(const rv_rvne_arch *a)
{
    if (!a)
        return RV_ERR_NULL;
    if (a->input_dim == 0u || a->input_dim > 65535u)
        return RV_ERR_BLOB_INPUT_DIM;
    if (a->q_heads == 0u || a->q_heads > 65535u)
        return RV_ERR_BLOB_Q_HEADS;
    if (a->kv_heads == 0u || a->kv_heads > 65535u || a->q_heads % a->kv_heads != 0u)
        return RV_ERR_BLOB_KV_HEADS;
    if (a->head_dim == 0u || a->head_dim > 65535u)
        return RV_ERR_BLOB_HEAD_DIM;
    if (a->n_layers == 0u || a->n_layers > 65535u)
        return RV_ERR_BLOB_LAYERS;
    if (a->n_heads == 0u || a->n_heads > RV_RVNE_MAX_HEADS)
        return RV_ERR_BLOB_COUNT;
    for (uint32_t h = 0; h < a->n_heads; h++)
        if (a->head_classes[h] < 2u || a->head_classes[h] > RV_RVNE_MAX_DIM)
            return RV_ERR_BLOB_CLASSES;
    if (a->d_model == 0u || a->d_model > RV_RVNE_MAX_DIM || a->d_ff > RV_RVNE_MAX_DIM)
        return RV_ERR_BLOB_SECTION;
    if (!a->input_proj && a->d_model != a->input_dim)
        return RV_ERR_BLOB_COUNT;
    return RV_OK;
}

/* Walk the tensors in file order. Stops at tensor `want` (filling *t) or at
 * the end; returns the number of tensors walked and the element total. */
static uint32_t walk(const rv_rvne_arch *a, uint32_t want, rv_rvne_tensor *t,
                     uint64_t *total)
{
    uint32_t idx = 0;
    uint64_t off = 0;
    const uint32_t D = a->d_model, F = a->d_ff;
    const uint32_t QD = a->q_heads * a->head_dim, KD = a->kv_heads * a->head_dim;
#define EMIT(k, i, r, c) \
    do { \
        if (idx == want) { \
            t->kind = (k); t->index = (i); t->rows = (r); t->cols = (c); \
            t->offset = off; \
            return idx; \
        } \
        off += (uint64_t)(r) * (uint64_t)(c); \
        idx++; \
    } while (0)
    if (a->input_proj) {
        EMIT(RV_RVNE_T_IN_W, 0u, D, a->input_dim);
        EMIT(RV_RVNE_T_IN_B, 0u, D, 1u);
    }
    for (uint32_t l = 0; l < a->n_layers; l++) {
        if (a->norm)
            EMIT(RV_RVNE_T_G_ATTN, l, D, 1u);
        EMIT(RV_RVNE_T_WQ, l, QD, D);
        EMIT(RV_RVNE_T_WK, l, KD, D);
        EMIT(RV_RVNE_T_WV, l, KD, D);
        EMIT(RV_RVNE_T_WO, l, D, QD);
        if (F > 0u) {
            if (a->norm)
                EMIT(RV_RVNE_T_G_FFN, l, D, 1u);
            EMIT(RV_RVNE_T_W1, l, F, D);
            EMIT(RV_RVNE_T_B1, l, F, 1u);
            EMIT(RV_RVNE_T_W2, l, D, F);
            EMIT(RV_RVNE_T_B2, l, D, 1u);
        }
    }
    if (a->norm)
        EMIT(RV_RVNE_T_G_FINAL, 0u, D, 1u);
    for (uint32_t h = 0; h < a->n_heads; h++) {
        EMIT(RV_RVNE_T_HEAD_W, h, a->head_classes[h], D);
        if (a->head_bias)
            EMIT(RV_RVNE_T_HEAD_B, h, a->head_classes[h], 1u);
    }
#undef EMIT
    if (total)
        *total = off;
    return idx;
}

uint64_t rv_rvne_weight_count(const rv_rvne_arch *a)
{
    if (rv_rvne_arch_check(a) != RV_OK)
        return 0u;
    rv_rvne_tensor t;
    uint64_t total = 0;
    walk(a, UINT32_MAX, &t, &total);
    return total;
}

uint32_t rv_rvne_tensor_count(const rv_rvne_arch *a)
{
    if (rv_rvne_arch_check(a) != RV_OK)
        return 0u;
    rv_rvne_tensor t;
    return walk(a, UINT32_MAX, &t, NULL);
}

rv_status rv_rvne_tensor_at(const rv_rvne_arch *a, uint32_t i, rv_rvne_tensor *t)
{
    if (!a || !t)
        return RV_ERR_NULL;
    rv_status st = rv_rvne_arch_check(a);
    if (st != RV_OK)
        return st;
    if (i >= walk(a, UINT32_MAX, t, NULL))
        return RV_ERR_ARG;
    walk(a, i, t, NULL);
    return RV_OK;
}

const char *rv_rvne_tensor_name(rv_rvne_tensor_kind k)
{
    switch (k) {
    case RV_RVNE_T_IN_W: return "W_in";
    case RV_RVNE_T_IN_B: return "b_in";
    case RV_RVNE_T_G_ATTN: return "g_attn";
    case RV_RVNE_T_WQ: return "Wq";
    case RV_RVNE_T_WK: return "Wk";
    case RV_RVNE_T_WV: return "Wv";
    case RV_RVNE_T_WO: return "Wo";
    case RV_RVNE_T_G_FFN: return "g_ffn";
    case RV_RVNE_T_W1: return "W1";
    case RV_RVNE_T_B1: return "b1";
    case RV_RVNE_T_W2: return "W2";
    case RV_RVNE_T_B2: return "b2";
    case RV_RVNE_T_G_FINAL: return "g_final";
    case RV_RVNE_T_HEAD_W: return "W_head";
    case RV_RVNE_T_HEAD_B: return "b_head";
    }
    return "?";
}

float rv_rvne_f16_to_f32(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t e = (h >> 10) & 0x1Fu, m = h & 0x3FFu, u;
    if (e == 0u) {
        if (m == 0u) {
            u = sign;
        } else {              /* subnormal: normalise */
            int32_t ex = -1;
            do { m <<= 1; ex++; } while ((m & 0x400u) == 0u);
            u = sign | ((uint32_t)(127 - 15 - ex) << 23) | ((m & 0x3FFu) << 13);
        }
    } else if (e == 31u) {
        u = sign | 0x7F800000u | (m << 13);
    } else {
        u = sign | ((e + 112u) << 23) | (m << 13);
    }
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

uint16_t rv_rvne_f32_to_f16(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
    uint32_t e = (u >> 23) & 0xFFu, m = u & 0x7FFFFFu;
    if (e == 0xFFu)                       /* Inf / NaN (keep NaN quiet) */
        return (uint16_t)(sign | 0x7C00u | (m ? 0x200u | (m >> 13) : 0u));
    int32_t ex = (int32_t)e - 127 + 15;
    if (ex >= 31)
        return (uint16_t)(sign | 0x7C00u);
    if (ex <= 0) {                        /* subnormal or zero */
        if (ex < -10)
            return sign;
        m |= 0x800000u;
        uint32_t shift = (uint32_t)(14 - ex);
        uint32_t half = m >> shift, rem = m & ((1u << shift) - 1u);
        uint32_t mid = 1u << (shift - 1u);
        if (rem > mid || (rem == mid && (half & 1u)))
            half++;
        return (uint16_t)(sign | half);
    }
    uint32_t half = ((uint32_t)ex << 10) | (m >> 13), rem = m & 0x1FFFu;
    if (rem > 0x1000u || (rem == 0x1000u && (half & 1u)))
        half++;                           /* may carry into the exponent: fine */
    return (uint16_t)(sign | half);
}

float rv_rvne_weight(const rv_rvne_info *info, uint64_t i)
{
    /* Bounded by weights_len (the parser calls this before n_weights is set). */
    if (!info || !info->weights)
        return 0.0f;
    uint64_t es = info->fp16 ? 2u : 4u;
    if (i >= (uint64_t)info->weights_len / es)
        return 0.0f;
    const uint8_t *p = info->weights;
    if (info->fp16)
        return rv_rvne_f16_to_f32(rv_ld16(p + 2u * i));
    return rv_ldf32(p + 4u * i);
}

rv_status rv_rvne_head_name(const rv_rvne_info *info, uint32_t h, rv_rvne_str *out)
{
    if (!info || !out)
        return RV_ERR_NULL;
    if (h >= info->arch.n_heads)
        return RV_ERR_ARG;
    if (!info->heads) {
        out->s = "default";
        out->len = 7u;
        return RV_OK;
    }
    uint32_t off = rv_rvne_head_offset(info->heads, h);
    out->len = rv_ld16(info->heads + off);
    out->s = (const char *)(info->heads + off + 2u);
    return RV_OK;
}

rv_status rv_rvne_label(const rv_rvne_info *info, uint32_t h, uint32_t c,
                        rv_rvne_str *out)
{
    if (!info || !out)
        return RV_ERR_NULL;
    if (h >= info->arch.n_heads || c >= info->arch.head_classes[h])
        return RV_ERR_ARG;
    if (!info->heads) {
        out->s = NULL;
        out->len = 0u;
        return RV_OK;
    }
    uint32_t off = rv_rvne_head_offset(info->heads, h);
    off += 2u + rv_ld16(info->heads + off) + 4u;
    for (uint32_t i = 0; i < c; i++)
        off += 2u + rv_ld16(info->heads + off);
    out->len = rv_ld16(info->heads + off);
    out->s = (const char *)(info->heads + off + 2u);
    return RV_OK;
}
