/* streams.c — per-node feature streams from node packets; see streams.h. */
#include "streams.h"

#include <stdlib.h>
#include <string.h>

#include "rv_csi_features.h"
#include "rv_rvne.h"
#include "rv_wire.h"

struct rvt_node_stream {
    rv_csi_feat_state fs;
    uint32_t T, cap;
    float *x;
    int32_t *y;
};

uint32_t rvt_input_dim(rvt_input in)
{
    return in == RVT_INPUT_STATE ? RV_STATE_FEAT_DIM : RV_CSI_FEAT_DIM;
}

void rvt_input_declaration(rvt_input in, uint32_t *kind, uint32_t *layout)
{
    *kind = in == RVT_INPUT_STATE ? RV_RVNE_INPUT_FEATURE_STATE
          : in == RVT_INPUT_CSI_RAW ? RV_RVNE_INPUT_CSI_RAW : RV_RVNE_INPUT_CSI;
    *layout = in == RVT_INPUT_STATE ? RV_STATE_FEAT_LAYOUT : RV_CSI_FEAT_LAYOUT;
}

void rvt_streams_init(rvt_streams *s, rvt_input input, uint32_t warmup)
{
    memset(s, 0, sizeof *s);
    s->input = input;
    s->dim = rvt_input_dim(input);
    s->warmup = warmup;
}

void rvt_streams_free(rvt_streams *s)
{
    for (int i = 0; i < 256; i++) {
        if (!s->node[i])
            continue;
        free(s->node[i]->x);
        free(s->node[i]->y);
        free(s->node[i]);
        s->node[i] = NULL;
    }
}

static struct rvt_node_stream *node_get(rvt_streams *s, uint8_t id)
{
    if (s->node[id])
        return s->node[id];
    struct rvt_node_stream *n = calloc(1, sizeof *n);
    if (!n || rv_csi_feat_init(&n->fs, 0) != RV_OK) {
        free(n);
        return NULL;
    }
    s->node[id] = n;
    return n;
}

static bool append(rvt_streams *s, struct rvt_node_stream *n, const float *f,
                   int32_t label)
{
    if (n->T == n->cap) {
        uint32_t cap = n->cap ? n->cap * 2 : 1024;
        float *x = realloc(n->x, (size_t)cap * s->dim * sizeof(float));
        if (!x)
            return false;
        n->x = x;
        int32_t *y = realloc(n->y, (size_t)cap * sizeof(int32_t));
        if (!y)
            return false;
        n->y = y;
        n->cap = cap;
    }
    memcpy(n->x + (size_t)n->T * s->dim, f, s->dim * sizeof(float));
    n->y[n->T] = n->T < s->warmup ? -1 : label;
    n->T++;
    s->n_frames++;
    return true;
}

int rvt_streams_push(rvt_streams *s, const uint8_t *pkt, size_t len, double t,
                     rvt_label_fn label, void *ctx)
{
    float f[RV_CSI_FEAT_DIM];
    uint8_t id;
    struct rvt_node_stream *n;
    if (len < 4)
        return 0;
    const uint32_t magic = (uint32_t)pkt[0] | ((uint32_t)pkt[1] << 8) |
                           ((uint32_t)pkt[2] << 16) | ((uint32_t)pkt[3] << 24);
    if (s->input == RVT_INPUT_CSI || s->input == RVT_INPUT_CSI_RAW) {
        if (magic != RV_MAGIC_CSI_RAW)
            return 0;
        rv_csi_frame fr;
        if (rv_csi_frame_decode(pkt, len, &fr) != RV_OK) {
            s->n_rejected++;
            return -1;
        }
        id = fr.node_id;
        n = node_get(s, id);
        float z[RV_CSI_FEAT_DIM];
        if (!n || rv_csi_feat_extract_ex(&n->fs, &fr, 0,
                                         s->input == RVT_INPUT_CSI ? f : z,
                                         s->input == RVT_INPUT_CSI ? NULL : f) != RV_OK) {
            s->n_rejected++;
            return -1;
        }
    } else {
        if (magic != RV_MAGIC_FEATURE_STATE)
            return 0;
        rv_feature_state st;
        if (rv_feature_state_decode(pkt, len, &st) != RV_OK ||
            rv_state_feat_from_packet(&st, f) != RV_OK) {
            s->n_rejected++;
            return -1;
        }
        id = st.node_id;
        n = node_get(s, id);
        if (!n) {
            s->n_rejected++;
            return -1;
        }
    }
    if (!append(s, n, f, label(ctx, id, t))) {
        s->n_rejected++;
        return -1;
    }
    return 1;
}

uint32_t rvt_streams_cut(const rvt_streams *s, rvt_dataset *ds, uint32_t stride,
                         uint32_t ctx_min, uint32_t src_base)
{
    uint32_t added = 0;
    for (uint32_t i = 0; i < 256; i++) {
        const struct rvt_node_stream *n = s->node[i];
        if (n && n->T)
            added += rvt_dataset_add_stream(ds, n->x, n->y, n->T, stride, ctx_min,
                                            src_base + i);
    }
    return added;
}
