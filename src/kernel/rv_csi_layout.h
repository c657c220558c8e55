/*
 * rv_csi_layout.h — which entries of an ESP32-family CSI buffer carry
 * channel information, and at which subcarrier.
 *
 * A raw CSI frame (0xC5110001) holds, per antenna, n_subcarriers I/Q pairs
 * copied from ESP-IDF's wifi_csi_info_t.buf: one or more training fields
 * (LLTF, HT-LTF, STBC-HT-LTF, HE-LTF) back to back, each in the driver's
 * order (non-negative subcarriers first, then the negative ones), with DC,
 * guard and unused FFT bins in between. The buffer does not say which
 * fields it holds; the pair count does, per ESP-IDF's "Wi-Fi Channel State
 * Information" tables (api-guides/wifi-driver/wifi-vendor-features). The
 * supported counts, the field used and why are in docs/features.md §1.
 *
 * rv_csi_layout_get(n_pairs, &layout) lists the informative subcarriers of
 * ONE field, the richest 20/40 MHz field the frame holds, in ascending
 * subcarrier number: (pair index in one antenna's buffer, subcarrier k,
 * pilot flag). Nulls (DC and its neighbours where the PHY leaves them
 * empty), guards and padding are not listed; pilots are listed and flagged
 * (in a training field they are measured like any other tone). Counts that
 * no documented layout has return RV_ERR_SUBCARRIERS and a zeroed layout.
 *
 * Pure function of n_pairs: no state, no allocation; the caller owns the
 * layout (~1.5 KB, RV_CSI_LAYOUT_MAX_SC entries).
 */
#ifndef RV_CSI_LAYOUT_H
#define RV_CSI_LAYOUT_H

#include "rv_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The training field a layout lists. */
typedef enum {
    RV_CSI_FIELD_NONE = 0,
    RV_CSI_FIELD_LLTF = 1,      /* legacy LTF, 20 MHz: 1 <= |k| <= 26 */
    RV_CSI_FIELD_HT_LTF20 = 2,  /* HT-LTF, 20 MHz: 1 <= |k| <= 28 */
    RV_CSI_FIELD_HT_LTF40 = 3,  /* HT-LTF, 40 MHz: 2 <= |k| <= 58 */
    RV_CSI_FIELD_HE_LTF20 = 4   /* HE-LTF, 20 MHz SU (242 tones): 2 <= |k| <= 122 */
} rv_csi_field;

#define RV_CSI_LAYOUT_MAX_SC 242u  /* informative tones of the widest field */

typedef struct {
    uint16_t index;      /* pair index within one antenna's n_pairs */
    int16_t  k;          /* subcarrier number, 0 = DC */
    uint8_t  pilot;      /* 1 on the field's pilot tones */
} rv_csi_sc;

typedef struct {
    uint32_t     n_pairs;   /* the count this layout was built for */
    rv_csi_field field;     /* the field listed in sc[] */
    uint8_t      n_fields;  /* training fields the buffer holds */
    uint16_t     n_sc;      /* entries in sc[] */
    rv_csi_sc    sc[RV_CSI_LAYOUT_MAX_SC]; /* ascending k */
} rv_csi_layout;

/* Fill *out for a frame of n_pairs I/Q pairs per antenna. RV_ERR_NULL if
 * out is NULL; RV_ERR_SUBCARRIERS (out zeroed) for a count without a
 * documented layout. */
rv_status rv_csi_layout_get(uint32_t n_pairs, rv_csi_layout *out);

/* True when some documented layout has this count. */
bool rv_csi_layout_supported(uint32_t n_pairs);

/* Short name of a field ("LLTF", "HT-LTF20", ...); "none" otherwise. */
const char *rv_csi_field_name(rv_csi_field field);

#ifdef __cplusplus
}
#endif
#endif /* RV_CSI_LAYOUT_H */
