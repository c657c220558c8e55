/*
 * layers.h — forward and backward of the dense pieces of the temporal-head
 * model, in double, row-major. Backward functions ACCUMULATE (+=) into the
 * gradient outputs, so shared inputs (residuals) sum naturally; any gradient
 * pointer may be NULL when not needed.
 */
#ifndef RVT_LAYERS_H
#define RVT_LAYERS_H

#include <stdint.h>

/* y[n][out] = x[n][in] * W^T + b, W [out][in], b [out] or NULL. */
void rvt_linear_fwd(const double *x, uint32_t n, uint32_t in,
                    const double *W, const double *b, uint32_t out, double *y);
void rvt_linear_bwd(const double *x, const double *dy, uint32_t n, uint32_t in,
                    const double *W, uint32_t out,
                    double *dx, double *dW, double *db);

/* RMSNorm: y = x / sqrt(mean(x^2) + eps) * gain. rstd [n] is saved. */
void rvt_rmsnorm_fwd(const double *x, uint32_t n, uint32_t d,
                     const double *gain, double eps, double *y, double *rstd);
void rvt_rmsnorm_bwd(const double *x, const double *dy, uint32_t n, uint32_t d,
                     const double *gain, const double *rstd,
                     double *dx, double *dgain);

/* LayerNorm: y = (x - mean) / sqrt(var + eps) * gain + bias (bias may be NULL).
 * mean [n] and rstd [n] are saved. */
void rvt_layernorm_fwd(const double *x, uint32_t n, uint32_t d,
                       const double *gain, const double *bias, double eps,
                       double *y, double *mean, double *rstd);
void rvt_layernorm_bwd(const double *x, const double *dy, uint32_t n, uint32_t d,
                       const double *gain, const double *mean, const double *rstd,
                       double *dx, double *dgain, double *dbias);

typedef enum { RVT_ACT_RELU = 0, RVT_ACT_GELU_TANH, RVT_ACT_SILU, RVT_ACT_GELU_ERF } rvt_act;

void rvt_act_fwd(rvt_act a, const double *x, uint64_t n, double *y);
/* dx += dy * f'(x) */
void rvt_act_bwd(rvt_act a, const double *x, const double *dy, uint64_t n,
                 double *dx);

#endif /* RVT_LAYERS_H */
