/*
 * fuzz_rvne.c — libFuzzer target for the .rvne parser and the model.
 *
 * Every input is parsed twice: as given (mostly stops at the CRC) and with
 * its CRC footer recomputed, so mutations reach the header and section
 * checks. A blob that parses must build a model in a fixed buffer (when it
 * fits), run prefill and streaming steps with finite inputs, produce finite
 * or well-defined outputs without touching memory it was not given, and
 * survive a convert -> parse round trip with the same shape.
 */
#include <stdlib.h>
#include <string.h>

#include "rv_crc32.h"
#include "rv_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static uint8_t model_mem[64 * 1024];
static uint8_t stream_mem[256 * 1024];
static uint8_t ws_mem[512 * 1024];

static void run_model(const rv_rvne_info *info)
{
    size_t ms = rv_model_mem_size(info);
    CHECK(ms > 0);
    if (ms > sizeof model_mem || info->n_weights > 200000u)
        return;
    rv_status st;
    CHECK(rv_model_init(model_mem, ms - 1, info, &st) == NULL && st == RV_ERR_MEM);
    rv_model *m = rv_model_init(model_mem, ms, info, &st);
    CHECK(m != NULL && st == RV_OK);
    uint32_t din = rv_model_input_dim(m), d = rv_model_d_model(m);
    if (din > 256u || d > 256u)
        return;
    float x[4 * 256], e[4 * 256], es[256], lg[65536 / 64];
    for (uint32_t i = 0; i < 4u * din; i++)
        x[i] = (float)((int)(i * 7u % 11u) - 5) * 0.1f;
    size_t pw = rv_model_prefill_workspace_size(m, 4);
    if (pw > 0 && pw <= sizeof ws_mem) {
        st = rv_model_prefill(m, x, 4, e, ws_mem, pw);
        CHECK(st == RV_OK || st == RV_ERR_NOT_FINITE);   /* overflow is reported */
    }
    rv_model_stream_opts o = { 3, RV_KV_F32, true, 0 };
    size_t sm = rv_model_stream_mem_size(m, &o);
    size_t sw = rv_model_step_workspace_size(m);
    if (sm == 0 || sm > sizeof stream_mem || sw == 0 || sw > sizeof ws_mem)
        return;
    rv_model_stream *s = rv_model_stream_init(stream_mem, sm, m, &o, &st);
    CHECK(s != NULL);
    for (uint32_t i = 0; i < 4u; i++) {
        st = rv_model_step(m, s, x + i * din, es, ws_mem, sw);
        /* huge weights may overflow to inf: the step must say so */
        CHECK(st == RV_OK || st == RV_ERR_NOT_FINITE);
        if (st != RV_OK)
            break;
    }
    for (uint32_t h = 0; h < rv_model_n_heads(m); h++) {
        uint32_t nc = rv_model_n_classes(m, h);
        CHECK(nc >= 2);
        if (nc <= sizeof lg / sizeof lg[0]) {
            st = rv_model_head_logits(m, h, es, lg);
            CHECK(st == RV_OK || st == RV_ERR_NOT_FINITE);
        }
        for (uint32_t c = 0; c < nc && c < 64u; c++) {
            size_t len = 0;
            CHECK(rv_model_label(m, h, c, &len) != NULL && len > 0);
        }
    }
}

static void round_trip(const rv_rvne_info *info)
{
    size_t need = 0;
    if (rv_rvne_convert(info, 2, info->fp16, NULL, 0, &need) != RV_OK)
        return;   /* e.g. weights outside the fp16 range: nothing to check */
    uint8_t *out = malloc(need);
    CHECK(out != NULL);
    size_t w = 0;
    CHECK(rv_rvne_convert(info, 2, info->fp16, out, need, &w) == RV_OK && w == need);
    rv_rvne_info back;
    CHECK(rv_rvne_parse(out, w, &back) == RV_OK);
    CHECK(back.n_weights == info->n_weights && back.arch.n_heads == info->arch.n_heads &&
          back.arch.d_model == info->arch.d_model && back.rope_pairs == info->rope_pairs);
    free(out);
}

static void one(const uint8_t *buf, size_t size)
{
    rv_rvne_info info;
    rv_status st = rv_rvne_parse(buf, size, &info);
    if (st != RV_OK) {
        CHECK(info.err_detail != NULL);
        return;
    }
    run_model(&info);
    round_trip(&info);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size);
    if (size < 28 || size > (1u << 20))
        return 0;
    uint8_t *c = malloc(size);
    if (!c)
        return 0;
    memcpy(c, data, size);
    uint32_t crc = rv_crc32(c, size - 4);
    for (int i = 0; i < 4; i++)
        c[size - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
    one(c, size);
    free(c);
    return 0;
}
