/*
 * train.h — the training loop: deterministic minibatches (shuffled by a
 * seeded PRNG, rare-event windows repeated), Adam with warm-up and cosine
 * decay, class-weighted cross-entropy, optional weight averaging (ema.h),
 * early stopping on validation loss (the best weights are restored),
 * per-epoch progress lines, evaluation.
 */
#ifndef RVT_TRAIN_H
#define RVT_TRAIN_H

#include <stdio.h>

#include "adam.h"
#include "dataset.h"
#include "metrics.h"
#include "net.h"

typedef struct {
    uint32_t epochs;          /* maximum epochs */
    uint32_t batch;           /* windows per Adam step */
    uint32_t patience;        /* stop after this many epochs without a better
                                 validation loss (0 = never stop early) */
    rvt_adam_cfg adam;        /* adam.lr is the peak learning rate */
    uint32_t warmup_steps;    /* linear learning-rate warm-up */
    double min_lr_frac;       /* cosine decay to lr * this at the last epoch */
    double class_weight_pow;  /* class weight = (max_count/count)^pow, 0 = off */
    double class_weight_max;  /* cap on a class weight */
    uint32_t oversample_max;  /* windows holding a rare class are repeated up to this */
    double target_acc;        /* stop when train and val accuracy reach it (0 = off) */
    double augment;           /* per-window random offset of every input dim,
                                 N(0, augment) in units of the dim's std (feature
                                 normalisation), so absolute levels that differ
                                 between rooms/nodes are not learnt; 0 = off */
    double ema_decay;         /* 0 < d < 1: validate, select and keep an
                                 exponential moving average of the weights
                                 (ema.h) instead of the latest; 0 = off */
    uint64_t seed;
    bool log_start;           /* log the validation loss before the first step
                                 (fine-tuning: the starting point's figure) */
    FILE *log;                /* progress lines; NULL = quiet */
} rvt_train_cfg;

rvt_train_cfg rvt_train_defaults(void);

typedef struct {
    uint32_t epochs_run, best_epoch;
    double best_val_loss, val_acc, train_acc, seconds;
} rvt_train_result;

/* Train net on tr, early-stop on va (may be empty: then the training loss is
 * used). Returns false on allocation failure. */
bool rvt_train(rvt_net *net, const rvt_dataset *tr, const rvt_dataset *va,
               const rvt_train_cfg *cfg, rvt_train_result *res);

/* Frame-level evaluation of every labelled frame; cm may be NULL. Returns
 * accuracy (NaN if no labelled frame); *loss (may be NULL) gets the mean
 * unweighted cross-entropy. */
double rvt_evaluate(const rvt_net *net, const rvt_dataset *ds,
                    rvt_confusion *cm, double *loss);

#endif /* RVT_TRAIN_H */
