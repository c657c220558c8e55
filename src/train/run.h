/*
 * run.h — one training run as rvtrain performs it: collect windows (simulator
 * sessions, pcap + label files, or the synthetic task), compute the feature
 * normalisation, split off validation, train, optionally calibrate one
 * class's recall on the validation split, report on the held-out set
 * (per-class precision/recall, confusion matrix) and write the .rvne.
 */
#ifndef RVT_RUN_H
#define RVT_RUN_H

#include <stdio.h>

#include "sources.h"
#include "train.h"

#define RVT_MAX_FILES 64

typedef struct {
    /* data */
    rvt_input input;
    const char *pcap[RVT_MAX_FILES], *labels[RVT_MAX_FILES];
    uint32_t n_files;
    const char *test_pcap[RVT_MAX_FILES], *test_labels[RVT_MAX_FILES];
    uint32_t n_test_files;
    rvt_sim_opts sim, test_sim;     /* sessions == 0: none */
    uint32_t synthetic;             /* > 0: windows of the synthetic task */
    const char *maps[RVT_MAX_MAPS];
    uint32_t n_maps;
    rvt_cut_opts cut;
    uint32_t seq;
    /* model */
    rvt_net_cfg net;                /* input_dim and classes filled by the run */
    const char *init;               /* non-NULL: start from this .rvne (load.h) */
    /* training */
    rvt_train_cfg train;
    double val_split;
    /* recall floor (calibrate.h): raise recall_class's bias after training
     * until its validation recall reaches recall_target; "" = off */
    char recall_class[RVT_CLASS_NAME];
    double recall_target;
    /* output */
    const char *out;
    const char *dump_windows;       /* non-NULL: write the windows there, no training */
    bool fp16;
    FILE *log;
} rvt_run_opts;

void rvt_run_defaults(rvt_run_opts *o);

/* 0 on success, 1 on failure (message on o->log or stderr). */
int rvt_run(const rvt_run_opts *o);

/* Frame accuracy of the held-out report; also used by tests. Prints the
 * per-class table, the confusion matrix and the fall/sit_down confusion. */
void rvt_report(const rvt_confusion *cm, const rvt_classes *cls, FILE *f);

#endif /* RVT_RUN_H */
