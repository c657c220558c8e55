/* layers.c — dense layer forward/backward; see layers.h. */
#include "layers.h"

#include <math.h>
#include <stddef.h>

void rvt_linear_fwd(const double *x, uint32_t n, uint32_t in,
                    const double *W, const double *b, uint32_t out, double *y)
{
    for (uint32_t i = 0; i < n; i++) {
        const double *xi = x + (size_t)i * in;
        double *yi = y + (size_t)i * out;
        for (uint32_t o = 0; o < out; o++) {
            const double *w = W + (size_t)o * in;
            double s = 0.0;
            for (uint32_t k = 0; k < in; k++)
                s += w[k] * xi[k];
            yi[o] = b ? s + b[o] : s;
        }
    }
}

void rvt_linear_bwd(const double *x, const double *dy, uint32_t n, uint32_t in,
                    const double *W, uint32_t out,
                    double *dx, double *dW, double *db)
{
    for (uint32_t i = 0; i < n; i++) {
        const double *xi = x + (size_t)i * in;
        const double *dyi = dy + (size_t)i * out;
        double *dxi = dx ? dx + (size_t)i * in : NULL;
        for (uint32_t o = 0; o < out; o++) {
            const double g = dyi[o];
            if (g == 0.0)
                continue;
            if (db)
                db[o] += g;
            if (dW) {
                double *dw = dW + (size_t)o * in;
                for (uint32_t k = 0; k < in; k++)
                    dw[k] += g * xi[k];
            }
            if (dxi) {
                const double *w = W + (size_t)o * in;
                for (uint32_t k = 0; k < in; k++)
                    dxi[k] += g * w[k];
            }
        }
    }
}

void rvt_rmsnorm_fwd(const double *x, uint32_t n, uint32_t d,
                     const double *gain, double eps, double *y, double *rstd)
{
    for (uint32_t i = 0; i < n; i++) {
        const double *xi = x + (size_t)i * d;
        double *yi = y + (size_t)i * d;
        double ss = 0.0;
        for (uint32_t k = 0; k < d; k++)
            ss += xi[k] * xi[k];
        const double r = 1.0 / sqrt(ss / d + eps);
        rstd[i] = r;
        for (uint32_t k = 0; k < d; k++)
            yi[k] = xi[k] * r * gain[k];
    }
}

void rvt_rmsnorm_bwd(const double *x, const double *dy, uint32_t n, uint32_t d,
                     const double *gain, const double *rstd,
                     double *dx, double *dgain)
{
    for (uint32_t i = 0; i < n; i++) {
        const double *xi = x + (size_t)i * d;
        const double *dyi = dy + (size_t)i * d;
        const double r = rstd[i];
        /* y_k = x_k r g_k, r = (mean x^2 + eps)^-1/2, dr/dx_k = -r^3 x_k / d */
        double dot = 0.0;
        for (uint32_t k = 0; k < d; k++) {
            dot += dyi[k] * gain[k] * xi[k];
            if (dgain)
                dgain[k] += dyi[k] * xi[k] * r;
        }
        if (!dx)
            continue;
        double *dxi = dx + (size_t)i * d;
        const double c = dot * r * r * r / d;
        for (uint32_t k = 0; k < d; k++)
            dxi[k] += dyi[k] * gain[k] * r - c * xi[k];
    }
}

void rvt_layernorm_fwd(const double *x, uint32_t n, uint32_t d,
                       const double *gain, const double *bias, double eps,
                       double *y, double *mean, double *rstd)
{
    for (uint32_t i = 0; i < n; i++) {
        const double *xi = x + (size_t)i * d;
        double *yi = y + (size_t)i * d;
        double mu = 0.0;
        for (uint32_t k = 0; k < d; k++)
            mu += xi[k];
        mu /= d;
        double var = 0.0;
        for (uint32_t k = 0; k < d; k++)
            var += (xi[k] - mu) * (xi[k] - mu);
        var /= d;
        const double r = 1.0 / sqrt(var + eps);
        mean[i] = mu;
        rstd[i] = r;
        for (uint32_t k = 0; k < d; k++)
            yi[k] = (xi[k] - mu) * r * gain[k] + (bias ? bias[k] : 0.0);
    }
}

void rvt_layernorm_bwd(const double *x, const double *dy, uint32_t n, uint32_t d,
                       const double *gain, const double *mean, const double *rstd,
                       double *dx, double *dgain, double *dbias)
{
    for (uint32_t i = 0; i < n; i++) {
        const double *xi = x + (size_t)i * d;
        const double *dyi = dy + (size_t)i * d;
        const double mu = mean[i], r = rstd[i];
        double s1 = 0.0, s2 = 0.0; /* sum(dxhat), sum(dxhat * xhat) */
        for (uint32_t k = 0; k < d; k++) {
            const double xh = (xi[k] - mu) * r;
            const double dxh = dyi[k] * gain[k];
            s1 += dxh;
            s2 += dxh * xh;
            if (dgain)
                dgain[k] += dyi[k] * xh;
            if (dbias)
                dbias[k] += dyi[k];
        }
        if (!dx)
            continue;
        double *dxi = dx + (size_t)i * d;
        for (uint32_t k = 0; k < d; k++) {
            const double xh = (xi[k] - mu) * r;
            const double dxh = dyi[k] * gain[k];
            dxi[k] += r * (dxh - s1 / d - xh * s2 / d);
        }
    }
}

static double act1(rvt_act a, double x)
{
    switch (a) {
    case RVT_ACT_RELU: return x > 0.0 ? x : 0.0;
    case RVT_ACT_GELU_TANH: {
        const double c = 0.7978845608028654; /* sqrt(2/pi) */
        return 0.5 * x * (1.0 + tanh(c * (x + 0.044715 * x * x * x)));
    }
    case RVT_ACT_SILU: return x / (1.0 + exp(-x));
    case RVT_ACT_GELU_ERF: return 0.5 * x * (1.0 + erf(x * 0.7071067811865476));
    }
    return x;
}

static double dact1(rvt_act a, double x)
{
    switch (a) {
    case RVT_ACT_RELU: return x > 0.0 ? 1.0 : 0.0;
    case RVT_ACT_GELU_TANH: {
        const double c = 0.7978845608028654;
        const double u = c * (x + 0.044715 * x * x * x);
        const double t = tanh(u);
        const double du = c * (1.0 + 3.0 * 0.044715 * x * x);
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du;
    }
    case RVT_ACT_SILU: {
        const double s = 1.0 / (1.0 + exp(-x));
        return s * (1.0 + x * (1.0 - s));
    }
    case RVT_ACT_GELU_ERF: {
        const double pdf = 0.3989422804014327 * exp(-0.5 * x * x);
        return 0.5 * (1.0 + erf(x * 0.7071067811865476)) + x * pdf;
    }
    }
    return 1.0;
}

void rvt_act_fwd(rvt_act a, const double *x, uint64_t n, double *y)
{
    for (uint64_t i = 0; i < n; i++)
        y[i] = act1(a, x[i]);
}

void rvt_act_bwd(rvt_act a, const double *x, const double *dy, uint64_t n,
                 double *dx)
{
    for (uint64_t i = 0; i < n; i++)
        dx[i] += dy[i] * dact1(a, x[i]);
}
