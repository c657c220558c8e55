/*
 * rv_rvne.h — the .rvne weight blob: strict parser, tensor layout, writer.
 *
 * File layout (all integers little-endian; docs/rvne-format.md has the
 * field-by-field description):
 *
 *   0x00 u32 magic 0x52564E45 ("RVNE")    0x0E u16 head_dim
 *   0x04 u16 version (1 or 2)             0x10 u16 n_layers (>= 1)
 *   0x06 u8  flags: bit0 0=fp32 1=fp16    0x12 u16 n_classes of head 0 (>= 2)
 *   0x07 u8  reserved (v2: must be 0)     0x14 u32 weights_len (bytes)
 *   0x08 u16 input_dim                    0x18 weights (weights_len bytes)
 *   0x0A u16 n_q_heads                    v2: zero pad to 4, then sections
 *   0x0C u16 n_kv_heads (divides q heads) end-4: u32 CRC32 of all bytes before
 *
 * v1: total = 28 + weights_len, no sections. v2: sections are
 * `u32 tag, u32 len, len payload bytes, zero pad to 4`; the tag is a
 * four-character code (bytes in file order). A tag whose first character is
 * an upper-case letter is critical (an unknown one is rejected); lower-case
 * first is ancillary (skipped when unknown). Each tag appears at most once.
 *
 * Weights, in this order, each row-major [out][in] (see docs/model.md):
 *   [input_proj] W_in [D][D_in], b_in [D]
 *   per layer:   [norm] g_attn [D]; Wq [Hq*d][D]; Wk [Hkv*d][D];
 *                Wv [Hkv*d][D]; Wo [D][Hq*d];
 *                [d_ff>0] [norm] g_ffn [D]; W1 [F][D]; b1 [F]; W2 [D][F]; b2 [D]
 *   [norm]       g_final [D]
 *   per head:    W_head [C_h][D]; [head_bias] b_head [C_h]
 * v1 has none of the bracketed tensors and exactly one head.
 *
 * The parser never reads outside [buf, buf+len), never allocates, and the
 * info it fills points into buf (keep buf alive and unmodified while the
 * info or a model built from it is used).
 */
#ifndef RV_RVNE_H
#define RV_RVNE_H

#include "rv_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_RVNE_MAGIC        0x52564E45u
#define RV_RVNE_VERSION_1    1u
#define RV_RVNE_VERSION      2u   /* current, what the writer emits */
#define RV_RVNE_HEADER_SIZE  24u
#define RV_RVNE_FOOTER_SIZE  4u
#define RV_RVNE_MAX_GLOBALS  8u
#define RV_RVNE_MAX_HEADS    16u
#define RV_RVNE_MAX_TEXT     255u      /* bytes of one name/label (UTF-8, no NUL) */
#define RV_RVNE_MAX_PERIOD   (1u << 24)
#define RV_RVNE_MAX_DIM      65535u    /* d_model, d_ff, head n_classes */

/* Four-character code: first char in the lowest byte (file order). */
#define RV_RVNE_TAG(a, b, c, d) \
    ((uint32_t)(uint8_t)(a) | ((uint32_t)(uint8_t)(b) << 8) | \
     ((uint32_t)(uint8_t)(c) << 16) | ((uint32_t)(uint8_t)(d) << 24))
#define RV_RVNE_TAG_ARCH RV_RVNE_TAG('A', 'R', 'C', 'H')
#define RV_RVNE_TAG_ATTN RV_RVNE_TAG('A', 'T', 'T', 'N')
#define RV_RVNE_TAG_FNRM RV_RVNE_TAG('F', 'N', 'R', 'M')
#define RV_RVNE_TAG_ROPE RV_RVNE_TAG('R', 'O', 'P', 'E')
#define RV_RVNE_TAG_HEAD RV_RVNE_TAG('H', 'E', 'A', 'D')
#define RV_RVNE_TAG_PROV RV_RVNE_TAG('p', 'r', 'o', 'v')
#define RV_RVNE_TAG_INPT RV_RVNE_TAG('I', 'N', 'P', 'T')

/* INPT input kinds: what the input_dim values of one frame are. A model is
 * only fed inputs of its kind and layout (the layout numbers live next to
 * the feature code: RV_CSI_FEAT_LAYOUT, RV_STATE_FEAT_LAYOUT). */
#define RV_RVNE_INPUT_NONE          0u  /* no INPT section: not declared */
#define RV_RVNE_INPUT_CSI           1u  /* CSI features, z-scored per stream */
#define RV_RVNE_INPUT_FEATURE_STATE 2u  /* feature-state packet values */
#define RV_RVNE_INPUT_CSI_RAW       3u  /* CSI features before z-scoring */
#define RV_RVNE_INPUT_KINDS         4u

/* ARCH flags */
#define RV_RVNE_ARCH_INPUT_PROJ 0x1u
#define RV_RVNE_ARCH_NORM       0x2u
#define RV_RVNE_ARCH_HEAD_BIAS  0x4u
/* ATTN flags */
#define RV_RVNE_ATTN_LOG_STRIDE 0x1u
#define RV_RVNE_ATTN_LANDMARKS  0x2u

/* Shape of the network: everything that decides the weight layout. */
typedef struct {
    uint32_t input_dim, q_heads, kv_heads, head_dim, n_layers;
    uint32_t d_model;         /* == input_dim unless input_proj */
    uint32_t d_ff;            /* 0 = no feed-forward */
    bool input_proj, norm, head_bias;
    uint32_t n_heads;         /* >= 1 */
    uint32_t head_classes[RV_RVNE_MAX_HEADS];
} rv_rvne_arch;

/* Attention configuration (always causal). */
typedef struct {
    uint32_t window, block_size;
    uint32_t n_globals;
    uint32_t globals[RV_RVNE_MAX_GLOBALS];
    bool log_stride, landmarks;
} rv_rvne_attn;

/* A (pointer, length) UTF-8 string inside the blob; not NUL-terminated. */
typedef struct { const char *s; uint32_t len; } rv_rvne_str;

typedef struct {
    uint32_t version;         /* 1 or 2 */
    bool fp16;                /* weights are IEEE binary16 */
    rv_rvne_arch arch;
    uint32_t weights_len;     /* bytes */
    const uint8_t *weights;   /* into the blob, at offset 24 */
    uint64_t n_weights;       /* elements */

    bool has_attn;            /* false: attn holds the defaults */
    rv_rvne_attn attn;

    const uint8_t *feat_norm; /* NULL = identity; else input_dim f32 LE means,
                                 then input_dim f32 LE inv_std */
    uint32_t rope_pairs;      /* 0 = no positional encoding */
    const uint8_t *rope_periods; /* rope_pairs u32 LE */

    const uint8_t *heads;     /* HEAD section payload, NULL = default head */
    uint32_t heads_len;

    bool has_prov;
    uint64_t prov_seed;
    float prov_accuracy;      /* NaN = unknown */
    rv_rvne_str prov_trainer, prov_dataset, prov_notes;

    uint32_t input_kind;      /* RV_RVNE_INPUT_*; NONE without INPT */
    uint32_t input_layout;    /* >= 1 with INPT, else 0 */

    uint32_t n_sections;      /* sections present (v2), including skipped */
    uint32_t n_skipped;       /* unknown ancillary sections skipped */
    size_t total_len;
    uint32_t crc;

    /* On failure: byte offset and a constant text naming what was wrong. */
    size_t err_offset;
    const char *err_detail;
} rv_rvne_info;

/* Parse and strictly validate a whole blob (header, size, CRC, sections,
 * UTF-8 labels). Statuses: RV_ERR_BLOB_SIZE (short / size mismatch),
 * _MAGIC, _VERSION, _CRC, _FLAGS, _INPUT_DIM, _Q_HEADS, _KV_HEADS,
 * _HEAD_DIM, _LAYERS, _CLASSES, _WEIGHTS (weights_len vs shape),
 * _SECTION (bad value inside a known section), _SECTION_UNKNOWN,
 * _SECTION_DUP, _SECTION_LEN (runs past the end / wrong payload size /
 * nonzero padding), _COUNT (a section's count disagrees with the header),
 * _TEXT (empty, too long or invalid UTF-8 name/label). */
rv_status rv_rvne_parse(const uint8_t *buf, size_t len, rv_rvne_info *out);

/* Attention defaults used when a blob has no ATTN section (AETHER config). */
void rv_rvne_attn_default(rv_rvne_attn *a);

/* "CSI features", "feature state", "raw CSI features", "not declared";
 * "unknown" for a value outside RV_RVNE_INPUT_*. */
const char *rv_rvne_input_kind_name(uint32_t kind);

/* ---- tensor layout ---- */

typedef enum {
    RV_RVNE_T_IN_W = 0, RV_RVNE_T_IN_B, RV_RVNE_T_G_ATTN, RV_RVNE_T_WQ,
    RV_RVNE_T_WK, RV_RVNE_T_WV, RV_RVNE_T_WO, RV_RVNE_T_G_FFN, RV_RVNE_T_W1,
    RV_RVNE_T_B1, RV_RVNE_T_W2, RV_RVNE_T_B2, RV_RVNE_T_G_FINAL,
    RV_RVNE_T_HEAD_W, RV_RVNE_T_HEAD_B
} rv_rvne_tensor_kind;

typedef struct {
    rv_rvne_tensor_kind kind;
    uint32_t index;           /* layer (per-layer kinds) or head (HEAD_*) */
    uint32_t rows, cols;      /* [out][in]; vectors have cols == 1 */
    uint64_t offset;          /* in elements from the start of the weights */
} rv_rvne_tensor;

/* Validate an arch (same rules and statuses as the parser). */
rv_status   rv_rvne_arch_check(const rv_rvne_arch *a);
/* Total weight elements of an arch; 0 when the arch is invalid. */
uint64_t    rv_rvne_weight_count(const rv_rvne_arch *a);
/* Number of tensors, and tensor i in file order (RV_ERR_ARG past the end). */
uint32_t    rv_rvne_tensor_count(const rv_rvne_arch *a);
rv_status   rv_rvne_tensor_at(const rv_rvne_arch *a, uint32_t i, rv_rvne_tensor *t);
const char *rv_rvne_tensor_name(rv_rvne_tensor_kind k);   /* e.g. "Wq" */

/* Weight element i of a parsed blob as float (fp16 converted). */
float       rv_rvne_weight(const rv_rvne_info *info, uint64_t i);

/* Head h's name and label c as (pointer,len) into the blob; for a blob
 * without a HEAD section the name is "default" and labels are NULL/0
 * (rv_model supplies "class<c>"). RV_ERR_ARG when out of range. */
rv_status   rv_rvne_head_name(const rv_rvne_info *info, uint32_t h, rv_rvne_str *out);
rv_status   rv_rvne_label(const rv_rvne_info *info, uint32_t h, uint32_t c, rv_rvne_str *out);

/* IEEE binary16 <-> float (round to nearest even; NaN/Inf preserved). */
uint16_t    rv_rvne_f32_to_f16(float f);
float       rv_rvne_f16_to_f32(uint16_t h);

/* ---- writer (emits version 2, or version 1 for a v1-shaped arch) ---- */

typedef struct {
    const char *name;              /* NUL-terminated UTF-8 */
    const char *const *labels;     /* arch.head_classes[h] NUL-terminated */
} rv_rvne_head_spec;

typedef struct {
    uint32_t version;              /* RV_RVNE_VERSION (2) or 1 */
    bool fp16;
    rv_rvne_arch arch;
    const rv_rvne_attn *attn;      /* NULL = no ATTN section (defaults) */
    const float *feat_mean;        /* both NULL = no FNRM section */
    const float *feat_inv_std;
    uint32_t rope_pairs;           /* 0 = no ROPE section */
    const uint32_t *rope_periods;
    const rv_rvne_head_spec *heads;/* NULL = no HEAD section; else arch.n_heads */
    bool has_prov;
    uint64_t prov_seed;
    float prov_accuracy;           /* NaN = unknown */
    const char *prov_trainer, *prov_dataset, *prov_notes; /* NULL = empty */
    uint32_t input_kind;           /* RV_RVNE_INPUT_NONE = no INPT section */
    uint32_t input_layout;         /* >= 1 when input_kind is set */
} rv_rvne_spec;

/* Bytes rv_rvne_write will produce; 0 and *status set when spec is invalid. */
size_t    rv_rvne_write_size(const rv_rvne_spec *spec, rv_status *status);
/* Write the blob. weights: rv_rvne_weight_count(&spec->arch) floats in the
 * file order above. A v1 spec must be v1-shaped (no input_proj/norm/ffn/
 * head_bias, one head, no sections). The result parses with rv_rvne_parse. */
rv_status rv_rvne_write(const rv_rvne_spec *spec, const float *weights,
                        uint64_t n_weights, uint8_t *out, size_t out_size,
                        size_t *written);

/* Re-encode a parsed blob: to_version 1 or 2, fp16 or fp32. Sections of a v2
 * source are re-emitted (unknown ancillary ones dropped); v1 -> v2 writes
 * the defaults explicitly (ATTN, HEAD with class<c> labels). v2 -> v1 drops
 * names and provenance and needs a v1-shaped arch without FNRM/ROPE and
 * with the default attention (else RV_ERR_ARG). fp16 output refuses weights
 * beyond the fp16 range (RV_ERR_NOT_FINITE). Size query: call with
 * out == NULL (out_size ignored), *written gets the size. */
rv_status rv_rvne_convert(const rv_rvne_info *in, uint32_t to_version,
                          bool fp16, uint8_t *out, size_t out_size,
                          size_t *written);

#ifdef __cplusplus
}
#endif
#endif /* RV_RVNE_H */
