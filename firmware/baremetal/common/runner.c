/*
 * runner.c — the firmware proof: one program built for the host and for each
 * bare-metal target (fwtool.py), printing every float result as its bit
 * pattern so the target's numbers can be compared with the host's.
 *
 *   1. ruv_temporal_kernel_self_test()
 *   2. sparse attention: causal forward (windows, globals, log-stride,
 *      landmarks, GQA), the dense reference, and streaming decode from a KV
 *      cache at every position (checked against the forward here too)
 *   3. the ABI: init with the model blob at a 256-frame window, a fixed
 *      feature sequence pushed frame by frame, logits every 16 frames, error
 *      paths, one allocation, packet round trip through the wire decoder
 *   4. FW_BUDGET builds: context size, stack high-water, instruction counts
 *
 * The model is the shipped feature-state model (models/rvcsi-state.rvne,
 * embedded by fwtool.py as fw_model_blob) when the tree has one; otherwise a
 * deterministic model written here by the kernel's own blob writer.
 * Inputs come from an integer hash, so no libm call decides an input.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fw_arena.h"
#include "fw_out.h"
#include "fw_port.h"
#include "ruv_temporal.h"
#include "ruv_temporal_pkt.h"
#include "rv_attn.h"
#include "rv_kv.h"
#include "rv_model.h"
#include "rv_rvne.h"
#include "rv_wire.h"

extern const uint8_t fw_model_blob[];
extern const size_t fw_model_blob_len;

#define WINDOW      256u
#define N_FRAMES    320u
#define CLASSIFY_EVERY 16u
#define MAX_DIM     64u
#define MAX_CLASSES 32u

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

/* Uniform in [-1, 1), exact in fp32. */
static float unit(uint32_t i, uint32_t seed)
{
    return (float)(hash32(i ^ (seed * 0x27d4eb2fu)) >> 8) * (2.0f / 16777216.0f) - 1.0f;
}

static void fill(float *x, uint32_t n, uint32_t seed, float scale)
{
    for (uint32_t i = 0; i < n; i++)
        x[i] = unit(i, seed) * scale;
}

/* ---- 2. attention ------------------------------------------------------ */

#define A_SEQ 40u
#define A_QH  4u
#define A_KVH 2u
#define A_DIM 8u
#define A_QN  (A_SEQ * A_QH * A_DIM)
#define A_KN  (A_SEQ * A_KVH * A_DIM)

static float a_q[A_QN], a_k[A_KN], a_v[A_KN], a_out[A_QN], a_ref[A_QN];
static _Alignas(16) uint8_t a_ws[32768];

static void test_attention(void)
{
    static const uint32_t globals[2] = { 0u, 5u };
    const rv_attn_cfg cfg = { 6u, 4u, globals, 2u, true, true, true };
    const rv_shape shape = { A_SEQ, A_QH, A_KVH, A_DIM };
    fill(a_q, A_QN, 11u, 1.0f);
    fill(a_k, A_KN, 12u, 1.0f);
    fill(a_v, A_KN, 13u, 1.0f);

    size_t n = rv_attn_workspace_size(&cfg, shape);
    bool ok = n <= sizeof(a_ws) &&
              rv_attn_forward(&cfg, shape, a_q, a_k, a_v, a_out, a_ws, n) == RV_OK;
    fw_out_check("attn_forward", ok);
    fw_out_values("attn_forward", a_out, A_QN);

    n = rv_attn_dense_workspace_size(shape);
    ok = n <= sizeof(a_ws) &&
         rv_attn_dense(shape, true, a_q, a_k, a_v, a_ref, a_ws, n) == RV_OK;
    fw_out_check("attn_dense", ok);
    fw_out_values("attn_dense", a_ref, A_QN);

    /* decode every position from a KV cache == forward at that position */
    size_t kv_n = rv_kv_mem_size(A_SEQ, A_KVH, A_DIM, cfg.block_size);
    size_t dec_n = rv_attn_decode_workspace_size(&cfg, A_QH, A_DIM);
    rv_kv *kv = kv_n + rv_align_size(dec_n) <= sizeof(a_ws)
                    ? rv_kv_init(a_ws, kv_n, A_SEQ, A_KVH, A_DIM, cfg.block_size) : NULL;
    void *dec = a_ws + rv_align_size(kv_n);
    float worst = 0.0f;
    ok = kv != NULL;
    for (uint32_t i = 0; ok && i < A_SEQ; i++) {
        const uint32_t qr = A_QH * A_DIM, kr = A_KVH * A_DIM;
        ok = rv_kv_append(kv, a_k + i * kr, a_v + i * kr) == RV_OK &&
             rv_attn_decode(&cfg, kv, A_QH, a_q + i * qr, a_ref + i * qr, dec, dec_n) == RV_OK;
        for (uint32_t j = 0; ok && j < qr; j++) {
            float d = fabsf(a_ref[i * qr + j] - a_out[i * qr + j]);
            worst = d > worst ? d : worst;
        }
    }
    fw_out_check("attn_decode_vs_forward", ok && worst <= 1e-5f);
    fw_out_values("attn_decode", a_ref, A_QN);
}

/* ---- 3. the ABI with the model ------------------------------------------ */

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
        mean[i] = unit(i, 21u) * 0.25f;
        inv_std[i] = 1.0f + 0.5f * unit(i, 22u);
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
    fill(gen_w, (uint32_t)nw, 23u, 0.35f);
    rv_status st;
    size_t need = rv_rvne_write_size(&s, &st);
    if (need == 0 || need > sizeof(gen_blob) ||
        rv_rvne_write(&s, gen_w, nw, gen_blob, sizeof(gen_blob), len) != RV_OK)
        return NULL;
    return gen_blob;
}

/* Frame t of the fixed feature sequence: slow triangle waves (motion,
 * presence, breathing-like), a step change at frame 160, hash noise. */
static void feature_frame(uint32_t t, uint32_t dim, float *x)
{
    for (uint32_t i = 0; i < dim; i++) {
        uint32_t period = 16u + 7u * i;
        uint32_t ph = (t + 3u * i) % period;
        float tri = (float)(ph < period / 2u ? ph : period - ph) / (float)(period / 2u);
        float level = t >= 160u ? 0.75f : -0.25f;
        x[i] = tri + level * (float)(i % 3u) + 0.1f * unit(t * 64u + i, 31u);
    }
}

typedef struct {
    const uint8_t *blob;
    size_t len;
    rv_rvne_info info;
    uint32_t in_dim, n_cls;
} model_src;

static bool model_source(model_src *m)
{
    m->blob = fw_model_blob_len ? fw_model_blob : generated_blob(&m->len);
    if (fw_model_blob_len)
        m->len = fw_model_blob_len;
    if (!m->blob || rv_rvne_parse(m->blob, m->len, &m->info) != RV_OK)
        return false;
    m->in_dim = m->info.arch.input_dim;
    m->n_cls = m->info.arch.head_classes[0];
    return m->in_dim <= MAX_DIM && m->n_cls <= MAX_CLASSES;
}

static void test_abi(const model_src *m, bool fp16)
{
    const ruv_temporal_opts opts = { fp16, 0 };
    char name[40];
    float x[MAX_DIM], logits[MAX_CLASSES], all[(N_FRAMES / CLASSIFY_EVERY) * MAX_CLASSES];
    uint32_t n_all = 0;
    ruv_temporal_ctx_t *ctx = NULL;
    uint32_t allocs0 = fw_arena_allocs();

    fw_out_check(fp16 ? "abi_init_kv_f16" : "abi_init_kv_f32",
                 ruv_temporal_init_ex(m->blob, m->len, m->in_dim, WINDOW, m->n_cls,
                                      &opts, &ctx) == ESP_OK && ctx);
    fw_out_check("abi_mem_size", fw_arena_last_size() ==
                 ruv_temporal_mem_size_ex(m->blob, m->len, WINDOW, &opts));
    fw_out_check("abi_classify_too_early",
                 ruv_temporal_classify(ctx, logits, m->n_cls) == ESP_ERR_INVALID_STATE);
    bool ok = true;
    for (uint32_t t = 0; t < N_FRAMES; t++) {
        feature_frame(t, m->in_dim, x);
        ok &= ruv_temporal_push(ctx, x) == ESP_OK;
        if ((t + 1u) % CLASSIFY_EVERY == 0 && t + 1u >= ruv_temporal_min_frames(ctx)) {
            ok &= ruv_temporal_classify(ctx, logits, m->n_cls) == ESP_OK;
            memcpy(all + n_all, logits, m->n_cls * sizeof(float));
            n_all += m->n_cls;
        }
    }
    fw_out_check("abi_push_classify", ok && ruv_temporal_frames(ctx) == N_FRAMES);
    fw_out_check("abi_one_allocation", fw_arena_allocs() - allocs0 == 1u);
    strcpy(name, fp16 ? "model_logits_kv_f16" : "model_logits_kv_f32");
    fw_out_values(name, all, n_all);

    /* the 0xC5110007 packet of the last result decodes to the same fields */
    uint8_t pkt[RUV_TEMPORAL_PKT_SIZE];
    rv_pkt dec;
    ok = ruv_temporal_pkt_build(logits, m->n_cls, 7u, 123456789u, 42u, pkt, sizeof(pkt)) == ESP_OK &&
         rv_pkt_decode(pkt, sizeof(pkt), &dec) == RV_OK && dec.kind == RV_PKT_CLASSIFICATION &&
         dec.u.cls.n_classes == m->n_cls && dec.u.cls.seq == 42u && dec.u.cls.node_id == 7u;
    uint32_t best = 0;
    for (uint32_t c = 1; c < m->n_cls; c++)
        best = logits[c] > logits[best] ? c : best;
    ok = ok && dec.u.cls.argmax == best && dec.u.cls.top_logit == logits[best];
    fw_out_check("abi_packet_roundtrip", ok);

    float bad[MAX_DIM];
    memcpy(bad, x, sizeof(bad));
    bad[0] = NAN;
    fw_out_check("abi_push_nan", ruv_temporal_push(ctx, bad) == ESP_ERR_INVALID_ARG &&
                 ruv_temporal_frames(ctx) == N_FRAMES);
    fw_out_check("abi_classify_wrong_classes",
                 ruv_temporal_classify(ctx, logits, m->n_cls + 1u) == ESP_ERR_INVALID_ARG);
    ruv_temporal_destroy(ctx);
    /* the arena keeps the bytes mapped, so the dead-context guard is visible */
    fw_out_check("abi_push_after_destroy",
                 ruv_temporal_push(ctx, x) == ESP_ERR_INVALID_STATE);
    fw_out_check("abi_init_corrupt_blob",
                 ruv_temporal_init(m->blob, 27u, m->in_dim, WINDOW, m->n_cls, &ctx) ==
                 ESP_ERR_INVALID_SIZE);
}

/* ---- 4. budgets ------------------------------------------------------------ */

#ifdef FW_BUDGET
/* Profiler period in 25 MHz ticks (x40 instructions): 13 -> a sample every
 * 520 instructions, odd so it does not lock onto power-of-two loops. */
#define PROFILE_TICKS 13u

static _Alignas(16) uint8_t b_model_mem[4096];
static _Alignas(16) uint8_t b_kv_mem[81920];

/* Instructions of one rv_attn_decode at the model's attention config and
 * head shape over a full 256-frame ring cache (one layer's attention). */
static uint64_t decode_cost(const rv_model *model)
{
    const rv_rvne_arch *a = &rv_model_info(model)->arch;
    const rv_attn_cfg *cfg = rv_model_attn_cfg(model);
    rv_kv_opts o;
    memset(&o, 0, sizeof(o));
    o.capacity = WINDOW;
    o.kv_heads = a->kv_heads;
    o.dim = a->head_dim;
    o.block_size = cfg->block_size;
    o.ring = true;
    size_t kv_n = rv_kv_mem_size_ex(&o);
    size_t ws_n = rv_attn_decode_workspace_size(cfg, a->q_heads, a->head_dim);
    float k[64], q[256], out[256];
    if (kv_n + rv_align_size(ws_n) > sizeof(b_kv_mem) ||
        a->kv_heads * a->head_dim > 64u || a->q_heads * a->head_dim > 256u)
        return 0;
    rv_kv *kv = rv_kv_init_ex(b_kv_mem, kv_n, &o);
    void *ws = b_kv_mem + rv_align_size(kv_n);
    if (!kv)
        return 0;
    for (uint32_t t = 0; t < WINDOW + 40u; t++) {
        fill(k, a->kv_heads * a->head_dim, 100u + t, 1.0f);
        if (rv_kv_append(kv, k, k) != RV_OK)
            return 0;
    }
    fill(q, a->q_heads * a->head_dim, 99u, 1.0f);
    uint64_t t0 = fw_insn_count();
    rv_status st = rv_attn_decode(cfg, kv, a->q_heads, q, out, ws, ws_n);
    uint64_t t1 = fw_insn_count();
    return st == RV_OK ? t1 - t0 : 0;
}

/* The batch alternative: one rv_model_prefill over a whole 256-frame window
 * (what a classify that recomputes its window would run). Reports the
 * instruction count and the workspace it needs. */
static _Alignas(16) uint8_t b_prefill_ws[1u << 20];
static float b_frames[WINDOW * MAX_DIM];
static float b_emb[WINDOW * 64u];

static void prefill_cost(const model_src *m, const rv_model *model)
{
    size_t ws_n = rv_model_prefill_workspace_size(model, WINDOW);
    fw_out_budget("prefill_ws", ws_n);
    if (ws_n == 0 || ws_n > sizeof(b_prefill_ws) || rv_model_d_model(model) > 64u) {
        fw_out_budget("prefill_256", 0);
        return;
    }
    for (uint32_t t = 0; t < WINDOW; t++)
        feature_frame(t, m->in_dim, b_frames + t * m->in_dim);
    uint64_t t0 = fw_insn_count();
    rv_status st = rv_model_prefill(model, b_frames, WINDOW, b_emb, b_prefill_ws, ws_n);
    uint64_t t1 = fw_insn_count();
    fw_out_budget("prefill_256", st == RV_OK ? t1 - t0 : 0);
}

/* Instructions per call of a libm function the model uses, over 64 calls. */
static uint64_t per_call(float (*f)(float))
{
    volatile float sink = 0.0f;
    uint64_t t0 = fw_insn_count();
    for (uint32_t i = 0; i < 64u; i++)
        sink += f(unit(i, 41u) * 4.0f);
    (void)sink;
    return (fw_insn_count() - t0) / 64u;
}

static float neg_expf(float x) { return expf(-x * x); }

/* Cold window, steady-state push and classify for one cache precision. */
static bool measure(const model_src *m, bool fp16)
{
    float x[MAX_DIM], logits[MAX_CLASSES];
    ruv_temporal_ctx_t *ctx = NULL;
    const ruv_temporal_opts opts = { fp16, 0 };
    static char key[40];
    const char *sfx = fp16 ? "_f16" : "_f32";
#define KEY(k) (strcat(strcpy(key, k), sfx))
    bool ok = ruv_temporal_init_ex(m->blob, m->len, m->in_dim, WINDOW, m->n_cls,
                                   &opts, &ctx) == ESP_OK;
    /* cold: a fresh context through a whole window, then one classify */
    uint64_t t0 = fw_insn_count();
    for (uint32_t t = 0; ok && t < WINDOW; t++) {
        feature_frame(t, m->in_dim, x);
        ok = ruv_temporal_push(ctx, x) == ESP_OK;
    }
    ok = ok && ruv_temporal_classify(ctx, logits, m->n_cls) == ESP_OK;
    fw_out_budget(KEY("window_fill"), fw_insn_count() - t0);
    for (uint32_t t = WINDOW; ok && t < WINDOW + 64u; t++) {
        feature_frame(t, m->in_dim, x);
        ok = ruv_temporal_push(ctx, x) == ESP_OK;
    }
    /* steady state: the window is full, the ring evicts the oldest frame */
    feature_frame(WINDOW + 64u, m->in_dim, x);
    fw_stack_paint();
    t0 = fw_insn_count();
    ok = ok && ruv_temporal_push(ctx, x) == ESP_OK;
    uint64_t t1 = fw_insn_count();
    fw_out_budget(KEY("stack_push"), fw_stack_used());
    fw_out_budget(KEY("push_steady"), t1 - t0);
    fw_stack_paint();
    t0 = fw_insn_count();
    ok = ok && ruv_temporal_classify(ctx, logits, m->n_cls) == ESP_OK;
    t1 = fw_insn_count();
    fw_out_budget(KEY("stack_classify"), fw_stack_used());
    fw_out_budget(KEY("classify"), t1 - t0);
#undef KEY
    ruv_temporal_destroy(ctx);
    return ok;
}

static void budgets(const model_src *m)
{
    ruv_temporal_ctx_t *ctx = NULL;
    uint64_t expect, got = fw_insn_calibrate(&expect);
    fw_out_budget("calib_expect", expect);
    fw_out_budget("calib_insns", got);
    fw_out_budget("model_id", fw_model_blob_len ? 1u : 0u);
    fw_out_budget("blob_bytes", m->len);
    fw_out_budget("input_dim", m->in_dim);
    fw_out_budget("d_model", m->info.arch.d_model);
    fw_out_budget("n_layers", m->info.arch.n_layers);
    fw_out_budget("d_ff", m->info.arch.d_ff);
    fw_out_budget("q_heads", m->info.arch.q_heads);
    fw_out_budget("kv_heads", m->info.arch.kv_heads);
    fw_out_budget("head_dim", m->info.arch.head_dim);
    fw_out_budget("n_classes", m->n_cls);
    rv_status st;
    rv_model *model = rv_model_mem_size(&m->info) <= sizeof(b_model_mem)
        ? rv_model_init(b_model_mem, sizeof(b_model_mem), &m->info, &st) : NULL;
    if (!model) {
        fw_out_check("budget_model", false);
        return;
    }
    fw_out_budget("model_obj", rv_model_mem_size(&m->info));
    const ruv_temporal_opts o32 = { false, 0 }, o16 = { true, 0 };
    /* landmarks limited to the ring's own reach */
    const uint32_t lm = WINDOW / rv_model_attn_cfg(model)->block_size;
    const ruv_temporal_opts o16l = { true, lm };
    fw_out_budget("ctx_f32", ruv_temporal_mem_size_ex(m->blob, m->len, WINDOW, &o32));
    fw_out_budget("ctx_f16", ruv_temporal_mem_size_ex(m->blob, m->len, WINDOW, &o16));
    fw_out_budget("ctx_f16_lm", ruv_temporal_mem_size_ex(m->blob, m->len, WINDOW, &o16l));
    fw_out_budget("lm_blocks", lm);
    rv_model_stream_opts so32 = { WINDOW, RV_KV_F32, true, 0 };
    rv_model_stream_opts so16 = { WINDOW, RV_KV_F16, true, 0 };
    fw_out_budget("stream_f32", rv_model_stream_mem_size(model, &so32));
    fw_out_budget("stream_f16", rv_model_stream_mem_size(model, &so16));
    fw_out_budget("step_ws", rv_model_step_workspace_size(model));
    fw_out_budget("attn_window", rv_model_attn_cfg(model)->window);
    fw_out_budget("decode_one_layer", decode_cost(model));
    prefill_cost(m, model);
    fw_out_budget("libm_expf", per_call(neg_expf));
    fw_out_budget("libm_sinf", per_call(sinf));
    fw_out_budget("libm_cosf", per_call(cosf));

    bool ok = measure(m, false) && measure(m, true);
    fw_stack_paint();
    ok = ok && ruv_temporal_init(m->blob, m->len, m->in_dim, WINDOW, m->n_cls, &ctx) == ESP_OK;
    fw_out_budget("stack_init", fw_stack_used());
    ruv_temporal_destroy(ctx);
    fw_stack_paint();
    ok = ok && ruv_temporal_kernel_self_test() == ESP_OK;
    fw_out_budget("stack_self_test", fw_stack_used());

    /* where the instructions go: the fp32 cold window again, sampled (kept
     * apart from the counts above, which the sampling interrupt would add to) */
    float x[MAX_DIM];
    ok = ok && ruv_temporal_init(m->blob, m->len, m->in_dim, WINDOW, m->n_cls, &ctx) == ESP_OK;
    fw_profile_start(PROFILE_TICKS);
    for (uint32_t t = 0; ok && t < WINDOW; t++) {
        feature_frame(t, m->in_dim, x);
        ok = ruv_temporal_push(ctx, x) == ESP_OK;
    }
    fw_profile_stop();
    ruv_temporal_destroy(ctx);
    fw_profile_dump();
    fw_out_check("budget_run", ok);
}
#endif

int fw_main(void)
{
    fw_write("gst-rvcsi firmware runner\n");
    fw_out_check("kernel_self_test", ruv_temporal_kernel_self_test() == ESP_OK);
    test_attention();
    model_src m;
    memset(&m, 0, sizeof(m));
    bool have = model_source(&m);
    fw_out_check(fw_model_blob_len ? "model_shipped_blob" : "model_generated_blob", have);
    if (have) {
        test_abi(&m, false);
        test_abi(&m, true);
#ifdef FW_BUDGET
        budgets(&m);
#endif
    }
    bool pass = fw_out_failures() == 0;
    fw_write(pass ? "RESULT PASS\n" : "RESULT FAIL\n");
    return pass ? 0 : 1;
}
