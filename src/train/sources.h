/*
 * sources.h — where training windows come from: simulator sessions run in
 * process (librvsim), or recordings on disk (a pcap of node packets plus a
 * JSON-lines label file, rvsim_labels.h; real captures use the same shape).
 */
#ifndef RVT_SOURCES_H
#define RVT_SOURCES_H

#include <stdio.h>

#include "classes.h"
#include "dataset.h"
#include "streams.h"

typedef struct {
    rvt_input input;
    uint32_t warmup;        /* frames unlabelled at each node stream's start */
    uint32_t stride;        /* window stride in frames */
    uint32_t ctx_min;       /* frames of history before a window frame counts */
} rvt_cut_opts;

/* Receiver of the simulated sessions: rvsim's fixed or calibrated one, or
 * mixed (every calibrated_every-th session calibrated). */
typedef enum {
    RVT_RX_FIXED = 0,
    RVT_RX_CALIBRATED,
    RVT_RX_MIXED
} rvt_sim_receiver;

typedef struct {
    uint32_t sessions;      /* number of sessions */
    uint64_t seed;          /* session i uses seed + i (its room, nodes, people) */
    double duration_s;
    double rate_hz;
    uint32_t nodes;         /* nodes per session; each node is one stream */
    const char *scenarios;  /* comma-separated, used round-robin */
    bool ideal_receiver;    /* rvsim_config.ideal_receiver (analysis) */
    rvt_sim_receiver receiver;
    uint32_t calibrated_every; /* mixed: session i calibrated when i % N == N-1 */
    bool val_fixed_only;    /* calibrated sessions never go to validation */
} rvt_sim_opts;

/* All simulator activity names, in canonical order, into c (after c's
 * merges). */
bool rvt_classes_add_sim(rvt_classes *c);

/* Run the sessions and append their windows to ds. *src_next numbers the
 * streams (advanced). log (may be NULL) gets one line per session. */
bool rvt_collect_sim(const rvt_sim_opts *so, const rvt_cut_opts *co,
                     const rvt_classes *cls, rvt_dataset *ds,
                     uint32_t *src_next, FILE *log, char *err, size_t err_len);

/* Activity names used in a label file, added to c. */
bool rvt_classes_add_labels(rvt_classes *c, const char *labels_path,
                            char *err, size_t err_len);

/* Read a pcap + labels pair and append its windows. Times: label times are
 * seconds since the label file's pcap_epoch (meta line); without a meta
 * line, absolute Unix seconds when they are > 1e9, else seconds since the
 * first packet. Frames with no covering label segment are unlabelled. */
bool rvt_collect_files(const char *pcap_path, const char *labels_path,
                       const rvt_cut_opts *co, const rvt_classes *cls,
                       rvt_dataset *ds, uint32_t *src_next, FILE *log,
                       char *err, size_t err_len);

#endif /* RVT_SOURCES_H */
