/*
 * fw_inputs.c — what the runner feeds the kernel, identical on every target:
 * integer-hash values (no libm decides an input), the fixed feature sequence,
 * and the shipped feature-state model (librvmodels, models/meson.build).
 */
#include <string.h>

#include "fw_inputs.h"
#include "rv_default_models.h"

static uint32_t hash32(uint32_t x)
{
    x = x * 2654435761u ^ 0x9e3779b9u;
    x ^= x >> 15;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    return x;
}

float fw_unit(uint32_t i, uint32_t seed)
{
    return (float)(hash32(i ^ (seed * 0x27d4eb2fu)) >> 8) * (2.0f / 16777216.0f) - 1.0f;
}

void fw_fill(float *x, uint32_t n, uint32_t seed, float scale)
{
    for (uint32_t i = 0; i < n; i++)
        x[i] = fw_unit(i, seed) * scale;
}

/* Frame t of the fixed feature sequence: slow triangle waves (motion,
 * presence, breathing-like), a step change at frame 160, hash noise. */
void fw_feature_frame(uint32_t t, uint32_t dim, float *x)
{
    for (uint32_t i = 0; i < dim; i++) {
        uint32_t period = 16u + 7u * i;
        uint32_t ph = (t + 3u * i) % period;
        float tri = (float)(ph < period / 2u ? ph : period - ph) / (float)(period / 2u);
        float level = t >= 160u ? 0.75f : -0.25f;
        x[i] = tri + level * (float)(i % 3u) + 0.1f * fw_unit(t * 64u + i, 31u);
    }
}

bool fw_model_source(fw_model_src *m)
{
    m->blob = rv_default_model_state(&m->len);
    if (!m->blob || rv_rvne_parse(m->blob, m->len, &m->info) != RV_OK)
        return false;
    m->in_dim = m->info.arch.input_dim;
    m->n_cls = m->info.arch.head_classes[0];
    return m->in_dim <= FW_MAX_DIM && m->n_cls <= FW_MAX_CLASSES;
}

