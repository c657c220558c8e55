/*
 * export.h — write a trained network as a .rvne v2 blob with the kernel's
 * own writer (rv_rvne_write): weights rounded to float in file order, the
 * attention config, rotary periods, the feature normalisation, one head with
 * class labels, the input declaration, and provenance (seed, held-out
 * accuracy, data description).
 */
#ifndef RVT_EXPORT_H
#define RVT_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

typedef struct {
    const char *head_name;          /* e.g. "activity" */
    const char *const *labels;      /* [n_classes] */
    uint64_t seed;
    float accuracy;                 /* held-out accuracy, NaN = unknown */
    const char *dataset, *notes;    /* free text, may be NULL */
    bool fp16;
    uint32_t input_kind;            /* RV_RVNE_INPUT_*; NONE = no INPT section */
    uint32_t input_layout;
} rvt_export_info;

/* Returns a malloc'd blob (*len bytes) or NULL with a reason in err. */
uint8_t *rvt_export_blob(const rvt_net *net, const rvt_export_info *info,
                         size_t *len, char *err, size_t err_len);

/* Write the blob to path; false with a reason in err. */
bool rvt_export_file(const rvt_net *net, const rvt_export_info *info,
                     const char *path, char *err, size_t err_len);

#endif /* RVT_EXPORT_H */
