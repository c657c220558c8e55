/*
 * rv_wire.h — node packets: magics, decoded structures, decode and encode.
 *
 * Every field is little-endian and packed on the wire; the codecs read and
 * write bytes explicitly (no struct casts), validate everything, and never
 * touch bytes beyond the length they are given. The byte layout of each
 * packet is documented in docs/wire-format.md.
 *
 * Decoded raw CSI frames are zero-copy views: rv_csi_frame.iq points into
 * the caller's buffer, which must outlive the view.
 */
#ifndef RV_WIRE_H
#define RV_WIRE_H

#include "rv_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_MAGIC_CSI_RAW          0xC5110001u
#define RV_MAGIC_VITALS           0xC5110002u
#define RV_MAGIC_FEATURES         0xC5110003u
#define RV_MAGIC_FUSED_VITALS     0xC5110004u /* also WASM module output */
#define RV_MAGIC_CSI_COMPRESSED   0xC5110005u
#define RV_MAGIC_FEATURE_STATE    0xC5110006u
#define RV_MAGIC_CLASSIFICATION   0xC5110007u
#define RV_MAGIC_MESH             0xC5118100u
#define RV_MAGIC_TIMESYNC         0xC511A110u

#define RV_CSI_HEADER_SIZE        20u
#define RV_CSI_MAX_ANTENNAS       4u
/* Largest count a single UDP datagram can carry for one antenna. */
#define RV_CSI_MAX_SUBCARRIERS    4096u
#define RV_VITALS_SIZE            32u
#define RV_FEATURES_SIZE          48u
#define RV_FUSED_VITALS_SIZE      48u
#define RV_FEATURE_STATE_SIZE     60u
#define RV_CLASSIFICATION_SIZE    40u

typedef enum {
    RV_PKT_UNKNOWN = 0,
    RV_PKT_CSI_RAW,
    RV_PKT_VITALS,
    RV_PKT_FEATURES,
    RV_PKT_FUSED_VITALS,
    RV_PKT_WASM_OUTPUT,       /* 0xC5110004 with the 8+5n module-output shape */
    RV_PKT_CSI_COMPRESSED,    /* accepted and counted, never decoded */
    RV_PKT_FEATURE_STATE,
    RV_PKT_CLASSIFICATION,
    RV_PKT_MESH,
    RV_PKT_TIMESYNC,
    RV_PKT_KIND_COUNT
} rv_pkt_kind;

const char *rv_pkt_kind_name(rv_pkt_kind k);   /* "csi-raw", "vitals", ... */

/* 0xC5110001 raw CSI (ADR-018). I/Q pairs are (imaginary, real) int8,
 * antenna-major: pair p of antenna a is iq[2*(a*n_subcarriers + p)] = imag,
 * iq[... + 1] = real. */
typedef struct {
    uint8_t  node_id;
    uint8_t  n_antennas;
    uint16_t n_subcarriers;
    uint32_t freq_mhz;
    uint32_t seq;
    int8_t   rssi;
    int8_t   noise_floor;
    uint8_t  ppdu_type;       /* byte 18, reserved on older firmware */
    uint8_t  flags;           /* byte 19; bit 4 = cross-node sync valid */
    const int8_t *iq;         /* 2 * n_antennas * n_subcarriers bytes */
} rv_csi_frame;

/* 0xC5110002 vitals (32 bytes) and the first 32 bytes of fused vitals. */
typedef struct {
    uint8_t  node_id;
    uint8_t  flags;           /* bit0 presence, bit1 fall, bit2 motion */
    uint16_t breathing_centi_bpm;  /* BPM * 100 */
    uint32_t heart_rate_bpm_e4;    /* BPM * 10000 */
    int8_t   rssi;
    uint8_t  n_persons;
    uint8_t  mmwave_type;     /* fused only (byte 14) */
    uint8_t  fusion_confidence; /* fused only (byte 15) */
    float    motion_energy;
    float    presence_score;
    uint32_t timestamp_ms;
    /* fused vitals (0xC5110004, 48 bytes) only: */
    float    mmwave_hr, mmwave_br, distance_cm;
    uint8_t  targets, confidence;
} rv_vitals;

/* 0xC5110003 feature vector (48 bytes). */
typedef struct {
    uint8_t  node_id;
    uint16_t seq;
    int64_t  ts_us;
    float    features[8];
} rv_feature_vector;

/* 0xC5110004 WASM module output: node, module_id, u16 count, {u8 type, f32 value}[count]. */
#define RV_WASM_MAX_EVENTS 64u
typedef struct {
    uint8_t  node_id;
    uint8_t  module_id;
    uint16_t n_events;
    uint8_t  type[RV_WASM_MAX_EVENTS];
    float    value[RV_WASM_MAX_EVENTS];
} rv_wasm_output;

/* 0xC5110006 feature state (ADR-081), 60 bytes, CRC32 over bytes 0..55. */
typedef struct {
    uint8_t  node_id;
    uint8_t  mode;
    uint16_t seq;
    uint64_t ts_us;
    float    motion, presence, respiration_bpm, respiration_conf;
    float    heartbeat_bpm, heartbeat_conf, anomaly, env_shift, node_coherence;
    uint16_t quality_flags;
} rv_feature_state;

/* 0xC5110007 temporal-head classification (ADR-095), 40 bytes, CRC32 over 0..35. */
typedef struct {
    uint16_t version;         /* 1 */
    uint16_t n_classes;
    uint8_t  node_id;
    uint64_t ts_us;
    uint32_t seq;
    uint8_t  argmax;
    float    top_logit;
    float    top1_minus_top2;
} rv_classification;

/* Header-level view of packets we recognise but do not interpret. */
typedef struct {
    uint8_t  node_id;         /* when the format has one at byte 4, else 0 */
    uint32_t seq;             /* when the format has one, else 0 */
    size_t   length;
} rv_opaque_pkt;

typedef struct {
    rv_pkt_kind kind;
    uint32_t magic;
    union {
        rv_csi_frame       csi;
        rv_vitals          vitals;       /* VITALS and FUSED_VITALS */
        rv_feature_vector  features;
        rv_wasm_output     wasm;
        rv_feature_state   state;
        rv_classification  cls;
        rv_opaque_pkt      opaque;       /* CSI_COMPRESSED, MESH, TIMESYNC */
    } u;
} rv_pkt;

/* Decode any node packet. On success out->kind says which union member is
 * valid; on failure *out is unspecified and the status says why. */
rv_status rv_pkt_decode(const uint8_t *buf, size_t len, rv_pkt *out);
/* Node id and sequence of a decoded packet, whatever its kind (0 if none). */
uint8_t   rv_pkt_node_id(const rv_pkt *p);
uint32_t  rv_pkt_seq(const rv_pkt *p);

rv_status rv_csi_frame_decode(const uint8_t *buf, size_t len, rv_csi_frame *out);
rv_status rv_vitals_decode(const uint8_t *buf, size_t len, rv_vitals *out);
rv_status rv_feature_vector_decode(const uint8_t *buf, size_t len, rv_feature_vector *out);
rv_status rv_wasm_output_decode(const uint8_t *buf, size_t len, rv_wasm_output *out);
rv_status rv_feature_state_decode(const uint8_t *buf, size_t len, rv_feature_state *out);
rv_status rv_classification_decode(const uint8_t *buf, size_t len, rv_classification *out);

/* Encoders write exactly the wire size and report it in *written. */
size_t    rv_csi_frame_size(uint8_t n_antennas, uint16_t n_subcarriers);
rv_status rv_csi_frame_encode(const rv_csi_frame *f, uint8_t *out, size_t cap, size_t *written);
rv_status rv_vitals_encode(const rv_vitals *v, bool fused, uint8_t *out, size_t cap, size_t *written);
rv_status rv_feature_vector_encode(const rv_feature_vector *f, uint8_t *out, size_t cap, size_t *written);
rv_status rv_wasm_output_encode(const rv_wasm_output *w, uint8_t *out, size_t cap, size_t *written);
rv_status rv_feature_state_encode(const rv_feature_state *s, uint8_t *out, size_t cap, size_t *written);
rv_status rv_classification_encode(const rv_classification *c, uint8_t *out, size_t cap, size_t *written);

#ifdef __cplusplus
}
#endif
#endif /* RV_WIRE_H */
