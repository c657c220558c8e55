/* loss.c — softmax cross-entropy; see loss.h. */
#include "loss.h"

#include <math.h>
#include <stddef.h>

uint32_t rvt_argmax(const double *x, uint32_t c)
{
    uint32_t b = 0;
    for (uint32_t j = 1; j < c; j++)
        if (x[j] > x[b])
            b = j;
    return b;
}

double rvt_xent(const double *logits, const int32_t *labels, uint32_t n,
                uint32_t c, const double *class_w, double norm,
                double *dlogits, double *wsum)
{
    double loss = 0.0, ws = 0.0;
    for (uint32_t i = 0; i < n; i++)
        if (labels[i] >= 0)
            ws += class_w ? class_w[labels[i]] : 1.0;
    const double denom = norm > 0.0 ? norm : (ws > 0.0 ? ws : 1.0);
    for (uint32_t i = 0; i < n; i++) {
        const double *x = logits + (size_t)i * c;
        double *d = dlogits ? dlogits + (size_t)i * c : NULL;
        if (labels[i] < 0 || (uint32_t)labels[i] >= c) {
            if (d)
                for (uint32_t j = 0; j < c; j++)
                    d[j] = 0.0;
            continue;
        }
        const double w = class_w ? class_w[labels[i]] : 1.0;
        double mx = x[rvt_argmax(x, c)], s = 0.0;
        for (uint32_t j = 0; j < c; j++)
            s += exp(x[j] - mx);
        const double lse = mx + log(s);
        loss += w * (lse - x[labels[i]]);
        if (d) {
            for (uint32_t j = 0; j < c; j++)
                d[j] = w * exp(x[j] - lse) / denom;
            d[labels[i]] -= w / denom;
        }
    }
    if (wsum)
        *wsum = ws;
    return loss;
}
