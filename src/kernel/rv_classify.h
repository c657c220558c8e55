/*
 * rv_classify.h — classification post-processing shared by the host
 * (rvclassify) and the node firmware (rv_temporal): class probabilities
 * from a head's logits, the top classes, and the 0xC5110007 packet that
 * reports a result. One definition, so a node and the host that replays
 * its model send the same bytes for the same logits.
 *
 *   rv_softmax        p[i] = exp(l[i] - max) / sum_j exp(l[j] - max), in
 *                     that order of float operations (max subtracted first,
 *                     so no overflow; results sum to 1 within rounding)
 *   rv_topk           indices of the k largest values, largest first; ties
 *                     go to the lower index
 *   rv_classification_build
 *                     the packet for class `top` (a decision), or for the
 *                     largest logit when top < 0: argmax = that class,
 *                     top_logit = its logit, top1_minus_top2 = its margin
 *                     over the best other class (>= 0 when it is the
 *                     largest; negative when a decision trails)
 *
 * Errors: RV_ERR_NULL; RV_ERR_ARG (n or k zero, k > n, n_classes outside
 * 2..RV_CLASSIFY_MAX_CLASSES, top >= n_classes); RV_ERR_NOT_FINITE (a NaN
 * or infinite logit); RV_ERR_SHORT_OUTPUT (cap below
 * RV_CLASSIFICATION_SIZE). Outputs are untouched on error. No allocation.
 */
#ifndef RV_CLASSIFY_H
#define RV_CLASSIFY_H

#include "rv_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The packet's argmax is one byte. */
#define RV_CLASSIFY_MAX_CLASSES 256u

rv_status rv_softmax(const float *logits, float *probs, uint32_t n);
rv_status rv_topk(const float *values, uint32_t n, uint32_t *idx, uint32_t k);

typedef struct {
    uint8_t node_id;
    uint64_t ts_us;
    uint32_t seq;
} rv_classification_hdr;

/* Encodes the packet into out[0..RV_CLASSIFICATION_SIZE); *written
 * receives its size. */
rv_status rv_classification_build(const float *logits, uint32_t n_classes,
                                  int32_t top, const rv_classification_hdr *hdr,
                                  uint8_t *out, size_t cap, size_t *written);

#ifdef __cplusplus
}
#endif

#endif /* RV_CLASSIFY_H */
