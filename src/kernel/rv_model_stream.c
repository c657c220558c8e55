/* rv_model_stream.c — streaming: per-layer KV caches in caller memory and
 * the one-frame step (append rotated key/value, decode the newest token). */
#include <string.h>

#include "rv_model_int.h"

static bool opts_to_kv(const rv_model *m, const rv_model_stream_opts *o,
                       rv_kv_opts *k)
{
    if (o->cache_frames == 0u ||
        (o->precision != RV_KV_F32 && o->precision != RV_KV_F16))
        return false;
    memset(k, 0, sizeof *k);
    k->capacity = o->cache_frames;
    k->kv_heads = m->hkv;
    k->dim = m->hd;
    k->block_size = m->cfg.block_size;
    k->precision = o->precision;
    k->ring = o->ring;
    k->max_landmark_blocks = o->max_landmark_blocks;
    k->pinned = o->ring && m->cfg.n_globals ? m->globals : NULL;   /* keep globals */
    k->n_pinned = o->ring ? m->cfg.n_globals : 0u;
    k->first_pos = 0u;
    return true;
}

/* Layout: [stream][kv pointers][kv 0]..[kv L-1], each RV_ALIGN-aligned. */
static size_t stream_layout(const rv_model *m, const rv_model_stream_opts *o,
                            size_t *kv_bytes, size_t *kv_at)
{
    rv_kv_opts k;
    if (!rv_model_ok(m) || !o || !opts_to_kv(m, o, &k))
        return 0;
    size_t one = rv_kv_mem_size_ex(&k);
    if (one == 0u)
        return 0;
    one = rv_align_size(one);
    size_t head = rv_align_size(sizeof(rv_model_stream)) +
                  rv_align_size(sizeof(rv_kv *) * m->nl);
    if (one > (SIZE_MAX - head - RV_ALIGN) / m->nl)
        return 0;
    *kv_bytes = one;
    *kv_at = head;
    return head + one * m->nl;
}

size_t rv_model_stream_mem_size(const rv_model *m, const rv_model_stream_opts *o)
{
    size_t kb, ka;
    size_t n = stream_layout(m, o, &kb, &ka);
    return n ? n + RV_ALIGN - 1u : 0u;
}

rv_model_stream *rv_model_stream_init(void *mem, size_t mem_size,
                                      const rv_model *m,
                                      const rv_model_stream_opts *o,
                                      rv_status *status)
{
    rv_status dummy;
    if (!status)
        status = &dummy;
    if (!mem || !m || !o) {
        *status = RV_ERR_NULL;
        return NULL;
    }
    if (!rv_model_ok(m)) {
        *status = RV_ERR_BAD_OBJECT;
        return NULL;
    }
    size_t kb, ka;
    size_t need = rv_model_stream_mem_size(m, o);
    if (need == 0u || stream_layout(m, o, &kb, &ka) == 0u) {
        *status = RV_ERR_ARG;
        return NULL;
    }
    if (mem_size < need) {
        *status = RV_ERR_MEM;
        return NULL;
    }
    uint8_t *base = rv_align_ptr(mem);
    rv_model_stream *s = (rv_model_stream *)(void *)base;
    memset(s, 0, sizeof *s);
    s->kv = (rv_kv **)(void *)(base + rv_align_size(sizeof(rv_model_stream)));
    rv_kv_opts k;
    opts_to_kv(m, o, &k);
    for (uint32_t l = 0; l < m->nl; l++) {
        s->kv[l] = rv_kv_init_ex(base + ka + (size_t)l * kb, kb, &k);
        if (!s->kv[l]) {
            *status = RV_ERR_ARG;
            return NULL;
        }
    }
    s->model = m;
    s->capacity = o->cache_frames;
    s->ring = o->ring;
    s->pos = 0;
    s->magic = RV_STREAM_MAGIC;
    *status = RV_OK;
    return s;
}

void rv_model_stream_reset(rv_model_stream *s)
{
    if (!s || s->magic != RV_STREAM_MAGIC)
        return;
    for (uint32_t l = 0; l < s->model->nl; l++)
        rv_kv_reset(s->kv[l]);
    s->pos = 0;
    s->broken = false;
}

uint64_t rv_model_stream_pos(const rv_model_stream *s)
{
    return (s && s->magic == RV_STREAM_MAGIC) ? s->pos : 0u;
}

typedef struct {
    float *h, *u, *q, *k, *v, *a, *z, *cs;
    void *dws;
    size_t dws_size;
} step_ws;

static size_t step_carve(const rv_model *m, uint8_t *base, step_ws *w)
{
    size_t dws = rv_attn_decode_workspace_size(&m->cfg, m->hq, m->hd);
    if (dws == 0u)
        return 0;
    const size_t QD = (size_t)m->hq * m->hd, KD = (size_t)m->hkv * m->hd;
    size_t sizes[8] = { m->d, m->din > m->d ? m->din : m->d, QD, KD, KD, QD,
                        m->f ? m->f : 1u, m->pairs ? 2u * (size_t)m->pairs : 1u };
    float **dst[8] = { &w->h, &w->u, &w->q, &w->k, &w->v, &w->a, &w->z, &w->cs };
    size_t off = 0;
    for (int i = 0; i < 8; i++) {
        if (base)
            *dst[i] = (float *)(void *)(base + off);
        off += rv_align_size(sizes[i] * sizeof(float));
    }
    if (base) {
        w->dws = base + off;
        w->dws_size = dws;
    }
    return off + dws;
}

size_t rv_model_step_workspace_size(const rv_model *m)
{
    if (!rv_model_ok(m))
        return 0;
    step_ws w;
    size_t n = step_carve(m, NULL, &w);
    return n ? n + RV_ALIGN - 1u : 0u;
}

rv_status rv_model_step(const rv_model *m, rv_model_stream *s, const float *x,
                        float *embedding, void *ws, size_t ws_size)
{
    if (!m || !s || !x || !embedding || !ws)
        return RV_ERR_NULL;
    if (!rv_model_ok(m) || s->magic != RV_STREAM_MAGIC || s->broken)
        return RV_ERR_BAD_OBJECT;
    if (s->model != m)
        return RV_ERR_MISMATCH;
    size_t need = rv_model_step_workspace_size(m);
    if (need == 0u)
        return RV_ERR_OVERFLOW;
    if (ws_size < need)
        return RV_ERR_WORKSPACE;
    if (!rv_model_all_finite(x, m->din))
        return RV_ERR_NOT_FINITE;
    if (!s->ring && s->pos >= s->capacity)
        return RV_ERR_FULL;
    step_ws w;
    step_carve(m, rv_align_ptr(ws), &w);

    rv_model_frame_in(m, x, w.h, w.u);
    if (m->pairs)
        rv_model_rope_cs(m->periods, m->pairs, s->pos, w.cs);
    for (uint32_t l = 0; l < m->nl; l++) {
        rv_model_frame_qkv(m, l, w.h, w.u, w.cs, w.q, w.k, w.v);
        /* finite weights can still overflow: report it, never feed inf on */
        rv_status st = RV_OK;
        if (!rv_model_all_bounded(w.q, (size_t)m->hq * m->hd) ||
            !rv_model_all_bounded(w.k, (size_t)m->hkv * m->hd) ||
            !rv_model_all_bounded(w.v, (size_t)m->hkv * m->hd))
            st = RV_ERR_NOT_FINITE;
        if (st == RV_OK)
            st = rv_kv_append(s->kv[l], w.k, w.v);
        if (st != RV_OK) {
            /* Earlier layers already hold this frame: the stream can no
             * longer be consistent until it is reset. */
            if (l > 0u)
                s->broken = true;
            return st;
        }
        st = rv_attn_decode(&m->cfg, s->kv[l], m->hq, w.q, w.a, w.dws, w.dws_size);
        if (st != RV_OK) {
            s->broken = true;
            return st;
        }
        rv_model_frame_out(m, l, w.a, w.h, w.u, w.z);
    }
    s->pos++;
    rv_model_frame_final(m, w.h, embedding);
    /* the caches hold only finite values, so the stream stays usable */
    return rv_model_all_finite(embedding, m->d) ? RV_OK : RV_ERR_NOT_FINITE;
}
