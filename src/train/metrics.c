/* metrics.c — confusion matrix and its report; see metrics.h. */
#include "metrics.h"

#include <math.h>
#include <string.h>

void rvt_confusion_reset(rvt_confusion *c, uint32_t n_classes)
{
    memset(c, 0, sizeof *c);
    c->n_classes = n_classes > RVT_MAX_CLASSES ? RVT_MAX_CLASSES : n_classes;
}

void rvt_confusion_add(rvt_confusion *c, uint32_t truth, uint32_t pred)
{
    if (truth < c->n_classes && pred < c->n_classes)
        c->cm[truth][pred]++;
}

uint64_t rvt_confusion_total(const rvt_confusion *c)
{
    uint64_t t = 0;
    for (uint32_t i = 0; i < c->n_classes; i++)
        for (uint32_t j = 0; j < c->n_classes; j++)
            t += c->cm[i][j];
    return t;
}

double rvt_confusion_accuracy(const rvt_confusion *c)
{
    uint64_t t = rvt_confusion_total(c), ok = 0;
    for (uint32_t i = 0; i < c->n_classes; i++)
        ok += c->cm[i][i];
    return t ? (double)ok / (double)t : NAN;
}

double rvt_confusion_recall(const rvt_confusion *c, uint32_t k)
{
    uint64_t t = 0;
    for (uint32_t j = 0; j < c->n_classes; j++)
        t += c->cm[k][j];
    return t ? (double)c->cm[k][k] / (double)t : NAN;
}

double rvt_confusion_precision(const rvt_confusion *c, uint32_t k)
{
    uint64_t t = 0;
    for (uint32_t i = 0; i < c->n_classes; i++)
        t += c->cm[i][k];
    return t ? (double)c->cm[k][k] / (double)t : NAN;
}

void rvt_confusion_print(const rvt_confusion *c, const char *const *names,
                         FILE *f)
{
    fprintf(f, "%-16s %9s %9s %9s\n", "class", "precision", "recall", "support");
    for (uint32_t k = 0; k < c->n_classes; k++) {
        uint64_t sup = 0;
        for (uint32_t j = 0; j < c->n_classes; j++)
            sup += c->cm[k][j];
        double p = rvt_confusion_precision(c, k), r = rvt_confusion_recall(c, k);
        fprintf(f, "%-16s ", names[k]);
        if (isnan(p)) fprintf(f, "%9s ", "-"); else fprintf(f, "%9.4f ", p);
        if (isnan(r)) fprintf(f, "%9s ", "-"); else fprintf(f, "%9.4f ", r);
        fprintf(f, "%9llu\n", (unsigned long long)sup);
    }
    fprintf(f, "accuracy %.4f over %llu frames\n", rvt_confusion_accuracy(c),
            (unsigned long long)rvt_confusion_total(c));
    fprintf(f, "confusion matrix (rows = true class, columns = predicted):\n");
    fprintf(f, "%-16s", "");
    for (uint32_t j = 0; j < c->n_classes; j++)
        fprintf(f, " %7.7s", names[j]);
    fprintf(f, "\n");
    for (uint32_t i = 0; i < c->n_classes; i++) {
        fprintf(f, "%-16s", names[i]);
        for (uint32_t j = 0; j < c->n_classes; j++)
            fprintf(f, " %7llu", (unsigned long long)c->cm[i][j]);
        fprintf(f, "\n");
    }
}
