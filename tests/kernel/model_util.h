/* model_util.h — test helpers shared by test_model.c and test_rvne.c:
 * deterministic random numbers, blob builders, model/stream setup. */
#ifndef MODEL_UTIL_H
#define MODEL_UTIL_H

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rv.h"

typedef struct { uint64_t s; } mu_rng;

static inline uint32_t mu_u32(mu_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 11);
}

/* uniform in [-a, a] */
static inline float mu_unif(mu_rng *r, float a)
{
    return ((float)(mu_u32(r) & 0xFFFFFFu) / 16777215.0f * 2.0f - 1.0f) * a;
}

typedef struct {
    uint8_t *blob;
    size_t len;
    rv_rvne_info info;
    void *mmem;
    rv_model *m;
} mu_model;

static inline void mu_model_load(mu_model *mm, uint8_t *blob, size_t len)
{
    mm->blob = blob;
    mm->len = len;
    rv_status st = rv_rvne_parse(blob, len, &mm->info);
    ck_assert_msg(st == RV_OK, "parse: %s (%s)", rv_status_str(st),
                  mm->info.err_detail ? mm->info.err_detail : "");
    size_t ms = rv_model_mem_size(&mm->info);
    ck_assert_uint_gt(ms, 0);
    mm->mmem = malloc(ms);
    mm->m = rv_model_init(mm->mmem, ms, &mm->info, &st);
    ck_assert_msg(mm->m != NULL, "init: %s", rv_status_str(st));
}

static inline void mu_model_free(mu_model *mm)
{
    free(mm->mmem);
    free(mm->blob);
    memset(mm, 0, sizeof *mm);
}

/* Write a blob from a spec and random weights scaled per tensor by
 * 1/sqrt(cols) (gains near 1). Returns a malloc'd buffer. */
static inline uint8_t *mu_write(const rv_rvne_spec *spec, mu_rng *r, float scale,
                                size_t *len, float **weights_out)
{
    uint64_t nw = rv_rvne_weight_count(&spec->arch);
    ck_assert_uint_gt(nw, 0);
    float *w = malloc(sizeof(float) * nw);
    uint32_t nt = rv_rvne_tensor_count(&spec->arch);
    for (uint32_t i = 0; i < nt; i++) {
        rv_rvne_tensor t;
        ck_assert_int_eq(rv_rvne_tensor_at(&spec->arch, i, &t), RV_OK);
        bool gain = t.kind == RV_RVNE_T_G_ATTN || t.kind == RV_RVNE_T_G_FFN ||
                    t.kind == RV_RVNE_T_G_FINAL;
        float a = scale / sqrtf((float)t.cols);
        for (uint64_t k = 0; k < (uint64_t)t.rows * t.cols; k++)
            w[t.offset + k] = gain ? 1.0f + mu_unif(r, 0.2f) : mu_unif(r, a);
    }
    rv_status st;
    size_t n = rv_rvne_write_size(spec, &st);
    ck_assert_msg(st == RV_OK, "write_size: %s", rv_status_str(st));
    uint8_t *buf = malloc(n);
    size_t wr = 0;
    st = rv_rvne_write(spec, w, nw, buf, n, &wr);
    ck_assert_msg(st == RV_OK, "write: %s", rv_status_str(st));
    ck_assert_uint_eq(wr, n);
    *len = n;
    if (weights_out)
        *weights_out = w;
    else
        free(w);
    return buf;
}

/* The seeds' example shape: input 16, 4 q heads, 1 kv head, head_dim 32,
 * 2 layers, 4 classes. */
static inline rv_rvne_arch mu_v1_arch(void)
{
    rv_rvne_arch a;
    memset(&a, 0, sizeof a);
    a.input_dim = 16;
    a.q_heads = 4;
    a.kv_heads = 1;
    a.head_dim = 32;
    a.n_layers = 2;
    a.d_model = 16;
    a.n_heads = 1;
    a.head_classes[0] = 4;
    return a;
}

static inline float mu_max_abs_diff(const float *a, const float *b, size_t n)
{
    float m = 0.0f;
    for (size_t i = 0; i < n; i++) {
        float d = fabsf(a[i] - b[i]);
        if (!(d <= m))
            m = d;     /* NaN propagates as a failure */
    }
    return m;
}

static inline void mu_stream_all(const rv_model *m, rv_model_stream *s,
                                 const float *x, uint32_t n, float *emb)
{
    size_t wsz = rv_model_step_workspace_size(m);
    ck_assert_uint_gt(wsz, 0);
    void *ws = malloc(wsz);
    uint32_t din = rv_model_input_dim(m), d = rv_model_d_model(m);
    for (uint32_t i = 0; i < n; i++) {
        rv_status st = rv_model_step(m, s, x + (size_t)i * din, emb + (size_t)i * d,
                                     ws, wsz);
        ck_assert_msg(st == RV_OK, "step %u: %s", i, rv_status_str(st));
    }
    free(ws);
}

static inline void mu_prefill(const rv_model *m, const float *x, uint32_t n,
                              float *emb)
{
    size_t wsz = rv_model_prefill_workspace_size(m, n);
    ck_assert_uint_gt(wsz, 0);
    void *ws = malloc(wsz);
    rv_status st = rv_model_prefill(m, x, n, emb, ws, wsz);
    ck_assert_msg(st == RV_OK, "prefill: %s", rv_status_str(st));
    free(ws);
}

#endif /* MODEL_UTIL_H */
