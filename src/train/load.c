/* load.c — an existing .rvne as the starting point of training; see load.h. */
#include "load.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BLOB (64u << 20)

static bool say(char *err, size_t len, const char *fmt, ...)
{
    if (err && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, len, fmt, ap);
        va_end(ap);
    }
    return false;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static float lef32(const uint8_t *p)
{
    uint32_t u = le32(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Everything that decides the weight layout or what a weight means, named
 * as the rvtrain option that sets it. */
static bool same_shape(const rvt_net_cfg *c, const rv_rvne_info *in,
                       char *err, size_t len)
{
    const rv_rvne_arch *a = &c->arch, *b = &in->arch;
    const rv_rvne_attn *x = &c->attn, *y = &in->attn;
    const struct { const char *what; uint32_t run, blob; } f[] = {
        { "heads of the model (the trainer has one)", a->n_heads, b->n_heads },
        { "input dim (--input)", a->input_dim, b->input_dim },
        { "--layers", a->n_layers, b->n_layers },
        { "--d-model", a->d_model, b->d_model },
        { "--heads", a->q_heads, b->q_heads },
        { "--kv-heads", a->kv_heads, b->kv_heads },
        { "--head-dim", a->head_dim, b->head_dim },
        { "--ffn", a->d_ff, b->d_ff },
        { "input projection (0/1)", a->input_proj, b->input_proj },
        { "layer norms (0/1)", a->norm, b->norm },
        { "head bias (0/1)", a->head_bias, b->head_bias },
        { "classes (the data's labels and --map)", a->head_classes[0], b->head_classes[0] },
        { "--window", x->window, y->window },
        { "--block", x->block_size, y->block_size },
        { "global tokens", x->n_globals, y->n_globals },
        { "log-stride tokens (0/1, --no-log-stride)", x->log_stride, y->log_stride },
        { "landmarks (0/1, --no-landmarks)", x->landmarks, y->landmarks },
        { "--rope-pairs", c->rope_pairs, in->rope_pairs },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].run != f[i].blob)
            return say(err, len, "architecture differs: %s is %u in this run, %u in the model",
                       f[i].what, f[i].run, f[i].blob);
    for (uint32_t g = 0; g < x->n_globals; g++)
        if (x->globals[g] != y->globals[g])
            return say(err, len, "architecture differs: global token %u is at %u in this "
                       "run, %u in the model", g, x->globals[g], y->globals[g]);
    for (uint32_t r = 0; r < c->rope_pairs; r++)
        if (c->rope_periods[r] != le32(in->rope_periods + 4u * r))
            return say(err, len, "architecture differs: rotary period %u is %u in this run, "
                       "%u in the model", r, c->rope_periods[r],
                       le32(in->rope_periods + 4u * r));
    return true;
}

static bool same_io(const rv_rvne_info *in, const rvt_load_expect *e,
                    uint32_t n_classes, char *err, size_t len)
{
    if (in->input_kind != e->input_kind || in->input_layout != e->input_layout)
        return say(err, len, "the model takes %s (layout %u), this run trains on %s "
                   "(layout %u)", rv_rvne_input_kind_name(in->input_kind), in->input_layout,
                   rv_rvne_input_kind_name(e->input_kind), e->input_layout);
    for (uint32_t c = 0; c < n_classes; c++) {
        rv_rvne_str s = { NULL, 0 };
        if (rv_rvne_label(in, 0, c, &s) != RV_OK || !s.s)
            return say(err, len, "the model has no class labels");
        if (s.len != strlen(e->labels[c]) || memcmp(s.s, e->labels[c], s.len) != 0)
            return say(err, len, "class %u is '%.*s' in the model, '%s' in this run "
                       "(the data's labels and --map decide the classes)",
                       c, (int)s.len, s.s, e->labels[c]);
    }
    return true;
}

bool rvt_net_load(rvt_net *net, const uint8_t *blob, size_t len,
                  const rvt_load_expect *expect, rvt_load_info *got,
                  char *err, size_t err_len)
{
    rv_rvne_info in;
    rv_status st = rv_rvne_parse(blob, len, &in);
    if (st != RV_OK)
        return say(err, err_len, "not a valid .rvne blob: %s (%s, byte %zu)",
                   rv_status_str(st), in.err_detail ? in.err_detail : "no detail",
                   in.err_offset);
    if (in.version != RV_RVNE_VERSION)
        return say(err, err_len, "a version %u blob; the trainer starts from version %u "
                   "(rvblob converts)", in.version, RV_RVNE_VERSION);
    rvt_net_cfg *c = &net->cfg;
    if (!same_shape(c, &in, err, err_len) ||
        !same_io(&in, expect, c->arch.head_classes[0], err, err_len))
        return false;
    if (in.n_weights != net->P.total)
        return say(err, err_len, "%llu weights in the model, %zu in this run",
                   (unsigned long long)in.n_weights, net->P.total);

    for (size_t i = 0; i < net->P.total; i++)
        net->P.w[i] = (double)rv_rvne_weight(&in, i);
    const uint32_t D = c->arch.input_dim;
    c->has_feat_norm = in.feat_norm != NULL;
    for (uint32_t d = 0; d < D; d++) {
        c->feat_mean[d] = in.feat_norm ? lef32(in.feat_norm + 4u * d) : 0.0f;
        c->feat_inv_std[d] = in.feat_norm ? lef32(in.feat_norm + 4u * (D + d)) : 1.0f;
    }
    if (got) {
        got->crc = in.crc;
        got->accuracy = in.has_prov ? in.prov_accuracy : NAN;
    }
    return true;
}

bool rvt_net_load_file(rvt_net *net, const char *path,
                       const rvt_load_expect *expect, rvt_load_info *got,
                       char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return say(err, err_len, "cannot open %s: %s", path, strerror(errno));
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    uint8_t *buf = NULL;
    bool ok = false;
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0)
        say(err, err_len, "cannot read %s (not a regular file?)", path);
    else if ((unsigned long)size > MAX_BLOB)
        say(err, err_len, "%s is larger than %u MiB: not a model", path, MAX_BLOB >> 20);
    else if (!(buf = malloc(size ? (size_t)size : 1u)))
        say(err, err_len, "out of memory reading %s", path);
    else if (fread(buf, 1, (size_t)size, f) != (size_t)size)
        say(err, err_len, "cannot read %s", path);
    else {
        char why[200] = "";
        ok = rvt_net_load(net, buf, (size_t)size, expect, got, why, sizeof why);
        if (!ok)
            say(err, err_len, "%s: %s", path, why);
    }
    fclose(f);
    free(buf);
    return ok;
}
