/* dataset.c — training windows; see dataset.h. */
#include "dataset.h"

#include <stdlib.h>
#include <string.h>

bool rvt_dataset_init(rvt_dataset *ds, uint32_t in_dim, uint32_t seq_len)
{
    memset(ds, 0, sizeof *ds);
    if (in_dim == 0 || seq_len == 0)
        return false;
    ds->in_dim = in_dim;
    ds->seq_len = seq_len;
    return true;
}

void rvt_dataset_free(rvt_dataset *ds)
{
    free(ds->x);
    free(ds->y);
    free(ds->src);
    ds->x = NULL;
    ds->y = NULL;
    ds->src = NULL;
    ds->n_seq = ds->cap = 0;
}

static bool grow(rvt_dataset *ds)
{
    uint32_t cap = ds->cap ? ds->cap * 2 : 64;
    const size_t fx = (size_t)ds->seq_len * ds->in_dim;
    float *x = realloc(ds->x, (size_t)cap * fx * sizeof(float));
    if (!x)
        return false;
    ds->x = x;
    int32_t *y = realloc(ds->y, (size_t)cap * ds->seq_len * sizeof(int32_t));
    if (!y)
        return false;
    ds->y = y;
    uint32_t *s = realloc(ds->src, (size_t)cap * sizeof(uint32_t));
    if (!s)
        return false;
    ds->src = s;
    ds->cap = cap;
    return true;
}

bool rvt_dataset_add(rvt_dataset *ds, const float *x, const int32_t *y,
                     uint32_t src)
{
    if (ds->n_seq == ds->cap && !grow(ds))
        return false;
    const size_t fx = (size_t)ds->seq_len * ds->in_dim;
    memcpy(ds->x + (size_t)ds->n_seq * fx, x, fx * sizeof(float));
    memcpy(ds->y + (size_t)ds->n_seq * ds->seq_len, y, ds->seq_len * sizeof(int32_t));
    ds->src[ds->n_seq] = src;
    ds->n_seq++;
    return true;
}

uint32_t rvt_dataset_add_stream(rvt_dataset *ds, const float *x,
                                const int32_t *y, uint32_t T, uint32_t stride,
                                uint32_t ctx_min, uint32_t src)
{
    const uint32_t L = ds->seq_len;
    if (T < L || stride == 0)
        return 0;
    int32_t *lab = malloc(L * sizeof *lab);
    if (!lab)
        return 0;
    uint32_t added = 0;
    for (uint32_t s = 0;; s += stride) {
        if (s + L > T)
            s = T - L;
        memcpy(lab, y + s, L * sizeof *lab);
        if (s > 0)
            for (uint32_t i = 0; i < ctx_min && i < L; i++)
                lab[i] = -1;
        if (!rvt_dataset_add(ds, x + (size_t)s * ds->in_dim, lab, src))
            break;
        added++;
        if (s + L >= T)
            break;
    }
    free(lab);
    return added;
}

void rvt_dataset_class_counts(const rvt_dataset *ds, uint32_t n_classes,
                              uint64_t *counts)
{
    memset(counts, 0, n_classes * sizeof *counts);
    const size_t n = (size_t)ds->n_seq * ds->seq_len;
    for (size_t i = 0; i < n; i++)
        if (ds->y[i] >= 0 && (uint32_t)ds->y[i] < n_classes)
            counts[ds->y[i]]++;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

static bool move_if(rvt_dataset *ds, rvt_dataset *val, const uint8_t *to_val)
{
    const size_t fx = (size_t)ds->seq_len * ds->in_dim;
    uint32_t keep = 0;
    for (uint32_t i = 0; i < ds->n_seq; i++) {
        if (to_val[i]) {
            if (!rvt_dataset_add(val, ds->x + i * fx, ds->y + (size_t)i * ds->seq_len,
                                 ds->src[i]))
                return false;
            continue;
        }
        if (keep != i) {
            memmove(ds->x + keep * fx, ds->x + i * fx, fx * sizeof(float));
            memmove(ds->y + (size_t)keep * ds->seq_len, ds->y + (size_t)i * ds->seq_len,
                    ds->seq_len * sizeof(int32_t));
            ds->src[keep] = ds->src[i];
        }
        keep++;
    }
    ds->n_seq = keep;
    return true;
}

bool rvt_dataset_split(rvt_dataset *ds, rvt_dataset *val, double val_frac,
                       uint64_t seed)
{
    if (!rvt_dataset_init(val, ds->in_dim, ds->seq_len))
        return false;
    if (val_frac <= 0.0 || ds->n_seq < 2)
        return true;
    uint8_t *to_val = calloc(ds->n_seq, 1);
    if (!to_val)
        return false;
    uint32_t nv = 0;
    const uint64_t thr = (uint64_t)(val_frac * 4294967296.0);
    for (uint32_t i = 0; i < ds->n_seq; i++) {
        to_val[i] = !(ds->src[i] & RVT_SRC_NO_VAL) &&
                    (mix(ds->src[i] ^ mix(seed)) & 0xffffffffu) < thr;
        nv += to_val[i];
    }
    if (nv == 0 || nv == ds->n_seq) {
        /* Too few recordings to split by source: every k-th window. */
        uint32_t k = (uint32_t)(1.0 / val_frac + 0.5);
        if (k < 2)
            k = 2;
        for (uint32_t i = 0; i < ds->n_seq; i++)
            to_val[i] = !(ds->src[i] & RVT_SRC_NO_VAL) && (i % k) == k - 1;
    }
    bool ok = move_if(ds, val, to_val);
    free(to_val);
    return ok;
}

bool rvt_dataset_synthetic(rvt_dataset *ds, uint32_t n_seq, uint32_t n_classes,
                           double noise, uint64_t task_seed, uint64_t sample_seed)
{
    rvt_rng r;
    rvt_rng_seed(&r, task_seed);
    const uint32_t D = ds->in_dim, L = ds->seq_len;
    float *mu = malloc((size_t)n_classes * D * sizeof(float));
    float *x = malloc((size_t)L * D * sizeof(float));
    int32_t *y = malloc(L * sizeof(int32_t));
    bool ok = mu && x && y;
    /* Class c lights up dim c (mod D) far above the noise: separable. */
    for (uint32_t i = 0; ok && i < n_classes * D; i++)
        mu[i] = (float)((i % D == (i / D) % D ? 2.0 : 0.0) +
                        0.3 * (2.0 * rvt_rng_uniform(&r) - 1.0));
    rvt_rng_seed(&r, sample_seed ^ 0xa5a5a5a5ull);
    for (uint32_t s = 0; ok && s < n_seq; s++) {
        uint32_t t = 0;
        while (t < L) {
            uint32_t c = rvt_rng_below(&r, n_classes);
            uint32_t len = 8 + rvt_rng_below(&r, 33);
            for (uint32_t k = 0; k < len && t < L; k++, t++) {
                y[t] = (int32_t)c;
                for (uint32_t d = 0; d < D; d++)
                    x[(size_t)t * D + d] = mu[c * D + d] +
                        (float)(noise * rvt_rng_normal(&r));
            }
        }
        ok = rvt_dataset_add(ds, x, y, s);
    }
    free(mu);
    free(x);
    free(y);
    return ok;
}
