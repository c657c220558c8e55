/*
 * ruv_temporal.c — the seeds' C ABI over the kernel's temporal-head model.
 *
 * One allocation holds everything a context needs, laid out by ctx_plan():
 *   [ctx header][rv_model][rv_model_stream (KV caches)][step workspace][embedding]
 * The blob is parsed in place and referenced, never copied.
 */
#include <math.h>
#include <string.h>

#include "ruv_temporal.h"
#include "rv_model.h"
#include "rv_rvne.h"

#define CTX_MAGIC_LIVE 0x52565443u   /* "RVTC" */
#define CTX_MAGIC_DEAD 0x44454144u   /* "DEAD" */

struct ruv_temporal_ctx {
    uint32_t magic;
    uint32_t input_dim, window_len, n_classes, min_frames;
    uint64_t frames;
    void *raw;                  /* what ruv_temporal_mem_alloc returned */
    rv_model *model;
    rv_model_stream *stream;
    void *ws;
    size_t ws_size;
    float *embedding;
};

/* Byte offsets of each part from the aligned start of the allocation. */
typedef struct {
    size_t model, stream, ws, emb, end, total;
} ctx_layout;

static esp_err_t esp_from_blob_status(rv_status st)
{
    switch (st) {
    case RV_OK:               return ESP_OK;
    case RV_ERR_BLOB_SIZE:    return ESP_ERR_INVALID_SIZE;
    case RV_ERR_BLOB_CRC:     return ESP_ERR_INVALID_CRC;
    case RV_ERR_BLOB_VERSION: return ESP_ERR_INVALID_VERSION;
    case RV_ERR_BLOB_MAGIC:
    case RV_ERR_BLOB_FLAGS:
    case RV_ERR_BLOB_SECTION_UNKNOWN:
                              return ESP_ERR_NOT_SUPPORTED;
    default:                  return ESP_ERR_INVALID_ARG;
    }
}

static rv_model_stream_opts stream_opts(uint32_t window_len, const ruv_temporal_opts *opts)
{
    rv_model_stream_opts o;
    memset(&o, 0, sizeof(o));
    o.cache_frames = window_len;
    o.precision = (opts ? opts->kv_fp16 : RUV_TEMPORAL_KV_FP16) ? RV_KV_F16 : RV_KV_F32;
    o.ring = true;              /* fixed memory, endless stream */
    o.max_landmark_blocks = opts ? opts->max_landmark_blocks : RUV_TEMPORAL_LANDMARK_BLOCKS;
    return o;
}

/* Appends a part of `size` bytes at *end; false on zero size or overflow. */
static bool place(size_t *end, size_t size, size_t *at)
{
    size_t a = rv_align_size(size);
    if (size == 0 || a < size || *end + a < *end)
        return false;
    *at = *end;
    *end += a;
    return true;
}

static esp_err_t ctx_plan(const rv_model *m, uint32_t window_len,
                          const ruv_temporal_opts *opts, ctx_layout *l)
{
    rv_model_stream_opts o = stream_opts(window_len, opts);
    memset(l, 0, sizeof(*l));
    size_t end = rv_align_size(sizeof(struct ruv_temporal_ctx));
    if (!place(&end, rv_model_mem_size(rv_model_info(m)), &l->model) ||
        !place(&end, rv_model_stream_mem_size(m, &o), &l->stream) ||
        !place(&end, rv_model_step_workspace_size(m), &l->ws) ||
        !place(&end, (size_t)rv_model_d_model(m) * sizeof(float), &l->emb))
        return ESP_ERR_NO_MEM;
    l->end = end;
    l->total = end + RV_ALIGN;  /* slack to align the allocator's pointer */
    return l->total > end ? ESP_OK : ESP_ERR_NO_MEM;
}

/* The stream/workspace size queries need a model object; init builds a
 * temporary one on the stack (the object is mostly pointers: ~1.9 KB on a
 * 32-bit MCU for the shipped model; a model that needs more than this is
 * refused with ESP_ERR_NO_MEM). docs/firmware.md lists init's stack use. */
#define PLAN_MODEL_STACK (1024u + 512u * sizeof(void *))

static esp_err_t parse_and_plan(const uint8_t *weights, size_t weights_len,
                                uint32_t window_len, const ruv_temporal_opts *opts,
                                rv_rvne_info *info, ctx_layout *l)
{
    if (!weights || weights_len == 0 || window_len == 0 ||
        window_len > RUV_TEMPORAL_MAX_WINDOW)
        return ESP_ERR_INVALID_ARG;
    rv_status st = rv_rvne_parse(weights, weights_len, info);
    if (st != RV_OK)
        return esp_from_blob_status(st);
    _Alignas(16) uint8_t scratch[PLAN_MODEL_STACK];
    size_t need = rv_model_mem_size(info);
    if (need == 0 || need > sizeof(scratch))
        return ESP_ERR_NO_MEM;
    rv_model *m = rv_model_init(scratch, sizeof(scratch), info, &st);
    if (!m)
        return ESP_ERR_INVALID_ARG;
    return ctx_plan(m, window_len, opts, l);
}

size_t ruv_temporal_mem_size_ex(const uint8_t *weights, size_t weights_len,
                                uint32_t window_len, const ruv_temporal_opts *opts)
{
    rv_rvne_info info;
    ctx_layout l = { 0, 0, 0, 0, 0, 0 };
    if (parse_and_plan(weights, weights_len, window_len, opts, &info, &l) != ESP_OK)
        return 0;
    return l.total;
}

size_t ruv_temporal_mem_size(const uint8_t *weights, size_t weights_len,
                             uint32_t window_len)
{
    return ruv_temporal_mem_size_ex(weights, weights_len, window_len, NULL);
}

esp_err_t ruv_temporal_init(const uint8_t *weights, size_t weights_len,
                            uint32_t input_dim, uint32_t window_len,
                            uint32_t n_classes, ruv_temporal_ctx_t **out_ctx)
{
    return ruv_temporal_init_ex(weights, weights_len, input_dim, window_len,
                                n_classes, NULL, out_ctx);
}

esp_err_t ruv_temporal_init_ex(const uint8_t *weights, size_t weights_len,
                               uint32_t input_dim, uint32_t window_len,
                               uint32_t n_classes, const ruv_temporal_opts *opts,
                               ruv_temporal_ctx_t **out_ctx)
{
    if (!out_ctx)
        return ESP_ERR_INVALID_ARG;
    *out_ctx = NULL;
    if (input_dim == 0 || n_classes == 0)
        return ESP_ERR_INVALID_ARG;

    rv_rvne_info info;
    ctx_layout l = { 0, 0, 0, 0, 0, 0 };
    esp_err_t err = parse_and_plan(weights, weights_len, window_len, opts, &info, &l);
    if (err != ESP_OK)
        return err;
    /* A blob made for another sensor or label set is a deploy bug: catch it
     * here rather than at the first classify. */
    if (info.arch.input_dim != input_dim || info.arch.head_classes[0] != n_classes)
        return ESP_ERR_INVALID_ARG;

    void *raw = ruv_temporal_mem_alloc(l.total);
    if (!raw)
        return ESP_ERR_NO_MEM;
    uint8_t *base = rv_align_ptr(raw);
    struct ruv_temporal_ctx *c = (struct ruv_temporal_ctx *)(void *)base;
    memset(c, 0, sizeof(*c));
    c->raw = raw;

    rv_status st;
    rv_model_stream_opts o = stream_opts(window_len, opts);
    c->model = rv_model_init(base + l.model, l.stream - l.model, &info, &st);
    if (c->model)
        c->stream = rv_model_stream_init(base + l.stream, l.ws - l.stream,
                                         c->model, &o, &st);
    if (!c->model || !c->stream) {
        ruv_temporal_mem_free(raw);
        return ESP_ERR_INVALID_ARG;
    }
    c->ws = base + l.ws;
    c->ws_size = l.emb - l.ws;
    c->embedding = (float *)(void *)(base + l.emb);
    c->input_dim = input_dim;
    c->window_len = window_len;
    c->n_classes = n_classes;
    uint32_t w = rv_model_attn_cfg(c->model)->window + 1u;
    c->min_frames = w < window_len ? w : window_len;
    c->magic = CTX_MAGIC_LIVE;
    *out_ctx = c;
    return ESP_OK;
}

static esp_err_t check_ctx(const ruv_temporal_ctx_t *ctx)
{
    if (!ctx)
        return ESP_ERR_INVALID_ARG;
    return ctx->magic == CTX_MAGIC_LIVE ? ESP_OK : ESP_ERR_INVALID_STATE;
}

esp_err_t ruv_temporal_push(ruv_temporal_ctx_t *ctx, const float *frame)
{
    esp_err_t err = check_ctx(ctx);
    if (err != ESP_OK)
        return err;
    if (!frame)
        return ESP_ERR_INVALID_ARG;
    for (uint32_t i = 0; i < ctx->input_dim; i++)
        if (!isfinite(frame[i]))
            return ESP_ERR_INVALID_ARG;     /* dropped; the stream is untouched */
    rv_status st = rv_model_step(ctx->model, ctx->stream, frame, ctx->embedding,
                                 ctx->ws, ctx->ws_size);
    if (st == RV_OK) {
        ctx->frames++;
        return ESP_OK;
    }
    /* The frame overflowed the model's activations (or a layer failed): the
     * caches may hold it in some layers only. A node must keep running, so
     * start the window over instead of refusing every later frame. */
    rv_model_stream_reset(ctx->stream);
    ctx->frames = 0;
    return ESP_FAIL;
}

esp_err_t ruv_temporal_classify(ruv_temporal_ctx_t *ctx, float *logits,
                                uint32_t n_classes)
{
    esp_err_t err = check_ctx(ctx);
    if (err != ESP_OK)
        return err;
    if (!logits || n_classes != ctx->n_classes)
        return ESP_ERR_INVALID_ARG;
    if (ctx->frames < ctx->min_frames)
        return ESP_ERR_INVALID_STATE;
    return rv_model_head_logits(ctx->model, 0, ctx->embedding, logits) == RV_OK
               ? ESP_OK : ESP_FAIL;
}

void ruv_temporal_destroy(ruv_temporal_ctx_t *ctx)
{
    if (!ctx || ctx->magic != CTX_MAGIC_LIVE)
        return;
    ctx->magic = CTX_MAGIC_DEAD;
    ruv_temporal_mem_free(ctx->raw);
}

uint64_t ruv_temporal_frames(const ruv_temporal_ctx_t *ctx)
{
    return check_ctx(ctx) == ESP_OK ? ctx->frames : 0;
}

uint32_t ruv_temporal_min_frames(const ruv_temporal_ctx_t *ctx)
{
    return check_ctx(ctx) == ESP_OK ? ctx->min_frames : 0;
}
