/*
 * rvbench_model.c — the built-in models streaming frame by frame: time per
 * rv_model_step with a full ring cache of 256 frames, against recomputing
 * the 256-frame window with rv_model_prefill for each new frame (what a
 * model without a KV cache has to do), measured in the same run; and the
 * memory a stream holds.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "rvbench_model.h"

#include <stdint.h>
#include <string.h>

#include "rv.h"
#include "rv_default_models.h"
#include "rvbench_util.h"

#define WINDOW 256u

typedef struct {
    rv_rvne_info info;
    rv_model *m;
    void *mem;
} bench_model;

static void load(bench_model *b, const char *name, const uint8_t *blob, size_t len)
{
    rv_status st = rv_rvne_parse(blob, len, &b->info);
    if (st == RV_OK) {
        size_t sz = rv_model_mem_size(&b->info);
        b->mem = xmalloc(sz);
        b->m = rv_model_init(b->mem, sz, &b->info, &st);
    }
    if (st != RV_OK || !b->m) {
        fprintf(stderr, "rvbench: built-in %s model: %s\n", name, rv_status_str(st));
        exit(1);
    }
}

/* Frames like the z-scored features the elements feed: values in [-2, 2]
 * from an integer hash, the same for every run. */
static float *frames(uint32_t n, uint32_t dim)
{
    float *x = xmalloc((size_t)n * dim * sizeof(float));
    uint32_t h = 0x9e3779b9u;
    for (size_t i = 0; i < (size_t)n * dim; i++) {
        h ^= h << 13;
        h ^= h >> 17;
        h ^= h << 5;
        x[i] = (float)(h >> 8) / 4194304.0f - 2.0f;
    }
    return x;
}

static rv_model_stream *open_stream(const rv_model *m, rv_kv_precision prec, size_t *bytes,
                                    void **mem)
{
    rv_model_stream_opts o = { .cache_frames = WINDOW, .precision = prec, .ring = true };
    rv_status st = RV_OK;
    *bytes = rv_model_stream_mem_size(m, &o);
    *mem = xmalloc(*bytes);
    rv_model_stream *s = rv_model_stream_init(*mem, *bytes, m, &o, &st);
    if (!s) {
        fprintf(stderr, "rvbench: stream: %s\n", rv_status_str(st));
        exit(1);
    }
    return s;
}

/* Median microseconds per rv_model_step over batches of steps on a stream
 * whose ring is already full. */
static double step_us(const rv_model *m, rv_kv_precision prec, const float *x, uint32_t n,
                      bool quick, size_t *stream_bytes)
{
    const uint32_t dim = rv_model_input_dim(m);
    size_t ws_size = rv_model_step_workspace_size(m);
    void *ws = xmalloc(ws_size), *mem;
    float *emb = xmalloc(rv_model_d_model(m) * sizeof(float));
    rv_model_stream *s = open_stream(m, prec, stream_bytes, &mem);
    double t[64];
    const uint32_t reps = quick ? 3 : 31, batch = quick ? 64 : 512;
    uint64_t k = 0;

    for (uint32_t i = 0; i < WINDOW; i++, k++)
        rv_model_step(m, s, x + (k % n) * dim, emb, ws, ws_size);
    for (uint32_t r = 0; r < reps; r++) {
        const double t0 = now_s();
        for (uint32_t i = 0; i < batch; i++, k++)
            if (rv_model_step(m, s, x + (k % n) * dim, emb, ws, ws_size) != RV_OK) {
                fprintf(stderr, "rvbench: rv_model_step failed\n");
                exit(1);
            }
        t[r] = (now_s() - t0) * 1e6 / batch;
    }
    free(ws);
    free(emb);
    free(mem);
    return median(t, reps);
}

/* Median milliseconds of one rv_model_prefill over WINDOW frames. */
static double prefill_ms(const rv_model *m, const float *x, bool quick, size_t *ws_bytes)
{
    *ws_bytes = rv_model_prefill_workspace_size(m, WINDOW);
    void *ws = xmalloc(*ws_bytes);
    float *emb = xmalloc((size_t)WINDOW * rv_model_d_model(m) * sizeof(float));
    double t[64];
    const uint32_t reps = quick ? 3 : 21;
    for (uint32_t r = 0; r < reps; r++) {
        const double t0 = now_s();
        if (rv_model_prefill(m, x, WINDOW, emb, ws, *ws_bytes) != RV_OK) {
            fprintf(stderr, "rvbench: rv_model_prefill failed\n");
            exit(1);
        }
        t[r] = (now_s() - t0) * 1e3;
    }
    free(ws);
    free(emb);
    return median(t, reps);
}

static void bench_one(const char *name, const uint8_t *blob, size_t len, bool quick)
{
    bench_model b;
    load(&b, name, blob, len);
    const uint32_t n = 4 * WINDOW;
    float *x = frames(n, rv_model_input_dim(b.m));
    size_t mem32 = 0, mem16 = 0, pws = 0;
    const double us32 = step_us(b.m, RV_KV_F32, x, n, quick, &mem32);
    const double us16 = step_us(b.m, RV_KV_F16, x, n, quick, &mem16);
    const double pre = prefill_ms(b.m, x, quick, &pws);
    printf("%-6s %5u %6u %10.2f %10.2f %12.0f %13.3f %8.0fx %9.1f %9.1f %9.1f\n", name,
           rv_model_input_dim(b.m), rv_model_d_model(b.m), us32, us16, 1e6 / us32, pre,
           pre * 1e3 / us32, mem32 / 1024.0, mem16 / 1024.0, pws / 1024.0);
    free(x);
    free(b.mem);
}

void rvbench_models(bool quick)
{
    size_t csi_len = 0, state_len = 0;
    const uint8_t *csi = rv_default_model_csi(&csi_len);
    const uint8_t *state = rv_default_model_state(&state_len);

    printf("== Built-in models streaming: rv_model_step per frame, ring cache of %u frames ==\n",
           WINDOW);
    printf("reference in the same run: rv_model_prefill over the %u-frame window, what each new\n"
           "frame costs a model without a KV cache; median wall clock, one thread\n", WINDOW);
    printf("%-6s %5s %6s %10s %10s %12s %13s %9s %9s %9s %9s\n", "model", "in", "d_mod",
           "step us", "step us", "frames/s", "prefill ms", "prefill/", "stream KB",
           "stream KB", "prefill");
    printf("%-6s %5s %6s %10s %10s %12s %13s %9s %9s %9s %9s\n", "", "", "", "fp32", "fp16",
           "fp32", "per frame", "step", "fp32", "fp16", "ws KB");
    bench_one("csi", csi, csi_len, quick);
    bench_one("state", state, state_len, quick);
    printf("\n");
}
