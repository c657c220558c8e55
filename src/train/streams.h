/*
 * streams.h — per-node feature streams built from node packets: each CSI
 * frame (0xC5110001) goes through the kernel's feature extractor with that
 * node's running normalisation state (rv_csi_feat_extract, exactly what
 * rvtemporalhead does), or each feature-state packet (0xC5110006) through
 * rv_state_feat_from_packet; the frame is stored with its label.
 */
#ifndef RVT_STREAMS_H
#define RVT_STREAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataset.h"

/* CSI_RAW: the CSI features before the per-stream z-scoring of dims 0..25
 * (rv_csi_feat_extract_ex's raw output). rvtemporalhead feeds the z-scored
 * features, so a CSI_RAW model is for experiments, not for the pipeline. */
typedef enum { RVT_INPUT_CSI = 0, RVT_INPUT_STATE = 1, RVT_INPUT_CSI_RAW = 2 } rvt_input;

uint32_t rvt_input_dim(rvt_input in);   /* RV_CSI_FEAT_DIM or RV_STATE_FEAT_DIM */
/* The .rvne INPT declaration (RV_RVNE_INPUT_*, layout number) of a model
 * trained on this input. */
void rvt_input_declaration(rvt_input in, uint32_t *kind, uint32_t *layout);

/* Label of node's frame at time t (seconds): class index or -1. */
typedef int32_t (*rvt_label_fn)(void *ctx, uint32_t node, double t);

struct rvt_node_stream;

typedef struct {
    rvt_input input;
    uint32_t dim;
    uint32_t warmup;                  /* first frames of a stream stay unlabelled */
    struct rvt_node_stream *node[256];
    uint64_t n_frames, n_rejected;    /* appended / undecodable or unusable */
} rvt_streams;

void rvt_streams_init(rvt_streams *s, rvt_input input, uint32_t warmup);
void rvt_streams_free(rvt_streams *s);

/* Decode one UDP payload; a frame of the input kind becomes a feature
 * vector appended to its node's stream, labelled by label(ctx, node, t).
 * Returns 1 when a frame was appended, 0 when the packet is another kind,
 * -1 when it is of the input kind but rejected (malformed, no valid
 * subcarriers) or memory ran out. */
int rvt_streams_push(rvt_streams *s, const uint8_t *pkt, size_t len, double t,
                     rvt_label_fn label, void *ctx);

/* Cut every node stream into windows (rvt_dataset_add_stream); window src
 * ids are src_base + node. Returns windows added. */
uint32_t rvt_streams_cut(const rvt_streams *s, rvt_dataset *ds, uint32_t stride,
                         uint32_t ctx_min, uint32_t src_base);

#endif /* RVT_STREAMS_H */
