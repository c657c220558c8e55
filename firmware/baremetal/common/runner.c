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
 *      paths, one allocation, packet round trip through the wire decoder,
 *      for both KV cache precisions
 *   4. the motion detector on a real quiet-to-motion stretch (fw_motion.c)
 *   5. FW_BUDGET builds add fw_budget.c: sizes, stack, instruction counts
 *
 * Inputs and the model blob come from fw_inputs.c.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fw_arena.h"
#include "fw_budget.h"
#include "fw_inputs.h"
#include "fw_motion.h"
#include "fw_out.h"
#include "fw_port.h"
#include "ruv_temporal.h"
#include "ruv_temporal_pkt.h"
#include "rv_attn.h"
#include "rv_kv.h"
#include "rv_wire.h"

#define N_FRAMES       320u
#define CLASSIFY_EVERY 16u

/* ---- 2. attention ------------------------------------------------------- */

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
    fw_fill(a_q, A_QN, 11u, 1.0f);
    fw_fill(a_k, A_KN, 12u, 1.0f);
    fw_fill(a_v, A_KN, 13u, 1.0f);

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

static void test_abi(const fw_model_src *m, bool fp16)
{
    const ruv_temporal_opts opts = { fp16, 0 };
    char name[40];
    float x[FW_MAX_DIM], logits[FW_MAX_CLASSES], all[(N_FRAMES / CLASSIFY_EVERY) * FW_MAX_CLASSES];
    uint32_t n_all = 0;
    ruv_temporal_ctx_t *ctx = NULL;
    uint32_t allocs0 = fw_arena_allocs();

    fw_out_check(fp16 ? "abi_init_kv_f16" : "abi_init_kv_f32",
                 ruv_temporal_init_ex(m->blob, m->len, m->in_dim, FW_WINDOW, m->n_cls,
                                      &opts, &ctx) == ESP_OK && ctx);
    fw_out_check("abi_mem_size", fw_arena_last_size() ==
                 ruv_temporal_mem_size_ex(m->blob, m->len, FW_WINDOW, &opts));
    fw_out_check("abi_classify_too_early",
                 ruv_temporal_classify(ctx, logits, m->n_cls) == ESP_ERR_INVALID_STATE);
    bool ok = true;
    for (uint32_t t = 0; t < N_FRAMES; t++) {
        fw_feature_frame(t, m->in_dim, x);
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

    float bad[FW_MAX_DIM];
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
                 ruv_temporal_init(m->blob, 27u, m->in_dim, FW_WINDOW, m->n_cls, &ctx) ==
                 ESP_ERR_INVALID_SIZE);
}

int fw_main(void)
{
    fw_write("gst-rvcsi firmware runner\n");
    fw_out_check("kernel_self_test", ruv_temporal_kernel_self_test() == ESP_OK);
    test_attention();
    fw_model_src m;
    memset(&m, 0, sizeof(m));
    bool have = fw_model_source(&m);
    fw_out_check("model_shipped_blob", have);
    if (have) {
        test_abi(&m, false);
        test_abi(&m, true);
#ifdef FW_BUDGET
        fw_budgets(&m);
#endif
    }
    fw_motion_run();
    bool pass = fw_out_failures() == 0;
    fw_write(pass ? "RESULT PASS\n" : "RESULT FAIL\n");
    return pass ? 0 : 1;
}
