/* rv_classify.c — softmax, top-k and the 0xC5110007 result packet. */
#include "rv_classify.h"

#include <math.h>
#include <string.h>

static bool all_finite(const float *v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return false;
    return true;
}

rv_status rv_softmax(const float *logits, float *probs, uint32_t n)
{
    float mx, sum = 0.0f;

    if (!logits || !probs)
        return RV_ERR_NULL;
    if (n == 0)
        return RV_ERR_ARG;
    if (!all_finite(logits, n))
        return RV_ERR_NOT_FINITE;
    mx = logits[0];
    for (uint32_t i = 1; i < n; i++)
        if (logits[i] > mx)
            mx = logits[i];
    for (uint32_t i = 0; i < n; i++) {
        probs[i] = expf(logits[i] - mx);
        sum += probs[i];
    }
    for (uint32_t i = 0; i < n; i++)
        probs[i] /= sum;
    return RV_OK;
}

/* Insertion into a sorted list of k: O(n k), fine for the k <= a few a
 * classifier asks for. */
rv_status rv_topk(const float *values, uint32_t n, uint32_t *idx, uint32_t k)
{
    uint32_t have = 0;

    if (!values || !idx)
        return RV_ERR_NULL;
    if (n == 0 || k == 0 || k > n)
        return RV_ERR_ARG;
    if (!all_finite(values, n))
        return RV_ERR_NOT_FINITE;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t at = have;
        /* strictly greater moves up: an equal value stays behind the
         * earlier (lower) index */
        while (at > 0 && values[i] > values[idx[at - 1]])
            at--;
        if (at >= k)
            continue;
        if (have < k)
            have++;
        for (uint32_t j = have - 1; j > at; j--)
            idx[j] = idx[j - 1];
        idx[at] = i;
    }
    return RV_OK;
}

rv_status rv_classification_build(const float *logits, uint32_t n_classes,
                                  int32_t top, const rv_classification_hdr *hdr,
                                  uint8_t *out, size_t cap, size_t *written)
{
    uint32_t best[2];
    uint32_t t, other;
    rv_classification c;
    rv_status st;

    if (!logits || !hdr || !out || !written)
        return RV_ERR_NULL;
    if (n_classes < 2u || n_classes > RV_CLASSIFY_MAX_CLASSES ||
        (top >= 0 && (uint32_t)top >= n_classes))
        return RV_ERR_ARG;
    if (cap < RV_CLASSIFICATION_SIZE)
        return RV_ERR_SHORT_OUTPUT;
    st = rv_topk(logits, n_classes, best, 2);
    if (st != RV_OK)
        return st;
    t = top >= 0 ? (uint32_t)top : best[0];
    other = best[0] != t ? best[0] : best[1];

    memset(&c, 0, sizeof c);
    c.version = 1;
    c.n_classes = (uint16_t)n_classes;
    c.node_id = hdr->node_id;
    c.ts_us = hdr->ts_us;
    c.seq = hdr->seq;
    c.argmax = (uint8_t)t;
    c.top_logit = logits[t];
    c.top1_minus_top2 = logits[t] - logits[other];
    return rv_classification_encode(&c, out, cap, written);
}
