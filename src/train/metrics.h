/*
 * metrics.h — confusion matrix, accuracy, per-class precision/recall, and
 * their text report.
 */
#ifndef RVT_METRICS_H
#define RVT_METRICS_H

#include <stdint.h>
#include <stdio.h>

#define RVT_MAX_CLASSES 32

typedef struct {
    uint32_t n_classes;
    uint64_t cm[RVT_MAX_CLASSES][RVT_MAX_CLASSES]; /* [true][predicted] */
} rvt_confusion;

void   rvt_confusion_reset(rvt_confusion *c, uint32_t n_classes);
void   rvt_confusion_add(rvt_confusion *c, uint32_t truth, uint32_t pred);
uint64_t rvt_confusion_total(const rvt_confusion *c);
double rvt_confusion_accuracy(const rvt_confusion *c);
double rvt_confusion_recall(const rvt_confusion *c, uint32_t k);    /* NAN if no samples */
double rvt_confusion_precision(const rvt_confusion *c, uint32_t k); /* NAN if never predicted */

/* Per-class precision/recall/support table, then the matrix (rows = truth). */
void rvt_confusion_print(const rvt_confusion *c, const char *const *names,
                         FILE *f);

#endif /* RVT_METRICS_H */
