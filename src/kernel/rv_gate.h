/*
 * rv_gate.h — FastGRNN salience gate, top-k masks.
 *
 *   g = sigmoid(Wg x + Ug h + bg), c = tanh(Wu x + Uu h + bu)
 *   f = clamp(zeta*g + nu, 0, 1), h' = f*h + (1-f)*c, salience = ||h'||_2
 *
 * Weights are row-major [hidden][input] (W*) and [hidden][hidden] (U*).
 * rv_gate_score() scans the n inputs in order from h = 0 and uses bounded
 * stack memory (hidden_dim <= RV_GATE_MAX_HIDDEN).
 *
 * Default weights (rv_gate_init_default) are deterministic: element i of a
 * matrix with offset o (Wg 0, Ug 1000, Wu 2000, Uu 3000) is
 *   ((float)(uint32_t)((i+o)*2654435761u + 0x9e3779b9u) / 4294967295.0f - 0.5f)
 *     * 2 * s * 0.1f,   s = sqrtf(2 / (input + hidden)),
 * biases 0, zeta 1, nu 0.
 *
 * The gate object lives in caller memory of rv_gate_mem_size() bytes (malloc
 * alignment is enough); the init functions return NULL on NULL/short memory,
 * a zero dimension, hidden_dim > RV_GATE_MAX_HIDDEN, NULL weight matrices or
 * non-finite zeta/nu. The returned object is the start of the caller memory
 * rounded up to RV_ALIGN; scoring only reads it, so one gate may be shared by
 * threads.
 *
 * rv_gate_topk() keeps the k largest saliences, ties to the lower index; NaN
 * ranks below every number, -0 equals +0. It needs no memory beyond keep[]
 * and costs O(33 n) (a bitwise search for the k-th largest value, then one
 * pass), independent of k.
 *
 * rv_gate_pool_keys() makes the gate inputs from attention keys: the mean over
 * kv heads per position, out[seq][dim] from k[seq][kv_heads][dim].
 */
#ifndef RV_GATE_H
#define RV_GATE_H

#include "rv_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_GATE_MAX_HIDDEN 256u

typedef struct rv_gate rv_gate;           /* lives inside caller memory */

size_t    rv_gate_mem_size(uint32_t input_dim, uint32_t hidden_dim);
rv_gate  *rv_gate_init_default(void *mem, size_t mem_size,
                               uint32_t input_dim, uint32_t hidden_dim);
/* Weights copied from caller arrays; any bias may be NULL (zero). */
rv_gate  *rv_gate_init_weights(void *mem, size_t mem_size,
                               uint32_t input_dim, uint32_t hidden_dim,
                               const float *wg, const float *ug, const float *bg,
                               const float *wu, const float *uu, const float *bu,
                               float zeta, float nu);
rv_status rv_gate_score(const rv_gate *g, const float *x /* [n][input_dim] */,
                        uint32_t n, float *salience /* [n] */);
rv_status rv_gate_topk(const float *salience, uint32_t n, uint32_t k,
                       uint8_t *keep /* [n] */);
rv_status rv_gate_pool_keys(const float *k /* [seq][kv_heads][dim] */, uint32_t seq,
                           uint32_t kv_heads, uint32_t dim,
                           float *out /* [seq][dim] */);

#ifdef __cplusplus
}
#endif
#endif /* RV_GATE_H */
