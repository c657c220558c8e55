/* export.c — trained network -> .rvne blob; see export.h. */
#include "export.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rv_rvne.h"

static void say(char *err, size_t len, const char *fmt, ...)
{
    if (!err || !len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

/* The trainer declares tensors in file order; prove it against the
 * kernel's layout before writing (a mismatch would silently scramble). */
static bool layout_matches(const rvt_net *net, char *err, size_t err_len)
{
    const rv_rvne_arch *a = &net->cfg.arch;
    if (rv_rvne_arch_check(a) != RV_OK) {
        say(err, err_len, "architecture rejected by the .rvne format: %s",
            rv_status_str(rv_rvne_arch_check(a)));
        return false;
    }
    if (rv_rvne_weight_count(a) != net->P.total ||
        rv_rvne_tensor_count(a) != net->P.n) {
        say(err, err_len, "weight layout differs from the .rvne format (%u tensors)",
            rv_rvne_tensor_count(a));
        return false;
    }
    for (uint32_t i = 0; i < net->P.n; i++) {
        rv_rvne_tensor t;
        if (rv_rvne_tensor_at(a, i, &t) != RV_OK ||
            t.offset != net->P.t[i].off ||
            (uint64_t)t.rows * t.cols != (uint64_t)net->P.t[i].rows * net->P.t[i].cols) {
            say(err, err_len, "tensor %s does not match the .rvne layout (index %u)",
                net->P.t[i].name, i);
            return false;
        }
    }
    return true;
}

uint8_t *rvt_export_blob(const rvt_net *net, const rvt_export_info *info,
                         size_t *len, char *err, size_t err_len)
{
    if (!layout_matches(net, err, err_len))
        return NULL;
    const rvt_net_cfg *c = &net->cfg;
    rv_rvne_head_spec head = { info->head_name, info->labels };
    rv_rvne_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.version = RV_RVNE_VERSION;
    spec.fp16 = info->fp16;
    spec.arch = c->arch;
    spec.attn = &c->attn;
    if (c->has_feat_norm) {
        spec.feat_mean = c->feat_mean;
        spec.feat_inv_std = c->feat_inv_std;
    }
    spec.rope_pairs = c->rope_pairs;
    spec.rope_periods = c->rope_periods;
    spec.heads = &head;
    spec.has_prov = true;
    spec.prov_seed = info->seed;
    spec.prov_accuracy = info->accuracy;
    spec.prov_trainer = "rvtrain (gst-rvcsi)";
    spec.prov_dataset = info->dataset;
    spec.prov_notes = info->notes;
    spec.input_kind = info->input_kind;
    spec.input_layout = info->input_layout;

    rv_status st = RV_OK;
    size_t need = rv_rvne_write_size(&spec, &st);
    if (need == 0) {
        say(err, err_len, ".rvne writer rejected the model: %s", rv_status_str(st));
        return NULL;
    }
    float *w = malloc(net->P.total * sizeof *w);
    uint8_t *out = malloc(need);
    if (!w || !out) {
        free(w);
        free(out);
        say(err, err_len, "out of memory (%zu bytes)", need);
        return NULL;
    }
    for (size_t i = 0; i < net->P.total; i++)
        w[i] = (float)net->P.w[i];
    size_t written = 0;
    st = rv_rvne_write(&spec, w, net->P.total, out, need, &written);
    free(w);
    if (st != RV_OK) {
        free(out);
        say(err, err_len, "rv_rvne_write: %s", rv_status_str(st));
        return NULL;
    }
    *len = written;
    return out;
}

bool rvt_export_file(const rvt_net *net, const rvt_export_info *info,
                     const char *path, char *err, size_t err_len)
{
    size_t len = 0;
    uint8_t *blob = rvt_export_blob(net, info, &len, err, err_len);
    if (!blob)
        return false;
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(blob, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    free(blob);
    if (!ok)
        say(err, err_len, "cannot write %s", path);
    return ok;
}
