/*
 * rv_csi_layout.c — informative subcarriers of an ESP32-family CSI buffer,
 * from its I/Q pair count (contract in rv_csi_layout.h, table in
 * docs/features.md §1).
 */
#include <string.h>

#include "rv_csi_layout.h"

/* One documented buffer shape. The listed field starts at pair `offset`
 * and is `len` pairs long in the driver's order: pairs 0..pos-1 hold
 * subcarriers 0..pos-1, pairs pos..len-1 hold -(len-pos)..-1. Informative
 * tones have lo <= |k| <= hi. */
typedef struct {
    uint16_t n_pairs;
    uint8_t  field;
    uint8_t  n_fields;
    uint16_t offset, len, pos;
    uint8_t  lo, hi;
} layout_desc;

/* Secondary channel "none" throughout: an HT20 node reports the same count
 * whether a 40 MHz secondary sits above or below, and only "none" keeps
 * 0 = DC. Classic MAC = ESP32, -S2, -S3, -C3; C5 = Wi-Fi 6 MAC (its table). */
static const layout_desc k_layouts[] = {
    /* classic MAC, full 64-point fields */
    { 64,  RV_CSI_FIELD_LLTF,     1, 0,   64,  32,  1, 26 },  /* non-HT */
    { 128, RV_CSI_FIELD_HT_LTF20, 2, 64,  64,  32,  1, 28 },  /* LLTF + HT-LTF */
    { 192, RV_CSI_FIELD_HT_LTF20, 3, 64,  64,  32,  1, 28 },  /* + STBC-HT-LTF */
    /* Wi-Fi 6 nodes padding the HE-LTF to its 256-point FFT (C5/C6 firmware
     * sending 256 pairs, docs/wire-format.md) */
    { 256, RV_CSI_FIELD_HE_LTF20, 1, 0,   256, 128, 2, 122 },
    /* HT40 with every field padded to the 128-point FFT: LLTF, HT-LTF,
     * STBC-HT-LTF (the 40 MHz counterpart of 192) */
    { 384, RV_CSI_FIELD_HT_LTF40, 3, 128, 128, 64,  2, 58 },
    /* ESP32-C5 table: fields trimmed to the used tones (0~E, -E~-1) */
    { 53,  RV_CSI_FIELD_LLTF,     1, 0,   53,  27,  1, 26 },  /* non-HT */
    { 57,  RV_CSI_FIELD_HT_LTF20, 1, 0,   57,  29,  1, 28 },  /* HT20 */
    { 114, RV_CSI_FIELD_HT_LTF20, 2, 0,   57,  29,  1, 28 },  /* HT20 STBC */
    { 117, RV_CSI_FIELD_HT_LTF40, 1, 0,   117, 59,  2, 58 },  /* HT40 */
    { 234, RV_CSI_FIELD_HT_LTF40, 2, 0,   117, 59,  2, 58 },  /* HT40 STBC */
    { 245, RV_CSI_FIELD_HE_LTF20, 1, 0,   245, 123, 2, 122 }, /* HE20 SU */
};

#define N_LAYOUTS (sizeof(k_layouts) / sizeof(k_layouts[0]))

/* Pilot tones (IEEE 802.11 a/n/ax; ESP-IDF's sub-carrier table). */
static bool is_pilot(rv_csi_field field, int32_t ak)
{
    switch (field) {
    case RV_CSI_FIELD_LLTF:
    case RV_CSI_FIELD_HT_LTF20:
        return ak == 7 || ak == 21;
    case RV_CSI_FIELD_HT_LTF40:
        return ak == 11 || ak == 25 || ak == 53;
    case RV_CSI_FIELD_HE_LTF20:
        return ak == 22 || ak == 48 || ak == 90 || ak == 116;
    default:
        return false;
    }
}

static const layout_desc *find(uint32_t n_pairs)
{
    for (size_t i = 0; i < N_LAYOUTS; i++)
        if (k_layouts[i].n_pairs == n_pairs)
            return &k_layouts[i];
    return NULL;
}

bool rv_csi_layout_supported(uint32_t n_pairs)
{
    return find(n_pairs) != NULL;
}

rv_status rv_csi_layout_get(uint32_t n_pairs, rv_csi_layout *out)
{
    if (!out)
        return RV_ERR_NULL;
    memset(out, 0, sizeof(*out));
    const layout_desc *d = find(n_pairs);
    if (!d)
        return RV_ERR_SUBCARRIERS;
    out->n_pairs = n_pairs;
    out->field = (rv_csi_field)d->field;
    out->n_fields = d->n_fields;
    /* ascending k: the negative half (pairs pos..len-1) first */
    const int32_t neg = (int32_t)d->len - (int32_t)d->pos;
    uint16_t n = 0;
    for (int32_t k = -neg; k < (int32_t)d->pos; k++) {
        const int32_t ak = k < 0 ? -k : k;
        if (ak < d->lo || ak > d->hi)
            continue;
        const int32_t p = k >= 0 ? k : (int32_t)d->len + k;
        out->sc[n].index = (uint16_t)(d->offset + p);
        out->sc[n].k = (int16_t)k;
        out->sc[n].pilot = is_pilot(out->field, ak) ? 1u : 0u;
        n++;
    }
    out->n_sc = n;
    return RV_OK;
}

const char *rv_csi_field_name(rv_csi_field field)
{
    switch (field) {
    case RV_CSI_FIELD_LLTF: return "LLTF";
    case RV_CSI_FIELD_HT_LTF20: return "HT-LTF20";
    case RV_CSI_FIELD_HT_LTF40: return "HT-LTF40";
    case RV_CSI_FIELD_HE_LTF20: return "HE-LTF20";
    default: return "none";
    }
}
