/*
 * fw_inputs.c — what the runner feeds the kernel, identical on every target:
 * integer-hash values (no libm decides an input), the fixed feature sequence,
 * and the model blob (the shipped one embedded by fwtool.py, else a
 * deterministic model written with the kernel's own blob writer).
 */
#include <math.h>
#include <string.h>

#include "fw_inputs.h"
#include "rv_model.h"

extern const uint8_t fw_model_blob[];
extern const size_t fw_model_blob_len;

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

/* Deterministic stand-in for the shipped feature-state model: 9 inputs,
 * projection to 16, 2 layers (2 q heads, 1 kv head of 8), FFN 32, RMSNorm,
 * rotary positions, 4 classes with bias, written by rv_rvne_write. */
#define G_IN 9u
#define G_D 16u
#define G_F 32u
#define G_C 4u
static _Alignas(16) uint8_t gen_blob[24576];   /* aligned: fp32 weights read in place */
static float gen_w[6144];

static const uint8_t *generated_blob(size_t *len)
{
    static const char *const labels[G_C] = { "empty", "still", "walking", "fall" };
    static const rv_rvne_head_spec head = { "activity", labels };
    float mean[G_IN], inv_std[G_IN];
    uint32_t periods[2];
    rv_rvne_spec s;
    memset(&s, 0, sizeof(s));
    s.version = RV_RVNE_VERSION;
    s.arch.input_dim = G_IN;
    s.arch.q_heads = 2;
    s.arch.kv_heads = 1;
    s.arch.head_dim = 8;
    s.arch.n_layers = 2;
    s.arch.d_model = G_D;
    s.arch.d_ff = G_F;
    s.arch.input_proj = s.arch.norm = s.arch.head_bias = true;
    s.arch.n_heads = 1;
    s.arch.head_classes[0] = G_C;
    for (uint32_t i = 0; i < G_IN; i++) {
        mean[i] = fw_unit(i, 21u) * 0.25f;
        inv_std[i] = 1.0f + 0.5f * fw_unit(i, 22u);
    }
    s.feat_mean = mean;
    s.feat_inv_std = inv_std;
    s.rope_pairs = 2;
    if (rv_model_rope_default_periods(2, periods) != RV_OK)
        return NULL;
    s.rope_periods = periods;
    s.heads = &head;
    s.prov_accuracy = NAN;
    uint64_t nw = rv_rvne_weight_count(&s.arch);
    if (nw == 0 || nw > sizeof(gen_w) / sizeof(gen_w[0]))
        return NULL;
    fw_fill(gen_w, (uint32_t)nw, 23u, 0.35f);
    rv_status st;
    size_t need = rv_rvne_write_size(&s, &st);
    if (need == 0 || need > sizeof(gen_blob) ||
        rv_rvne_write(&s, gen_w, nw, gen_blob, sizeof(gen_blob), len) != RV_OK)
        return NULL;
    return gen_blob;
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
    m->shipped = fw_model_blob_len != 0;
    m->blob = m->shipped ? fw_model_blob : generated_blob(&m->len);
    if (m->shipped)
        m->len = fw_model_blob_len;
    if (!m->blob || rv_rvne_parse(m->blob, m->len, &m->info) != RV_OK)
        return false;
    m->in_dim = m->info.arch.input_dim;
    m->n_cls = m->info.arch.head_classes[0];
    return m->in_dim <= FW_MAX_DIM && m->n_cls <= FW_MAX_CLASSES;
}

