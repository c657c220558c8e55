/*
 * rv_gate.h — FastGRNN salience gate, top-k masks.
 *
 *   g = sigmoid(Wg x + Ug h + bg), c = tanh(Wu x + Uu h + bu)
 *   f = clamp(zeta*g + nu, 0, 1), h' = f*h + (1-f)*c, salience = ||h'||_2
 *
 * Weights are row-major [hidden][input] (W*) and [hidden][hidden] (U*).
 * rv_gate_score() scans the n inputs in order from h = 0 and uses bounded
 * stack memory (hidden_dim <= RV_GATE_MAX_HIDDEN).
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

#ifdef __cplusplus
}
#endif
#endif /* RV_GATE_H */
