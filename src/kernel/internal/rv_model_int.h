/*
 * rv_model_int.h — internal: the model object's layout and the per-frame
 * building blocks shared by prefill and streaming (so both run exactly the
 * same float operations outside attention).
 */
#ifndef RV_MODEL_INT_H
#define RV_MODEL_INT_H

#include <string.h>

#include "rv_model.h"

#define RV_MODEL_MAGIC  0x4C444F4Du   /* "MODL" */
#define RV_STREAM_MAGIC 0x4D525453u   /* "STRM" */

/* A weight matrix [rows][cols] inside the blob: f when it can be read in
 * place as fp32, else bytes b (fp16 when the model is fp16, else fp32 LE). */
typedef struct {
    const float *f;
    const uint8_t *b;
    uint32_t rows, cols;
} rv_mmat;

typedef struct {
    rv_mmat wq, wk, wv, wo, w1, w2;
    const float *g_attn, *g_ffn, *b1, *b2;   /* copied into model memory */
} rv_mlayer;

struct rv_model {
    uint32_t magic;
    rv_rvne_info info;
    bool fp16;
    uint32_t din, d, f, hq, hkv, hd, nl, nh, pairs;
    bool norm, head_bias;
    rv_attn_cfg cfg;
    uint32_t globals[RV_RVNE_MAX_GLOBALS];
    const float *fmean, *finv;               /* NULL = identity */
    const uint32_t *periods;
    rv_mmat w_in;
    const float *b_in, *g_final;
    rv_mlayer *layers;
    rv_mmat head_w[RV_RVNE_MAX_HEADS];
    const float *head_b[RV_RVNE_MAX_HEADS];
    rv_rvne_str head_name[RV_RVNE_MAX_HEADS];
    rv_rvne_str *labels[RV_RVNE_MAX_HEADS];
};

struct rv_model_stream {
    uint32_t magic;
    const rv_model *model;
    uint32_t capacity;
    bool ring;
    bool broken;      /* a layer's append failed after earlier layers appended */
    uint64_t pos;
    rv_kv **kv;       /* [n_layers] */
};

bool rv_model_ok(const rv_model *m);

/* y[rows] = W[rows][cols] x: plain loop (reference) and 8-lane (used). */
void rv_model_matvec_ref(const float *W, uint32_t rows, uint32_t cols,
                         const float *x, float *y);
void rv_model_matvec_f32(const float *W, uint32_t rows, uint32_t cols,
                         const float *x, float *y);
/* Same 8-lane order over little-endian bytes (fp16 or fp32 elements). */
void rv_model_matvec_bytes(const uint8_t *W, bool fp16, uint32_t rows,
                           uint32_t cols, const float *x, float *y);
/* fp16 -> fp32 for finite halves (the parser rejects Inf/NaN weights),
 * branch-free so the fp16 matvec vectorises: normal numbers by integer
 * re-biasing, subnormals as m * 2^-24 (exact, result normal in fp32). */
RV_INLINE float rv_model_h2f(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t nb = sign | (((uint32_t)(h & 0x7FFFu) << 13) + ((127u - 15u) << 23));
    float sub = (float)(h & 0x3FFu) * 5.9604644775390625e-8f;
    uint32_t sb;
    memcpy(&sb, &sub, sizeof sb);
    sb |= sign;
    uint32_t normal = 0u - (uint32_t)((h & 0x7C00u) != 0u);
    uint32_t u = (nb & normal) | (sb & ~normal);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

void rv_model_mat_apply(const rv_model *m, const rv_mmat *w, const float *x,
                        float *y);

void rv_model_rmsnorm(const float *x, const float *g, uint32_t n, float *y);
/* cs[2r] = cos, cs[2r+1] = sin of pair r's angle at position pos. */
void rv_model_rope_cs(const uint32_t *periods, uint32_t pairs, uint64_t pos,
                      float *cs);
/* SiLU t * sigmoid(t) with the kernel's own exp (bit-identical on every
 * target). */
float rv_model_silu(float t);
void rv_model_rope_apply(float *v, uint32_t heads, uint32_t hd, uint32_t pairs,
                         const float *cs);

/* Per-frame stages. Scratch u: max(din, d) floats, z: f floats. */
void rv_model_frame_in(const rv_model *m, const float *x, float *h, float *u);
void rv_model_frame_qkv(const rv_model *m, uint32_t l, const float *h, float *u,
                        const float *cs, float *q, float *k, float *v);
void rv_model_frame_out(const rv_model *m, uint32_t l, const float *a, float *h,
                        float *u, float *z);
void rv_model_frame_final(const rv_model *m, const float *h, float *e);

bool rv_model_all_finite(const float *x, size_t n);
/* |x_i| <= RV_MODEL_MAX_ACT for all i: q/k/v within this bound keep every
 * attention score finite (dim <= 65535), so overflow is reported instead
 * of feeding inf/NaN into the attention kernels. */
#define RV_MODEL_MAX_ACT 1e15f
bool rv_model_all_bounded(const float *x, size_t n);

#endif /* RV_MODEL_INT_H */
