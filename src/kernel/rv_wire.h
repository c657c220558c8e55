/*
 * rv_wire.h — node packets: magics, decoded structures, decode and encode.
 *
 * Every field is little-endian and packed on the wire; the codecs read and
 * write bytes explicitly (no struct casts), validate everything, and never
 * touch bytes beyond the length they are given. The byte layout of each
 * packet is documented field by field in docs/wire-format.md.
 *
 * Decoded raw CSI frames are zero-copy views: rv_csi_frame.iq points into
 * the caller's buffer, which must outlive the view (so do the payload/body
 * pointers of mesh, compressed and opaque packets).
 *
 * Contract of every decoder: (buf, len) is the whole datagram. The packet is
 * recognised by its first 4 bytes read as a little-endian u32 magic, then:
 *   len < 4 or shorter than the kind's fixed header   -> RV_ERR_TRUNCATED
 *   magic not the decoder's (or unknown to dispatch)  -> RV_ERR_MAGIC
 *   length differs from what the format/header says   -> RV_ERR_LENGTH
 *   CRC32 footer wrong (feature state, classification,
 *   mesh)                                             -> RV_ERR_CRC
 *   field out of range                                -> RV_ERR_ANTENNAS,
 *        RV_ERR_SUBCARRIERS, RV_ERR_VERSION, RV_ERR_FIELD
 * Magic and length are checked first, then the CRC, then fields (one
 * exception: a mesh payload_len above 256 is RV_ERR_FIELD before the length
 * check), so a corrupted packet reports its CRC before any field check.
 * Float fields are passed through unvalidated (NaN included).
 *
 * Magic sharing (see docs/wire-format.md "0xC5110004 and 0xC5110007"):
 *   0xC5110004 is WASM module output when len == 8 + 5n, n >= 1 and the
 *     u16 event count at bytes 6..7 equals n; otherwise fused vitals when
 *     len == 48; anything else RV_ERR_LENGTH (RV_ERR_TRUNCATED below 8
 *     bytes). 48 == 8 + 5*8, so a 48-byte packet is WASM only when bytes
 *     6..7 hold 8 — as fused vitals that would be a breathing rate of
 *     0.08 BPM, which the firmware does not report.
 *   0xC5110007 is classification when len == 40; firmware after RuView
 *     issue #928 also sends WASM output on it, recognised by the same 8 + 5n
 *     rule (40 is never 8 + 5n); otherwise RV_ERR_TRUNCATED below 40 bytes,
 *     RV_ERR_LENGTH above.
 *
 * Encoders check their arguments (RV_ERR_NULL, RV_ERR_ANTENNAS, ...), write
 * exactly the wire size and report it in *written; RV_ERR_SHORT_OUTPUT when
 * cap is too small (nothing is written then). CRC footers are computed.
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
/* WASM module output on the classification magic (firmware after #928). */
#define RV_MAGIC_WASM_OUTPUT_ALT  0xC5110007u

#define RV_CSI_HEADER_SIZE        20u
#define RV_CSI_MAX_ANTENNAS       4u
/* Largest count a single UDP datagram can carry for one antenna. */
#define RV_CSI_MAX_SUBCARRIERS    4096u
#define RV_VITALS_SIZE            32u
#define RV_FEATURES_SIZE          48u
#define RV_FUSED_VITALS_SIZE      48u
#define RV_FEATURE_STATE_SIZE     60u
#define RV_CLASSIFICATION_SIZE    40u
#define RV_WASM_HEADER_SIZE       8u   /* then 5 bytes per event */
#define RV_WASM_EVENT_SIZE        5u
#define RV_CSI_COMPRESSED_HEADER_SIZE 10u
#define RV_MESH_HEADER_SIZE       16u  /* then payload, then u32 CRC32 */
#define RV_MESH_MAX_PAYLOAD       256u
#define RV_MESH_VERSION           1u
#define RV_TIMESYNC_SIZE          32u  /* proto v1 */
#define RV_TIMESYNC_SIZE_V2       38u  /* proto v2: + node MAC */

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

/* 0xC5110001 raw CSI (ADR-018). I/Q pairs are (imaginary, real) int8 — the
 * imaginary part comes FIRST, as ESP-IDF stores it — antenna-major: pair p
 * of antenna a is iq[2*(a*n_subcarriers + p)] = imag, iq[... + 1] = real.
 * Subcarriers are in buffer order (for LLTF: 0..31 then -32..-1), not
 * frequency order. The wire carries no timestamp. */
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
    bool     fused;           /* decoded from a 48-byte 0xC5110004 packet */
} rv_vitals;

/* 0xC5110003 feature vector (48 bytes). */
typedef struct {
    uint8_t  node_id;
    uint16_t seq;
    int64_t  ts_us;
    float    features[8];
} rv_feature_vector;

/* WASM module output: u32 magic, u8 node, u8 module_id, u16 count, then
 * {u8 type, f32 value}[count] — 8 + 5 * count bytes, count >= 1. */
#define RV_WASM_MAX_EVENTS 64u
typedef struct {
    uint8_t  node_id;
    uint8_t  module_id;
    uint16_t n_events;
    uint8_t  type[RV_WASM_MAX_EVENTS];
    float    value[RV_WASM_MAX_EVENTS];
    /* Magic it came on / goes out on: RV_MAGIC_FUSED_VITALS (0 means that
     * too) or RV_MAGIC_WASM_OUTPUT_ALT. */
    uint32_t magic;
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

/* Header-level view of packets we recognise but do not interpret.
 *   CSI_COMPRESSED: node_id = byte 4, seq 0, body = compressed bytes.
 *   MESH:           node_id 0 (the header has none), seq 0, body = payload.
 *   TIMESYNC:       node_id = byte 4, seq 0 (the CSI high-water sequence is
 *                   in rv_timesync), body NULL.
 * The dedicated decoders below give every header field. */
typedef struct {
    uint8_t  node_id;         /* when the format has one at byte 4, else 0 */
    uint32_t seq;             /* when the format has one, else 0 */
    size_t   length;
    const uint8_t *body;      /* view into the datagram, or NULL */
    size_t   body_len;
} rv_opaque_pkt;

/* 0xC5110005 compressed CSI: u32 magic, u8 node_id, u8 channel, u16 raw I/Q
 * length, u16 compressed length, then that many bytes (XOR-delta + RLE
 * against the node's previous frame — not decodable from the stream). */
typedef struct {
    uint8_t  node_id;
    uint8_t  channel;
    uint16_t raw_len;
    uint16_t comp_len;
    const uint8_t *data;      /* comp_len bytes, view into the datagram */
} rv_csi_compressed;

/* 0xC5118100 mesh control (ADR-081): u32 magic, u8 version (1), u8 msg_type,
 * u8 sender_role, u8 auth_class, u32 epoch, u16 payload_len (<= 256),
 * u16 reserved, payload, u32 CRC32 over everything before it. */
typedef struct {
    uint8_t  version;
    uint8_t  msg_type;        /* 1 time-sync .. 7 anomaly alert; not checked */
    uint8_t  sender_role;
    uint8_t  auth_class;
    uint32_t epoch;
    uint16_t payload_len;
    const uint8_t *payload;   /* view into the datagram */
} rv_mesh_msg;

/* 0xC511A110 time-sync anchor (ADR-110), 32 bytes (v1) or 38 (v2). */
typedef struct {
    uint8_t  node_id;
    uint8_t  proto_ver;
    uint8_t  flags;           /* bit0 leader, bit1 valid, bit2 smoothed */
    uint8_t  min_heap_2k;     /* byte 7: min free heap / 2048, 0 = unknown */
    uint64_t local_us;        /* node clock */
    uint64_t epoch_us;        /* mesh-aligned clock */
    uint32_t csi_seq_high_water; /* pairs with rv_csi_frame.seq */
    uint8_t  reset_reason, thermal_state; /* bytes 28, 29 */
    int8_t   die_temp_c;      /* byte 30, 0 = unknown */
    uint8_t  tx_dbm;          /* byte 31, 0 = unknown */
    bool     has_mac;         /* 38-byte packet with proto_ver >= 2 */
    uint8_t  mac[6];
} rv_timesync;

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
 * valid. On failure the status says why, out->magic holds the first 4 bytes
 * (when len >= 4) and out->kind the kind the packet was taken for
 * (RV_PKT_UNKNOWN for an unknown magic) so callers can count errors per
 * kind; the union is unspecified. */
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
rv_status rv_csi_compressed_decode(const uint8_t *buf, size_t len, rv_csi_compressed *out);
rv_status rv_mesh_decode(const uint8_t *buf, size_t len, rv_mesh_msg *out);
rv_status rv_timesync_decode(const uint8_t *buf, size_t len, rv_timesync *out);

/* Encoders write exactly the wire size and report it in *written.
 * rv_csi_frame_size() is 20 + 2*n_antennas*n_subcarriers, 0 if a count is
 * out of range. */
size_t    rv_csi_frame_size(uint8_t n_antennas, uint16_t n_subcarriers);
rv_status rv_csi_frame_encode(const rv_csi_frame *f, uint8_t *out, size_t cap, size_t *written);
rv_status rv_vitals_encode(const rv_vitals *v, bool fused, uint8_t *out, size_t cap, size_t *written);
rv_status rv_feature_vector_encode(const rv_feature_vector *f, uint8_t *out, size_t cap, size_t *written);
rv_status rv_wasm_output_encode(const rv_wasm_output *w, uint8_t *out, size_t cap, size_t *written);
rv_status rv_feature_state_encode(const rv_feature_state *s, uint8_t *out, size_t cap, size_t *written);
rv_status rv_classification_encode(const rv_classification *c, uint8_t *out, size_t cap, size_t *written);
rv_status rv_csi_compressed_encode(const rv_csi_compressed *c, uint8_t *out, size_t cap, size_t *written);
rv_status rv_mesh_encode(const rv_mesh_msg *m, uint8_t *out, size_t cap, size_t *written);
/* Writes 38 bytes when t->has_mac (proto_ver must then be >= 2), else 32. */
rv_status rv_timesync_encode(const rv_timesync *t, uint8_t *out, size_t cap, size_t *written);

#ifdef __cplusplus
}
#endif
#endif /* RV_WIRE_H */
