/*
 * classes.h — the class list of a model: label names in a fixed canonical
 * order (empty, still, walking, sit_down, fall, the gestures wave /
 * push_pull / circle, stand_up, lying, apnea, then any other name
 * alphabetically), and optional merges ("apnea=still": frames labelled
 * apnea train the class still).
 */
#ifndef RVT_CLASSES_H
#define RVT_CLASSES_H

#include <stdbool.h>
#include <stdint.h>

#include "metrics.h"

#define RVT_CLASS_NAME 32
#define RVT_MAX_MAPS 32

typedef struct {
    uint32_t n;
    char name[RVT_MAX_CLASSES][RVT_CLASS_NAME];
    const char *ptr[RVT_MAX_CLASSES];   /* name[i], for printing/export */
    uint32_t n_maps;
    char from[RVT_MAX_MAPS][RVT_CLASS_NAME], to[RVT_MAX_MAPS][RVT_CLASS_NAME];
} rvt_classes;

void rvt_classes_init(rvt_classes *c);
/* "FROM=TO"; false when malformed or too many. */
bool rvt_classes_add_map(rvt_classes *c, const char *spec);
/* The name a raw label trains as, after merges. */
const char *rvt_classes_mapped(const rvt_classes *c, const char *raw);
/* Add (mapped) raw label if new; false when the list is full or the name
 * is empty/too long. */
bool rvt_classes_add(rvt_classes *c, const char *raw);
/* Sort into canonical order (do this before indices are used). */
void rvt_classes_sort(rvt_classes *c);
/* Class index of a raw label (after merges), or -1. */
int  rvt_classes_find(const rvt_classes *c, const char *raw);

#endif /* RVT_CLASSES_H */
