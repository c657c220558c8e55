/*
 * loss.h — softmax cross-entropy over rows of logits.
 */
#ifndef RVT_LOSS_H
#define RVT_LOSS_H

#include <stdint.h>

/* logits [n][c]; labels [n] (label < 0: row ignored); class_w [c] or NULL.
 * Writes dlogits [n][c] = d(mean loss)/d(logits), where the mean is the
 * weighted mean over non-ignored rows (divided by `norm` if norm > 0, else by
 * the sum of weights). Returns the summed weighted loss; *wsum gets the
 * summed weights. dlogits may be NULL (evaluation only). */
double rvt_xent(const double *logits, const int32_t *labels, uint32_t n,
                uint32_t c, const double *class_w, double norm,
                double *dlogits, double *wsum);

/* Index of the largest logit (first on ties). */
uint32_t rvt_argmax(const double *x, uint32_t c);

#endif /* RVT_LOSS_H */
