/*
 * load.h — start training from an existing model (rvtrain --init): read a
 * .rvne v2 blob (fp32 or fp16) into a network declared with the run's
 * options. The blob must have the same shape (architecture, attention,
 * rotary encoding), input kind and class labels; any difference is refused
 * with the option that differs. The weights and the feature normalisation
 * are taken from the blob: the weights only mean something on inputs
 * normalised as they were trained, so the run's own statistics are dropped.
 */
#ifndef RVT_LOAD_H
#define RVT_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

typedef struct {
    const char *const *labels;   /* [n_classes] the run's classes, in order */
    uint32_t input_kind;         /* RV_RVNE_INPUT_* the run feeds */
    uint32_t input_layout;
} rvt_load_expect;

/* What was loaded: the blob's CRC32 names the starting point in the new
 * model's provenance whatever the file was called. */
typedef struct {
    uint32_t crc;
    float accuracy;              /* its provenance's held-out accuracy, NaN = none */
} rvt_load_info;

/* net: initialised by rvt_net_init with the run's configuration. Checks
 * blob against it and expect, then overwrites net's weights and feature
 * normalisation. False with a reason in err (net unchanged) on any
 * parse error or mismatch. got (may be NULL) describes the blob. */
bool rvt_net_load(rvt_net *net, const uint8_t *blob, size_t len,
                  const rvt_load_expect *expect, rvt_load_info *got,
                  char *err, size_t err_len);

/* The same from a file (at most 64 MiB). got may be NULL. */
bool rvt_net_load_file(rvt_net *net, const char *path,
                       const rvt_load_expect *expect, rvt_load_info *got,
                       char *err, size_t err_len);

#endif /* RVT_LOAD_H */
