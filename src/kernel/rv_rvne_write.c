/* rv_rvne_write.c — .rvne writer (from tensors) and converter (from a
 * parsed blob). One emitter serves both, and a NULL output only counts. */
#include "rv_rvne_int.h"
#include "rv_crc32.h"

typedef struct {
    uint8_t *out;     /* NULL: count only */
    size_t cap, pos;
} cursor;

static void put(cursor *c, const void *src, size_t n)
{
    if (c->out && c->pos + n <= c->cap && n > 0u)
        memcpy(c->out + c->pos, src, n);
    c->pos += n;
}

static void put16(cursor *c, uint16_t v) { uint8_t b[2]; rv_st16(b, v); put(c, b, 2); }
static void put32(cursor *c, uint32_t v) { uint8_t b[4]; rv_st32(b, v); put(c, b, 4); }
static void putf(cursor *c, float f) { uint8_t b[4]; rv_stf32(b, f); put(c, b, 4); }

static void pad4(cursor *c)
{
    static const uint8_t z[3] = {0, 0, 0};
    put(c, z, (4u - (c->pos & 3u)) & 3u);
}

/* Section header now, length patched by end_section. */
static size_t begin_section(cursor *c, uint32_t tag)
{
    put32(c, tag);
    put32(c, 0u);
    return c->pos;
}

static void end_section(cursor *c, size_t body)
{
    if (c->out && body <= c->cap)
        rv_st32(c->out + body - 4u, (uint32_t)(c->pos - body));
    pad4(c);
}

static void put_str(cursor *c, const char *s, size_t n)
{
    put16(c, (uint16_t)n);
    put(c, s, n);
}

/* Everything one blob needs, from either a spec or a parsed blob. */
typedef struct {
    uint32_t version;
    bool fp16;
    rv_rvne_arch arch;
    const float *weights;          /* spec: floats in file order */
    const rv_rvne_info *src;       /* convert: read elements from here */
    const rv_rvne_attn *attn;
    const float *fmean, *finv;     /* spec feature normalisation */
    const uint8_t *fraw;           /* convert: raw FNRM floats */
    uint32_t rope_pairs;
    const uint32_t *periods;
    const uint8_t *periods_raw;
    const rv_rvne_head_spec *heads;/* spec heads */
    const uint8_t *heads_raw;      /* convert: raw HEAD payload */
    uint32_t heads_raw_len;
    bool default_heads;            /* convert v1 -> v2: write default names */
    bool has_prov;
    uint64_t seed;
    float accuracy;
    rv_rvne_str trainer, dataset, notes;
    uint32_t input_kind, input_layout; /* kind NONE = no INPT section */
} plan;

static float weight_at(const plan *p, uint64_t i)
{
    return p->weights ? p->weights[i] : rv_rvne_weight(p->src, i);
}

static void put_u32_decimal(cursor *c, uint32_t v)
{
    char d[10];
    int n = 0;
    do { d[n++] = (char)('0' + v % 10u); v /= 10u; } while (v);
    while (n)
        put(c, &d[--n], 1);
}

static size_t decimal_len(uint32_t v)
{
    size_t n = 1;
    while (v >= 10u) { v /= 10u; n++; }
    return n;
}

static void emit(const plan *p, uint64_t nw, cursor *c)
{
    const uint32_t es = p->fp16 ? 2u : 4u;
    put32(c, RV_RVNE_MAGIC);
    put16(c, (uint16_t)p->version);
    uint8_t fl[2] = { p->fp16 ? 1u : 0u, 0u };
    put(c, fl, 2);
    put16(c, (uint16_t)p->arch.input_dim);
    put16(c, (uint16_t)p->arch.q_heads);
    put16(c, (uint16_t)p->arch.kv_heads);
    put16(c, (uint16_t)p->arch.head_dim);
    put16(c, (uint16_t)p->arch.n_layers);
    put16(c, (uint16_t)p->arch.head_classes[0]);
    put32(c, (uint32_t)(nw * es));
    for (uint64_t i = 0; i < nw; i++) {
        float w = weight_at(p, i);
        if (p->fp16)
            put16(c, rv_rvne_f32_to_f16(w));
        else
            putf(c, w);
    }
    if (p->version >= 2u) {
        pad4(c);
        size_t b = begin_section(c, RV_RVNE_TAG_ARCH);
        put32(c, p->arch.d_model);
        put32(c, p->arch.d_ff);
        put32(c, (p->arch.input_proj ? RV_RVNE_ARCH_INPUT_PROJ : 0u) |
                 (p->arch.norm ? RV_RVNE_ARCH_NORM : 0u) |
                 (p->arch.head_bias ? RV_RVNE_ARCH_HEAD_BIAS : 0u));
        put32(c, 0u);
        end_section(c, b);
        if (p->attn) {
            b = begin_section(c, RV_RVNE_TAG_ATTN);
            put32(c, p->attn->window);
            put32(c, p->attn->block_size);
            put32(c, (p->attn->log_stride ? RV_RVNE_ATTN_LOG_STRIDE : 0u) |
                     (p->attn->landmarks ? RV_RVNE_ATTN_LANDMARKS : 0u));
            put32(c, p->attn->n_globals);
            for (uint32_t i = 0; i < p->attn->n_globals; i++)
                put32(c, p->attn->globals[i]);
            end_section(c, b);
        }
        if (p->fmean || p->fraw) {
            b = begin_section(c, RV_RVNE_TAG_FNRM);
            put32(c, p->arch.input_dim);
            if (p->fraw) {
                put(c, p->fraw, 8u * (size_t)p->arch.input_dim);
            } else {
                for (uint32_t i = 0; i < p->arch.input_dim; i++)
                    putf(c, p->fmean[i]);
                for (uint32_t i = 0; i < p->arch.input_dim; i++)
                    putf(c, p->finv[i]);
            }
            end_section(c, b);
        }
        if (p->input_kind != RV_RVNE_INPUT_NONE) {
            b = begin_section(c, RV_RVNE_TAG_INPT);
            put32(c, p->input_kind);
            put32(c, p->input_layout);
            end_section(c, b);
        }
        if (p->rope_pairs) {
            b = begin_section(c, RV_RVNE_TAG_ROPE);
            put32(c, p->rope_pairs);
            for (uint32_t i = 0; i < p->rope_pairs; i++)
                put32(c, p->periods ? p->periods[i]
                                    : rv_ld32(p->periods_raw + 4u * i));
            end_section(c, b);
        }
        if (p->heads || p->heads_raw || p->default_heads) {
            b = begin_section(c, RV_RVNE_TAG_HEAD);
            if (p->heads_raw) {
                put(c, p->heads_raw, p->heads_raw_len);
            } else if (p->heads) {
                put32(c, p->arch.n_heads);
                for (uint32_t h = 0; h < p->arch.n_heads; h++) {
                    put_str(c, p->heads[h].name, strlen(p->heads[h].name));
                    put32(c, p->arch.head_classes[h]);
                    for (uint32_t k = 0; k < p->arch.head_classes[h]; k++)
                        put_str(c, p->heads[h].labels[k], strlen(p->heads[h].labels[k]));
                }
            } else {
                put32(c, 1u);
                put_str(c, "default", 7u);
                put32(c, p->arch.head_classes[0]);
                for (uint32_t k = 0; k < p->arch.head_classes[0]; k++) {
                    put16(c, (uint16_t)(5u + decimal_len(k)));
                    put(c, "class", 5u);
                    put_u32_decimal(c, k);
                }
            }
            end_section(c, b);
        }
        if (p->has_prov) {
            b = begin_section(c, RV_RVNE_TAG_PROV);
            put32(c, (uint32_t)p->seed);
            put32(c, (uint32_t)(p->seed >> 32));
            putf(c, p->accuracy);
            put_str(c, p->trainer.s, p->trainer.len);
            put_str(c, p->dataset.s, p->dataset.len);
            put_str(c, p->notes.s, p->notes.len);
            end_section(c, b);
        }
    }
    uint32_t crc = (c->out && c->pos <= c->cap) ? rv_crc32(c->out, c->pos) : 0u;
    put32(c, crc);
}

/* Every weight must stay finite in the target precision. */
static bool weights_fit(const plan *p, uint64_t nw)
{
    for (uint64_t i = 0; i < nw; i++) {
        float w = weight_at(p, i);
        if (!rv_rvne_finite(w))
            return false;
        if (p->fp16 && (rv_rvne_f32_to_f16(w) & 0x7C00u) == 0x7C00u)
            return false;
    }
    return true;
}

static bool v1_shaped(const rv_rvne_arch *a)
{
    return !a->input_proj && !a->norm && a->d_ff == 0u && !a->head_bias &&
           a->n_heads == 1u && a->d_model == a->input_dim;
}

static bool text_ok(const char *s, bool label)
{
    if (!s)
        return false;
    size_t n = strlen(s);
    if (label && (n == 0u || n > RV_RVNE_MAX_TEXT))
        return false;
    return n <= 65535u && rv_rvne_utf8_ok((const uint8_t *)s, n, label);
}

static rv_status plan_from_spec(const rv_rvne_spec *s, plan *p)
{
    memset(p, 0, sizeof *p);
    rv_status st = rv_rvne_arch_check(&s->arch);
    if (st != RV_OK)
        return st;
    if (s->version != RV_RVNE_VERSION_1 && s->version != RV_RVNE_VERSION)
        return RV_ERR_BLOB_VERSION;
    if (s->version == RV_RVNE_VERSION_1 &&
        (!v1_shaped(&s->arch) || s->attn || s->feat_mean || s->feat_inv_std ||
         s->rope_pairs || s->heads || s->has_prov || s->input_kind))
        return RV_ERR_ARG;
    p->version = s->version;
    p->fp16 = s->fp16;
    p->arch = s->arch;
    if (s->attn) {
        if (s->attn->block_size == 0u || s->attn->n_globals > RV_RVNE_MAX_GLOBALS)
            return RV_ERR_BLOB_SECTION;
        for (uint32_t i = 1; i < s->attn->n_globals; i++)
            if (s->attn->globals[i] <= s->attn->globals[i - 1u])
                return RV_ERR_BLOB_SECTION;
        p->attn = s->attn;
    }
    if (s->input_kind != RV_RVNE_INPUT_NONE) {
        if (s->input_kind >= RV_RVNE_INPUT_KINDS || s->input_layout == 0u)
            return RV_ERR_BLOB_SECTION;
        p->input_kind = s->input_kind;
        p->input_layout = s->input_layout;
    }
    if ((s->feat_mean == NULL) != (s->feat_inv_std == NULL))
        return RV_ERR_NULL;
    if (s->feat_mean) {
        for (uint32_t i = 0; i < s->arch.input_dim; i++)
            if (!rv_rvne_finite(s->feat_mean[i]) || !rv_rvne_finite(s->feat_inv_std[i]))
                return RV_ERR_BLOB_SECTION;
        p->fmean = s->feat_mean;
        p->finv = s->feat_inv_std;
    }
    if (s->rope_pairs) {
        if (!s->rope_periods)
            return RV_ERR_NULL;
        if (s->rope_pairs > s->arch.head_dim / 2u)
            return RV_ERR_BLOB_COUNT;
        for (uint32_t i = 0; i < s->rope_pairs; i++)
            if (s->rope_periods[i] < 2u || s->rope_periods[i] > RV_RVNE_MAX_PERIOD)
                return RV_ERR_BLOB_SECTION;
        p->rope_pairs = s->rope_pairs;
        p->periods = s->rope_periods;
    }
    if (s->heads) {
        for (uint32_t h = 0; h < s->arch.n_heads; h++) {
            if (!text_ok(s->heads[h].name, true) || !s->heads[h].labels)
                return RV_ERR_BLOB_TEXT;
            for (uint32_t j = 0; j < h; j++)
                if (strcmp(s->heads[j].name, s->heads[h].name) == 0)
                    return RV_ERR_BLOB_SECTION;
            for (uint32_t k = 0; k < s->arch.head_classes[h]; k++)
                if (!text_ok(s->heads[h].labels[k], true))
                    return RV_ERR_BLOB_TEXT;
        }
        p->heads = s->heads;
    } else if (s->arch.n_heads > 1u) {
        return RV_ERR_BLOB_COUNT;  /* extra heads need their names */
    }
    if (s->has_prov) {
        const char *t[3] = { s->prov_trainer, s->prov_dataset, s->prov_notes };
        rv_rvne_str *d[3] = { &p->trainer, &p->dataset, &p->notes };
        for (int i = 0; i < 3; i++) {
            const char *x = t[i] ? t[i] : "";
            if (!text_ok(x, false))
                return RV_ERR_BLOB_TEXT;
            d[i]->s = x;
            d[i]->len = (uint32_t)strlen(x);
        }
        p->has_prov = true;
        p->seed = s->prov_seed;
        p->accuracy = s->prov_accuracy;
    }
    return RV_OK;
}

size_t rv_rvne_write_size(const rv_rvne_spec *spec, rv_status *status)
{
    rv_status st = RV_ERR_NULL;
    size_t n = 0;
    plan p;
    if (spec && (st = plan_from_spec(spec, &p)) == RV_OK) {
        cursor c = { NULL, 0, 0 };
        uint64_t nw = rv_rvne_weight_count(&p.arch);
        if (nw * (p.fp16 ? 2u : 4u) > UINT32_MAX) {
            st = RV_ERR_OVERFLOW;
        } else {
            emit(&p, nw, &c);
            n = c.pos;
        }
    }
    if (status)
        *status = st;
    return st == RV_OK ? n : 0u;
}

rv_status rv_rvne_write(const rv_rvne_spec *spec, const float *weights,
                        uint64_t n_weights, uint8_t *out, size_t out_size,
                        size_t *written)
{
    if (written)
        *written = 0;
    if (!spec || !weights || !out)
        return RV_ERR_NULL;
    rv_status st;
    size_t need = rv_rvne_write_size(spec, &st);
    if (st != RV_OK)
        return st;
    plan p;
    plan_from_spec(spec, &p);
    uint64_t nw = rv_rvne_weight_count(&p.arch);
    if (n_weights != nw)
        return RV_ERR_BLOB_WEIGHTS;
    p.weights = weights;
    if (!weights_fit(&p, nw))
        return RV_ERR_NOT_FINITE;   /* NaN/Inf, or beyond the fp16 range */
    if (out_size < need)
        return RV_ERR_SHORT_OUTPUT;
    cursor c = { out, out_size, 0 };
    emit(&p, nw, &c);
    if (written)
        *written = c.pos;
    return RV_OK;
}

rv_status rv_rvne_convert(const rv_rvne_info *in, uint32_t to_version, bool fp16,
                          uint8_t *out, size_t out_size, size_t *written)
{
    if (!in || !written)
        return RV_ERR_NULL;
    *written = 0;
    if (!in->weights || in->n_weights == 0u)
        return RV_ERR_MODEL;
    if (to_version != RV_RVNE_VERSION_1 && to_version != RV_RVNE_VERSION)
        return RV_ERR_BLOB_VERSION;
    plan p;
    memset(&p, 0, sizeof p);
    p.version = to_version;
    p.fp16 = fp16;
    p.arch = in->arch;
    p.src = in;
    if (to_version == RV_RVNE_VERSION_1) {
        /* Names, provenance and the input declaration are dropped; anything
         * that changes the math cannot be expressed in v1. */
        rv_rvne_attn def;
        rv_rvne_attn_default(&def);
        bool same = def.window == in->attn.window &&
                    def.block_size == in->attn.block_size &&
                    def.n_globals == in->attn.n_globals &&
                    def.globals[0] == in->attn.globals[0] &&
                    def.log_stride == in->attn.log_stride &&
                    def.landmarks == in->attn.landmarks;
        if (!v1_shaped(&in->arch) || in->feat_norm || in->rope_pairs || !same)
            return RV_ERR_ARG;
    } else {
        p.attn = &in->attn;           /* defaults written explicitly */
        p.fraw = in->feat_norm;
        p.rope_pairs = in->rope_pairs;
        p.periods_raw = in->rope_periods;
        p.heads_raw = in->heads;
        p.heads_raw_len = in->heads_len;
        p.default_heads = in->heads == NULL;
        p.has_prov = in->has_prov;
        p.seed = in->prov_seed;
        p.accuracy = in->prov_accuracy;
        p.trainer = in->prov_trainer;
        p.dataset = in->prov_dataset;
        p.notes = in->prov_notes;
        p.input_kind = in->input_kind;
        p.input_layout = in->input_layout;
    }
    uint64_t nw = rv_rvne_weight_count(&p.arch);
    if (nw != in->n_weights)
        return RV_ERR_MODEL;
    if (nw * (fp16 ? 2u : 4u) > UINT32_MAX)
        return RV_ERR_OVERFLOW;
    if (!weights_fit(&p, nw))
        return RV_ERR_NOT_FINITE;
    cursor c = { NULL, 0, 0 };
    emit(&p, nw, &c);
    size_t need = c.pos;
    if (!out) {
        *written = need;
        return RV_OK;
    }
    if (out_size < need)
        return RV_ERR_SHORT_OUTPUT;
    cursor w = { out, out_size, 0 };
    emit(&p, nw, &w);
    *written = w.pos;
    return RV_OK;
}
