/*
 * fw_budget.c — the figures `ninja firmware-budgets` prints (FW_BUDGET
 * builds of the runner, Cortex-M4F under qemu -icount): context and stack
 * bytes, executed instructions of push/classify/a cold window/a prefill, and
 * a sampled profile of a push. Each figure is a `B <key> <value>` line;
 * fwtool.py turns them into the report.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fw_arena.h"
#include "fw_budget.h"
#include "fw_out.h"
#include "fw_port.h"
#include "ruv_temporal.h"
#include "rv_kv.h"
#include "rv_model.h"

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
    o.capacity = FW_WINDOW;
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
    for (uint32_t t = 0; t < FW_WINDOW + 40u; t++) {
        fw_fill(k, a->kv_heads * a->head_dim, 100u + t, 1.0f);
        if (rv_kv_append(kv, k, k) != RV_OK)
            return 0;
    }
    fw_fill(q, a->q_heads * a->head_dim, 99u, 1.0f);
    uint64_t t0 = fw_insn_count();
    rv_status st = rv_attn_decode(cfg, kv, a->q_heads, q, out, ws, ws_n);
    uint64_t t1 = fw_insn_count();
    return st == RV_OK ? t1 - t0 : 0;
}

/* The batch alternative: one rv_model_prefill over a whole 256-frame window
 * (what a classify that recomputes its window would run). Reports the
 * instruction count and the workspace it needs. */
static _Alignas(16) uint8_t b_prefill_ws[1u << 20];
static float b_frames[FW_WINDOW * FW_MAX_DIM];
static float b_emb[FW_WINDOW * 64u];

static void prefill_cost(const fw_model_src *m, const rv_model *model)
{
    size_t ws_n = rv_model_prefill_workspace_size(model, FW_WINDOW);
    fw_out_budget("prefill_ws", ws_n);
    if (ws_n == 0 || ws_n > sizeof(b_prefill_ws) || rv_model_d_model(model) > 64u) {
        fw_out_budget("prefill_256", 0);
        return;
    }
    for (uint32_t t = 0; t < FW_WINDOW; t++)
        fw_feature_frame(t, m->in_dim, b_frames + t * m->in_dim);
    uint64_t t0 = fw_insn_count();
    rv_status st = rv_model_prefill(model, b_frames, FW_WINDOW, b_emb, b_prefill_ws, ws_n);
    uint64_t t1 = fw_insn_count();
    fw_out_budget("prefill_256", st == RV_OK ? t1 - t0 : 0);
}

/* Instructions per call of a libm function the model uses, over 64 calls. */
static uint64_t per_call(float (*f)(float))
{
    volatile float sink = 0.0f;
    uint64_t t0 = fw_insn_count();
    for (uint32_t i = 0; i < 64u; i++)
        sink += f(fw_unit(i, 41u) * 4.0f);
    (void)sink;
    return (fw_insn_count() - t0) / 64u;
}

static float neg_expf(float x) { return expf(-x * x); }

/* Cold window, steady-state push and classify for one cache precision. */
static bool measure(const fw_model_src *m, bool fp16)
{
    float x[FW_MAX_DIM], logits[FW_MAX_CLASSES];
    ruv_temporal_ctx_t *ctx = NULL;
    const ruv_temporal_opts opts = { fp16, 0 };
    static char key[40];
    const char *sfx = fp16 ? "_f16" : "_f32";
#define KEY(k) (strcat(strcpy(key, k), sfx))
    bool ok = ruv_temporal_init_ex(m->blob, m->len, m->in_dim, FW_WINDOW, m->n_cls,
                                   &opts, &ctx) == ESP_OK;
    /* cold: a fresh context through a whole window, then one classify */
    uint64_t t0 = fw_insn_count();
    for (uint32_t t = 0; ok && t < FW_WINDOW; t++) {
        fw_feature_frame(t, m->in_dim, x);
        ok = ruv_temporal_push(ctx, x) == ESP_OK;
    }
    ok = ok && ruv_temporal_classify(ctx, logits, m->n_cls) == ESP_OK;
    fw_out_budget(KEY("window_fill"), fw_insn_count() - t0);
    for (uint32_t t = FW_WINDOW; ok && t < FW_WINDOW + 64u; t++) {
        fw_feature_frame(t, m->in_dim, x);
        ok = ruv_temporal_push(ctx, x) == ESP_OK;
    }
    /* steady state: the window is full, the ring evicts the oldest frame */
    fw_feature_frame(FW_WINDOW + 64u, m->in_dim, x);
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

void fw_budgets(const fw_model_src *m)
{
    ruv_temporal_ctx_t *ctx = NULL;
    uint64_t expect, got = fw_insn_calibrate(&expect);
    fw_out_budget("calib_expect", expect);
    fw_out_budget("calib_insns", got);
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
    const uint32_t lm = FW_WINDOW / rv_model_attn_cfg(model)->block_size;
    const ruv_temporal_opts o16l = { true, lm };
    fw_out_budget("ctx_f32", ruv_temporal_mem_size_ex(m->blob, m->len, FW_WINDOW, &o32));
    fw_out_budget("ctx_f16", ruv_temporal_mem_size_ex(m->blob, m->len, FW_WINDOW, &o16));
    fw_out_budget("ctx_f16_lm", ruv_temporal_mem_size_ex(m->blob, m->len, FW_WINDOW, &o16l));
    fw_out_budget("lm_blocks", lm);
    rv_model_stream_opts so32 = { FW_WINDOW, RV_KV_F32, true, 0 };
    rv_model_stream_opts so16 = { FW_WINDOW, RV_KV_F16, true, 0 };
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
    ok = ok && ruv_temporal_init(m->blob, m->len, m->in_dim, FW_WINDOW, m->n_cls, &ctx) == ESP_OK;
    fw_out_budget("stack_init", fw_stack_used());
    ruv_temporal_destroy(ctx);
    fw_stack_paint();
    ok = ok && ruv_temporal_kernel_self_test() == ESP_OK;
    fw_out_budget("stack_self_test", fw_stack_used());
    fw_out_budget("self_test_block", fw_arena_last_size());

    /* where the instructions go: the fp32 cold window again, sampled (kept
     * apart from the counts above, which the sampling interrupt would add to) */
    float x[FW_MAX_DIM];
    ok = ok && ruv_temporal_init(m->blob, m->len, m->in_dim, FW_WINDOW, m->n_cls, &ctx) == ESP_OK;
    fw_profile_start(PROFILE_TICKS);
    for (uint32_t t = 0; ok && t < FW_WINDOW; t++) {
        fw_feature_frame(t, m->in_dim, x);
        ok = ruv_temporal_push(ctx, x) == ESP_OK;
    }
    fw_profile_stop();
    ruv_temporal_destroy(ctx);
    fw_profile_dump();
    fw_out_check("budget_run", ok);
}
