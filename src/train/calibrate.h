/*
 * calibrate.h — recall floor for one class by moving its decision
 * threshold: after training, the class's head bias is raised by the
 * smallest offset that gives it the wanted recall on the validation split.
 *
 * Training minimises a (class-weighted) cross-entropy, which balances all
 * errors; a deployment may value one class above the rest (a missed fall
 * costs more than a walking frame called a fall). Moving the bias trades
 * that class's precision, and some accuracy, for recall, without
 * retraining, and the trade is measured on data the weights never saw.
 */
#ifndef RVT_CALIBRATE_H
#define RVT_CALIBRATE_H

#include <stdbool.h>
#include <stdint.h>

#include "dataset.h"
#include "net.h"

/* Largest bias offset calibration applies, in logits: beyond it the class
 * would mostly be predicted for frames of other classes. */
#define RVT_CALIBRATE_MAX_OFFSET 4.0

typedef struct {
    double offset;                  /* added to the class's head bias */
    uint64_t support;               /* labelled frames of the class */
    double recall_before, recall_after;
    double acc_before, acc_after;   /* frame accuracy over all classes */
    bool reached;                   /* recall_after >= the target */
} rvt_calibration;

/* Raises class cls's head bias of net so that its recall on ds reaches
 * target (the smallest such offset, at most RVT_CALIBRATE_MAX_OFFSET).
 * False, with net unchanged, if the model has no head bias, ds has no frame
 * of the class, or memory runs out. */
bool rvt_calibrate_recall(rvt_net *net, const rvt_dataset *ds, uint32_t cls,
                          double target, rvt_calibration *out);

#endif /* RVT_CALIBRATE_H */
