/*
 * rv_attn_dense.c — plain O(N^2) attention, the yardstick for the sparse
 * path: every key j <= i (causal) or every key, per query head, with a
 * per-key online softmax, so no N x N matrix exists. Workspace holds one
 * accumulator row.
 */
#include <math.h>
#include <string.h>

#include "rv_attn_impl.h"
#include "rv_vec.h"

static bool dense_need(rv_shape shape, size_t *need)
{
    /* The tensors must be addressable with size_t offsets; the accumulator
     * row is smaller than one of them. */
    size_t e = shape.seq;
    if (shape.q_heads != 0 && e > SIZE_MAX / shape.q_heads)
        return false;
    e *= shape.q_heads;
    if (shape.dim != 0 && e > SIZE_MAX / sizeof(float) / shape.dim)
        return false;
    size_t row = (size_t)shape.dim * sizeof(float);
    if (row > SIZE_MAX - 2u * RV_ALIGN)
        return false;
    *need = RV_ALIGN - 1u + rv_align_size(row);
    return true;
}

size_t rv_attn_dense_workspace_size(rv_shape shape)
{
    size_t need;
    if (rv_attn_check_shape(shape) != RV_OK || !dense_need(shape, &need))
        return 0;
    return need;
}

rv_status rv_attn_dense(rv_shape shape, bool causal,
                        const float *q, const float *k, const float *v,
                        float *out, void *ws, size_t ws_size)
{
    rv_status st = rv_attn_check_shape(shape);
    if (st != RV_OK || shape.seq == 0)
        return st;
    if (!q || !k || !v || !out)
        return RV_ERR_NULL;
    size_t need;
    if (!dense_need(shape, &need))
        return RV_ERR_OVERFLOW;
    if (!ws)
        return RV_ERR_NULL;
    if (ws_size < need)
        return RV_ERR_WORKSPACE;
    float *acc = rv_align_ptr(ws);
    const uint32_t n = shape.seq, dim = shape.dim, group = shape.q_heads / shape.kv_heads;
    const size_t kstride = (size_t)shape.kv_heads * dim;
    const float scale = 1.0f / sqrtf((float)dim);
    for (uint32_t i = 0; i < n; i++) {
        const uint32_t last = causal ? i : n - 1u;
        for (uint32_t h = 0; h < shape.q_heads; h++) {
            const float *qr = q + ((size_t)i * shape.q_heads + h) * dim;
            const float *kr = k + (size_t)(h / group) * dim;
            const float *vr = v + (size_t)(h / group) * dim;
            float m = -INFINITY, l = 0.0f;
            memset(acc, 0, (size_t)dim * sizeof(float));
            for (uint32_t j = 0; j <= last; j++, kr += kstride, vr += kstride) {
                float s = rv_vec_dot_opt(qr, kr, dim) * scale;
                if (s > m) {
                    float alpha = expf(m - s);
                    rv_vec_scale_opt(acc, alpha, dim);
                    l *= alpha;
                    m = s;
                }
                float p = expf(s - m);
                l += p;
                rv_vec_axpy_opt(acc, p, vr, dim);
            }
            float *o = out + ((size_t)i * shape.q_heads + h) * dim;
            for (uint32_t d = 0; d < dim; d++)
                o[d] = acc[d] / l;
        }
    }
    return RV_OK;
}
