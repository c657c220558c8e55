/*
 * rvbench — the kernel benchmark: sparse vs dense causal prefill, streaming
 * decode per step at several cached lengths (fp32 and fp16, ring mode for
 * the longest), KV cache memory per stream, the built-in models streaming
 * frame by frame (rvbench_model.c), and the budgets (docs/benchmarks.md)
 * with PASS/FAIL. One thread, plain-text tables;
 * docs/benchmarks.md explains every column.
 *
 *   rvbench [--quick] [--dense-max N] [--strict] [--help]
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rv.h"
#include "rvbench_model.h"
#include "rvbench_util.h"
#include "rvtool_args.h"

typedef struct {
    bool quick, strict;
    uint32_t dense_max;
} options;

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static float rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (float)((rng_state >> 40) & 0xffffffu) / 8388608.0f - 1.0f;
}

static float *rnd_array(size_t n)
{
    float *p = xmalloc(n * sizeof(float));
    for (size_t t = 0; t < n; t++)
        p[t] = rnd();
    return p;
}

static void die_status(const char *what, rv_status s)
{
    fprintf(stderr, "rvbench: %s failed: %s\n", what, rv_status_str(s));
    exit(1);
}

static const uint32_t globals0[] = { 0 };

static rv_attn_cfg cfg_aether(void)
{
    return (rv_attn_cfg){ .window = 32, .block_size = 16, .globals = globals0,
                          .n_globals = 1, .causal = true, .log_stride = true,
                          .landmarks = true };
}

static rv_attn_cfg cfg_w128(void)
{
    return (rv_attn_cfg){ .window = 128, .block_size = 64, .globals = globals0,
                          .n_globals = 1, .causal = true, .log_stride = true,
                          .landmarks = true };
}

/* ------------------------------------------------------------- prefill */

typedef struct {
    double aether_mha_ms[16], dense_mha_ms[16];
    uint32_t n[16];
    uint32_t count;
} prefill_result;

/* Median milliseconds of fn over repetitions: at least min_reps, more while
 * the total stays under budget_s (at most 101). */
typedef rv_status (*prefill_fn)(const rv_attn_cfg *, rv_shape, const float *, const float *,
                                 const float *, float *, void *, size_t);

static rv_status run_dense(const rv_attn_cfg *cfg, rv_shape sh, const float *q,
                           const float *k, const float *v, float *out, void *ws, size_t wsz)
{
    return rv_attn_dense(sh, cfg->causal, q, k, v, out, ws, wsz);
}

/* Wall-clock median in ms; *cpu_ms gets the median thread CPU time. */
static double time_ms(prefill_fn fn, const rv_attn_cfg *cfg, rv_shape sh, const float *q,
                      const float *k, const float *v, float *out, void *ws, size_t wsz,
                      uint32_t min_reps, double budget_s, double *cpu_ms)
{
    double t[101], c[101];
    uint32_t n = 0;
    const double t_start = now_s();
    do {
        const double c0 = cpu_s(), t0 = now_s();
        const rv_status s = fn(cfg, sh, q, k, v, out, ws, wsz);
        t[n] = (now_s() - t0) * 1e3;
        c[n++] = (cpu_s() - c0) * 1e3;
        if (s != RV_OK)
            die_status("prefill", s);
    } while (n < 101 && (n < min_reps || now_s() - t_start < budget_s));
    *cpu_ms = median(c, n);
    return median(t, n);
}

static void bench_prefill(const options *op, prefill_result *res)
{
    static const uint32_t full_n[] = { 64, 128, 256, 512, 1024, 2048, 4096 };
    static const uint32_t quick_n[] = { 64, 128, 256 };
    const uint32_t *ns = op->quick ? quick_n : full_n;
    const uint32_t nn = op->quick ? 3u : 7u;
    const uint32_t heads = 4, dim = 32;
    const rv_attn_cfg cfgs[2] = { cfg_aether(), cfg_w128() };
    const char *names[2] = { "AETHER w32 b16", "w128 b64" };

    printf("== Causal prefill: sparse rv_attn_forward vs dense rv_attn_dense ==\n");
    printf("q_heads=4, dim=%u, globals {0}, log-stride and landmarks on; wall-clock median\n"
           "of repeats, (cpu ms) the median thread CPU time of the same runs\n", dim);
    printf("%-15s %-4s %6s %10s %9s %14s %9s %11s\n", "config", "kv", "N", "ms sparse",
           "(cpu ms)", "ms dense", "speedup", "cand/query");
    res->count = nn;
    for (uint32_t kvi = 0; kvi < 2; kvi++) {
        const uint32_t kvh = kvi == 0 ? heads : 1u;
        /* dense depends only on the shape: measure once per N, reuse for both configs */
        double dense_ms[16];
        bool dense_measured[16];
        double last_dense = 0;
        uint32_t last_dense_n = 0;
        for (uint32_t c = 0; c < 2; c++) {
            for (uint32_t t = 0; t < nn; t++) {
                const uint32_t n = ns[t];
                const rv_shape sh = { .seq = n, .q_heads = heads, .kv_heads = kvh, .dim = dim };
                float *q = rnd_array((size_t)n * heads * dim);
                float *k = rnd_array((size_t)n * kvh * dim);
                float *v = rnd_array((size_t)n * kvh * dim);
                float *out = xmalloc((size_t)n * heads * dim * sizeof(float));
                const size_t wsz = rv_attn_workspace_size(&cfgs[c], sh);
                void *ws = xmalloc(wsz);
                double sp_cpu, dn_cpu;
                const double sp = time_ms(rv_attn_forward, &cfgs[c], sh, q, k, v, out, ws, wsz,
                                          5, op->quick ? 0.02 : 0.3, &sp_cpu);
                free(ws);
                if (c == 0) {
                    dense_measured[t] = n <= op->dense_max;
                    if (dense_measured[t]) {
                        const size_t dsz = rv_attn_dense_workspace_size(sh);
                        void *dws = xmalloc(dsz);
                        dense_ms[t] = time_ms(run_dense, &cfgs[c], sh, q, k, v, out, dws, dsz,
                                              n >= 2048 ? 1 : 3, op->quick ? 0.02 : 0.3,
                                              &dn_cpu);
                        free(dws);
                        last_dense = dense_ms[t];
                        last_dense_n = n;
                    } else {
                        /* O(N^2): scale the largest measured point, labelled */
                        dense_ms[t] = last_dense_n
                            ? last_dense * ((double)n / last_dense_n) * ((double)n / last_dense_n)
                            : NAN;
                    }
                }
                const double cand = (double)rv_attn_count_edges(&cfgs[c], n) / n;
                char dense_txt[32];
                if (isnan(dense_ms[t]))
                    snprintf(dense_txt, sizeof dense_txt, "skipped");
                else if (dense_measured[t])
                    snprintf(dense_txt, sizeof dense_txt, "%.3f", dense_ms[t]);
                else
                    snprintf(dense_txt, sizeof dense_txt, "~%.0f(extrap)", dense_ms[t]);
                printf("%-15s %-4s %6u %10.3f %9.3f %14s %8.1fx %11.1f\n", names[c],
                       kvi == 0 ? "MHA" : "MQA", n, sp, sp_cpu, dense_txt, dense_ms[t] / sp,
                       cand);
                if (c == 0 && kvi == 0 && t < 16) {
                    res->n[t] = n;
                    res->aether_mha_ms[t] = sp;
                    res->dense_mha_ms[t] = dense_measured[t] ? dense_ms[t] : NAN;
                }
                free(q);
                free(k);
                free(v);
                free(out);
            }
        }
    }
    printf("\n");
}

/* -------------------------------------------------------------- decode */

typedef struct {
    uint32_t len;              /* cached tokens while measuring */
    bool ring;
    rv_kv_precision prec;
    double decode_us, step_us; /* medians: decode call; append + decode */
    bool finite;
} decode_result;

/* Stream steps (append one token, decode its query) around cached length T.
 * Non-ring: each round resets, refills to T - S/2 tokens and times S steps,
 * so the measured lengths stay within T +- S/2. Ring: a ring of T tokens is
 * filled past T once, then every timed step runs at exactly T cached tokens. */
static void bench_decode_one(const options *op, decode_result *r)
{
    const rv_attn_cfg cfg = cfg_aether();
    const uint32_t q_heads = 4, kv_heads = 1, dim = 32, T = r->len;
    const uint32_t samples = op->quick ? 256u : 4096u;
    const uint32_t S = r->ring ? samples : (T / 2 < 1024u ? T / 2 : 1024u);
    rv_kv_opts o = { .kv_heads = kv_heads, .dim = dim, .block_size = cfg.block_size,
                     .precision = r->prec, .ring = r->ring };
    if (r->ring) {
        o.capacity = T;
        o.pinned = globals0;
        o.n_pinned = 1;
    } else {
        o.capacity = T + S;
    }
    const size_t msz = rv_kv_mem_size_ex(&o);
    void *mem = xmalloc(msz);
    rv_kv *kv = rv_kv_init_ex(mem, msz, &o);
    const size_t wsz = rv_attn_decode_workspace_size(&cfg, q_heads, dim);
    void *ws = xmalloc(wsz);
    if (!kv || wsz == 0) {
        fprintf(stderr, "rvbench: KV cache init failed\n");
        exit(1);
    }
    /* a pool of random rows, reused cyclically (generation stays untimed) */
    const uint32_t pool = 4096;
    float *k = rnd_array((size_t)pool * kv_heads * dim), *v = rnd_array((size_t)pool * kv_heads * dim);
    float *q = rnd_array((size_t)pool * q_heads * dim);
    float out[4 * 32];
    double *td = xmalloc(samples * sizeof(double)), *ts = xmalloc(samples * sizeof(double));
    uint32_t got = 0, next = 0;
    r->finite = true;
    while (got < samples) {
        if (!r->ring || got == 0) {
            rv_kv_reset(kv);
            const uint32_t fill = r->ring ? T + 1000u : T - S / 2;
            for (uint32_t t = 0; t < fill; t++, next = (next + 1) % pool) {
                const rv_status s = rv_kv_append(kv, k + (size_t)next * dim, v + (size_t)next * dim);
                if (s != RV_OK)
                    die_status("append", s);
            }
        }
        for (uint32_t t = 0; t < S && got < samples; t++, next = (next + 1) % pool) {
            const double t0 = now_s();
            const rv_status sa = rv_kv_append(kv, k + (size_t)next * dim, v + (size_t)next * dim);
            const double t1 = now_s();
            const rv_status sd = rv_attn_decode(&cfg, kv, q_heads, q + (size_t)next * q_heads * dim,
                                                out, ws, wsz);
            const double t2 = now_s();
            if (sa != RV_OK)
                die_status("append", sa);
            if (sd != RV_OK)
                die_status("decode", sd);
            for (uint32_t e = 0; e < q_heads * dim; e++)
                r->finite &= isfinite(out[e]) != 0;
            td[got] = (t2 - t1) * 1e6;
            ts[got] = (t2 - t0) * 1e6;
            got++;
        }
    }
    r->decode_us = median(td, samples);
    r->step_us = median(ts, samples);
    free(td);
    free(ts);
    free(k);
    free(v);
    free(q);
    free(ws);
    free(mem);
}

#define N_DEC 8

static void bench_decode(const options *op, decode_result res[N_DEC])
{
    static const uint32_t lens[4] = { 128, 1024, 8192, 65536 };
    printf("== Streaming decode: append one token + rv_attn_decode of its query ==\n");
    printf("AETHER (w32 b16 g{0} log-stride landmarks), 4 q heads, 1 kv head (MQA), dim 32;\n");
    printf("median over %s steps; 65536 is a ring of 65536 tokens that has wrapped\n",
           op->quick ? "256" : "4096");
    printf("%-8s %-5s %-5s %11s %13s %11s\n", "cached", "mode", "prec", "decode us",
           "append+dec us", "steps/s");
    for (uint32_t p = 0; p < 2; p++) {
        for (uint32_t t = 0; t < 4; t++) {
            decode_result *r = &res[p * 4 + t];
            r->len = lens[t];
            r->ring = t == 3;
            r->prec = p ? RV_KV_F16 : RV_KV_F32;
            bench_decode_one(op, r);
            printf("%-8u %-5s %-5s %11.3f %13.3f %11.0f\n", r->len,
                   r->ring ? "ring" : "flat", p ? "fp16" : "fp32", r->decode_us, r->step_us,
                   1e6 / r->step_us);
        }
    }
    printf("ratio decode@8192 / decode@128: fp32 %.2f, fp16 %.2f\n\n",
           res[2].decode_us / res[0].decode_us, res[6].decode_us / res[4].decode_us);
}

/* ------------------------------------------------------------- memory */

static void bench_memory(void)
{
    static const uint32_t lens[4] = { 128, 1024, 8192, 65536 };
    printf("== KV cache memory per stream (rv_kv_mem_size_ex), 1 kv head, dim 32, block 16 ==\n");
    printf("capacity = cached length; landmarks: every block (flat), 2x the ring's blocks (ring)\n");
    printf("%-8s %-5s %14s %14s %14s\n", "cached", "mode", "fp32 bytes", "fp16 bytes",
           "decode ws");
    const rv_attn_cfg cfg = cfg_aether();
    for (uint32_t t = 0; t < 4; t++) {
        size_t m[2];
        for (uint32_t p = 0; p < 2; p++) {
            rv_kv_opts o = { .capacity = lens[t], .kv_heads = 1, .dim = 32, .block_size = 16,
                             .precision = p ? RV_KV_F16 : RV_KV_F32, .ring = t == 3 };
            m[p] = rv_kv_mem_size_ex(&o);
        }
        printf("%-8u %-5s %14zu %14zu %14zu\n", lens[t], t == 3 ? "ring" : "flat", m[0], m[1],
               rv_attn_decode_workspace_size(&cfg, 4, 32));
    }
    printf("\n");
}

/* ------------------------------------------------------------- budgets */

static int budget_row(const char *what, const char *rust, double ours, double limit,
                      const char *unit, bool measured)
{
    char txt[48];
    if (measured)
        snprintf(txt, sizeof txt, "%.3f %s", ours, unit);
    else
        snprintf(txt, sizeof txt, "not run");
    const bool pass = measured && ours <= limit;
    printf("%-44s %-18s %-16s <= %-8g %s\n", what, rust, txt, limit,
           !measured ? "SKIP" : pass ? "PASS" : "FAIL");
    return measured && !pass;
}

static int budgets(const prefill_result *p, const decode_result *d)
{
    double p4096 = NAN, p1024 = NAN;
    for (uint32_t t = 0; t < p->count; t++) {
        if (p->n[t] == 4096)
            p4096 = p->aether_mha_ms[t];
        if (p->n[t] == 1024)
            p1024 = p->aether_mha_ms[t];
    }
    printf("== Budgets (docs/benchmarks.md; Rust ruvllm_sparse_attention 0.1.1 figures) ==\n");
    printf("%-44s %-18s %-16s %-11s %s\n", "work", "Rust crate", "ours", "budget", "result");
    int fails = 0;
    fails += budget_row("causal prefill N=4096 MHA, AETHER", "54 ms", p4096, 18, "ms",
                        !isnan(p4096));
    fails += budget_row("causal prefill N=1024 MHA, AETHER", "8.7 ms", p1024, 3, "ms",
                        !isnan(p1024));
    fails += budget_row("decode step T=128, 4q/1kv", "9.6 us", d[0].decode_us, 2, "us", true);
    fails += budget_row("decode step T=8192", "11-14 us", d[2].decode_us, 2, "us", true);
    fails += budget_row("decode step T=65536 (ring)", "22-27 us", d[3].decode_us, 2, "us", true);
    fails += budget_row("decode step fp16 cache T=8192", "33 us", d[6].decode_us, 3, "us", true);
    fails += budget_row("ratio decode@8192 / decode@128", "-", d[2].decode_us / d[0].decode_us,
                        1.5, "x", true);
    fails += budget_row("append+decode T=128 (stricter)", "-", d[0].step_us, 2, "us", true);
    fails += budget_row("append+decode T=8192 (stricter)", "-", d[2].step_us, 2, "us", true);
    fails += budget_row("append+decode T=65536 ring (stricter)", "-", d[3].step_us, 2, "us", true);
    fails += budget_row("append+decode fp16 T=8192 (stricter)", "-", d[6].step_us, 3, "us", true);
    bool finite = true;
    for (uint32_t t = 0; t < N_DEC; t++)
        finite &= d[t].finite;
    printf("%-44s %-18s %-16s %-11s %s\n", "KV cache full: ring keeps running, finite",
           "errors or panics", finite ? "runs" : "NaN/inf", "runs", finite ? "PASS" : "FAIL");
    fails += !finite;
    return fails;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rvbench [--quick] [--dense-max N] [--strict] [--help]\n"
            "  --quick        small sizes and few repeats (CI smoke run, ~1 s)\n"
            "  --dense-max N  run the dense reference only up to N tokens; larger N\n"
            "                 are extrapolated as N^2 and labelled (default: all)\n"
            "  --strict       exit with status 2 when a budget row fails\n"
            "  --help         this text\n"
            "Timings are one-thread medians from CLOCK_MONOTONIC; see docs/benchmarks.md.\n");
}

int main(int argc, char **argv)
{
    options op = { .dense_max = UINT32_MAX };
    const rvtool_opt table[] = {
        { "quick", RVTOOL_FLAG, &op.quick, 0, 0 },
        { "strict", RVTOOL_FLAG, &op.strict, 0, 0 },
        { "dense-max", RVTOOL_U32, &op.dense_max, 1, UINT32_MAX },
    };
    int first, st = rvtool_parse("rvbench", argc, argv, table, sizeof table / sizeof table[0],
                                 NULL, NULL, usage, &first);
    if (st < 0 && first < argc)
        st = rvtool_usage_error("rvbench", "unexpected argument '%s'", argv[first]);
    /* usage errors exit 1: status 2 is --strict's "a budget row failed" */
    if (st >= 0)
        return st ? 1 : 0;
    printf("rvbench: gst-rvcsi kernel benchmark, one thread%s\n\n",
           op.quick ? " (--quick: small sizes, timings not meaningful)" : "");
    prefill_result pr = { .count = 0 };
    decode_result dr[N_DEC];
    bench_prefill(&op, &pr);
    bench_decode(&op, dr);
    bench_memory();
    rvbench_models(op.quick);
    const int fails = budgets(&pr, dr);
    printf("\n%d budget row(s) failed%s\n", fails,
           op.quick ? " (quick mode: informational only)" : "");
    return op.strict && fails ? 2 : 0;
}
