/*
 * wire_golden.h — hand-written node packets for the wire tests.
 *
 * Every byte below was written by hand from docs/wire-format.md (field
 * comments say which is which), NOT produced by our encoders. Float bytes
 * are IEEE-754 little-endian (e.g. 1.5f = 0x3FC00000 -> 00 00 C0 3F). The
 * CRC32 footers were computed independently at authoring time with
 *   python3 -c 'import zlib,struct; print(struct.pack("<I", zlib.crc32(bytes.fromhex("..."))).hex(" "))'
 * over the bytes before the footer.
 */
#ifndef WIRE_GOLDEN_H
#define WIRE_GOLDEN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Raw CSI, 1 antenna x 2 subcarriers: checks the (imag, real) order. */
static const uint8_t golden_csi[24] = {
    0x01, 0x00, 0x11, 0xC5,     /* magic 0xC5110001 */
    0x07,                       /* node_id 7 */
    0x01,                       /* n_antennas 1 */
    0x02, 0x00,                 /* n_subcarriers 2 */
    0x85, 0x09, 0x00, 0x00,     /* freq 2437 MHz */
    0x78, 0x56, 0x34, 0x12,     /* sequence 0x12345678 */
    0xD8,                       /* rssi -40 */
    0xA1,                       /* noise floor -95 */
    0x02,                       /* ppdu type 2 */
    0x10,                       /* flags: bit 4 sync valid */
    0x03, 0x04,                 /* sc 0: imag 3, real 4 */
    0xFD, 0x7F,                 /* sc 1: imag -3, real 127 */
};

/* Raw CSI, 2 antennas x 3 subcarriers: antenna-major pairs. */
static const uint8_t golden_csi_2ant[32] = {
    0x01, 0x00, 0x11, 0xC5, 0x02, /* magic, node 2 */
    0x02,                       /* n_antennas 2 */
    0x03, 0x00,                 /* n_subcarriers 3 */
    0x6C, 0x14, 0x00, 0x00,     /* freq 5228 MHz */
    0x01, 0x00, 0x00, 0x00,     /* sequence 1 */
    0xC4, 0xA0, 0x00, 0x00,     /* rssi -60, noise -96, ppdu 0, flags 0 */
    0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,  /* antenna 0: (10,11) (12,13) (14,15) */
    0x14, 0x15, 0x16, 0x17, 0x18, 0x19,  /* antenna 1: (20,21) (22,23) (24,25) */
};

/* Header of a 256-subcarrier frame; the 512 I/Q bytes follow (tests fill
 * byte k with (int8_t)(k - 100)). n_subcarriers = 0x0100: a u8 read sees 0. */
static const uint8_t golden_csi256_hdr[20] = {
    0x01, 0x00, 0x11, 0xC5, 0x05, 0x01,
    0x00, 0x01,                 /* n_subcarriers 256 */
    0x6C, 0x09, 0x00, 0x00,     /* freq 2412 */
    0xFF, 0xFF, 0xFF, 0xFF,     /* sequence 0xFFFFFFFF */
    0xCE, 0x9F, 0x00, 0x00,     /* rssi -50, noise -97 */
};

static const uint8_t golden_vitals[32] = {
    0x02, 0x00, 0x11, 0xC5,     /* magic 0xC5110002 */
    0x03,                       /* node_id 3 */
    0x05,                       /* flags: presence | motion */
    0xF5, 0x05,                 /* breathing 1525 = 15.25 BPM */
    0x08, 0x10, 0x0B, 0x00,     /* heart rate 725000 = 72.5 BPM */
    0xCC,                       /* rssi -52 */
    0x01,                       /* n_persons 1 */
    0x00, 0x00,                 /* reserved */
    0x00, 0x00, 0xC0, 0x3F,     /* motion_energy 1.5 */
    0x00, 0x00, 0x40, 0x3F,     /* presence_score 0.75 */
    0x40, 0xE2, 0x01, 0x00,     /* timestamp_ms 123456 */
    0x00, 0x00, 0x00, 0x00,     /* reserved */
};

static const uint8_t golden_fused[48] = {
    0x04, 0x00, 0x11, 0xC5,     /* magic 0xC5110004 */
    0x09,                       /* node_id 9 */
    0x09,                       /* flags: presence | mmwave present */
    0x78, 0x05,                 /* breathing 1400 */
    0x10, 0xEB, 0x09, 0x00,     /* heart rate 650000 */
    0xC4,                       /* rssi -60 */
    0x02,                       /* n_persons 2 */
    0x01,                       /* mmwave_type 1 */
    0x50,                       /* fusion_confidence 80 */
    0x00, 0x00, 0x00, 0x40,     /* motion_energy 2.0 */
    0x00, 0x00, 0x80, 0x3F,     /* presence_score 1.0 */
    0xE8, 0x03, 0x00, 0x00,     /* timestamp_ms 1000 */
    0x00, 0x00, 0x80, 0x42,     /* @28 mmwave_hr 64.0 */
    0x00, 0x00, 0x68, 0x41,     /* @32 mmwave_br 14.5 */
    0x00, 0x00, 0x16, 0x43,     /* @36 distance_cm 150.0 */
    0x01,                       /* @40 targets 1 */
    0x5A,                       /* @41 confidence 90 */
    0x00, 0x00,                 /* reserved u16 */
    0x00, 0x00, 0x00, 0x00,     /* reserved u32 */
};

static const uint8_t golden_features[48] = {
    0x03, 0x00, 0x11, 0xC5,     /* magic 0xC5110003 */
    0x04, 0x00,                 /* node_id 4, reserved */
    0x02, 0x01,                 /* seq 0x0102 */
    0x40, 0x42, 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00,  /* ts_us 1000000 */
    0x00, 0x00, 0x00, 0x00,     /* 0.0 */
    0x00, 0x00, 0x00, 0x3F,     /* 0.5 */
    0x00, 0x00, 0x80, 0x3F,     /* 1.0 */
    0x00, 0x00, 0x80, 0xBF,     /* -1.0 */
    0x00, 0x00, 0x80, 0x3E,     /* 0.25 */
    0x00, 0x00, 0x00, 0x40,     /* 2.0 */
    0x00, 0x00, 0x00, 0x3E,     /* 0.125 */
    0x00, 0x00, 0x00, 0xBF,     /* -0.5 */
};

/* WASM output on 0xC5110004: 8 + 5 * 2 bytes. */
static const uint8_t golden_wasm[18] = {
    0x04, 0x00, 0x11, 0xC5,     /* magic 0xC5110004 */
    0x05, 0x02,                 /* node_id 5, module_id 2 */
    0x02, 0x00,                 /* event_count 2 */
    0x01, 0x00, 0x00, 0x80, 0x3F,   /* type 1, value 1.0 */
    0x07, 0x00, 0x00, 0x20, 0xC0,   /* type 7, value -2.5 */
};

/* WASM output on 0xC5110007 (firmware after #928): 8 + 5 * 1 bytes. */
static const uint8_t golden_wasm7[13] = {
    0x07, 0x00, 0x11, 0xC5, 0x06, 0x00, 0x01, 0x00,
    0x03, 0x00, 0x00, 0x00, 0x3F,   /* type 3, value 0.5 */
};

static const uint8_t golden_state[60] = {
    0x06, 0x00, 0x11, 0xC5,     /* magic 0xC5110006 */
    0x0A, 0x01,                 /* node_id 10, mode 1 */
    0x03, 0x02,                 /* seq 0x0203 */
    0x05, 0x04, 0x03, 0x02, 0x01, 0x00, 0x00, 0x00,  /* ts_us 0x0102030405 */
    0x00, 0x00, 0x00, 0x3F,     /* motion 0.5 */
    0x00, 0x00, 0x80, 0x3F,     /* presence 1.0 */
    0x00, 0x00, 0x70, 0x41,     /* respiration_bpm 15.0 */
    0x00, 0x00, 0x40, 0x3F,     /* respiration_conf 0.75 */
    0x00, 0x00, 0x70, 0x42,     /* heartbeat_bpm 60.0 */
    0x00, 0x00, 0x80, 0x3E,     /* heartbeat_conf 0.25 */
    0x00, 0x00, 0x00, 0x00,     /* anomaly 0.0 */
    0x00, 0x00, 0x00, 0x3E,     /* env_shift 0.125 */
    0x00, 0x00, 0x80, 0x3F,     /* node_coherence 1.0 */
    0x03, 0x00,                 /* quality_flags 3 */
    0x00, 0x00,                 /* reserved */
    0x1F, 0x0C, 0xB9, 0xCD,     /* crc32(bytes 0..55), python zlib */
};

static const uint8_t golden_class[40] = {
    0x07, 0x00, 0x11, 0xC5,     /* magic 0xC5110007 */
    0x01, 0x00,                 /* version 1 */
    0x04, 0x00,                 /* n_classes 4 */
    0x0B, 0x00, 0x00, 0x00,     /* node_id 11, reserved[3] */
    0x40, 0x4B, 0x4C, 0x00, 0x00, 0x00, 0x00, 0x00,  /* ts_us 5000000 */
    0x2A, 0x00, 0x00, 0x00,     /* seq 42 */
    0x02, 0x00, 0x00, 0x00,     /* argmax 2, reserved2[3] */
    0x00, 0x00, 0x60, 0x40,     /* top_logit 3.5 */
    0x00, 0x00, 0xA0, 0x3F,     /* top1_minus_top2 1.25 */
    0x9C, 0xFA, 0x36, 0x41,     /* crc32(bytes 0..35), python zlib */
};

static const uint8_t golden_compressed[13] = {
    0x05, 0x00, 0x11, 0xC5,     /* magic 0xC5110005 */
    0x0C, 0x06,                 /* node_id 12, channel 6 */
    0x80, 0x00,                 /* raw I/Q length 128 */
    0x03, 0x00,                 /* compressed length 3 */
    0xAA, 0xBB, 0xCC,           /* compressed bytes */
};

/* Mesh TIME_SYNC message: 16-byte header, 16-byte payload, CRC32. */
static const uint8_t golden_mesh[36] = {
    0x00, 0x81, 0x11, 0xC5,     /* magic 0xC5118100 */
    0x01,                       /* version 1 */
    0x01,                       /* msg_type 1 = time sync */
    0x01,                       /* sender_role 1 = anchor */
    0x00,                       /* auth_class 0 */
    0x07, 0x00, 0x00, 0x00,     /* epoch 7 */
    0x10, 0x00,                 /* payload_len 16 */
    0x00, 0x00,                 /* reserved */
    0x40, 0x42, 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00,  /* anchor_time_us 1000000 */
    0x03, 0x00, 0x00, 0x00,     /* cycle_id 3 */
    0x50, 0xC3, 0x00, 0x00,     /* cycle_period_us 50000 */
    0x5F, 0x9F, 0xED, 0x7F,     /* crc32(bytes 0..31), python zlib */
};

static const uint8_t golden_timesync[32] = {
    0x10, 0xA1, 0x11, 0xC5,     /* magic 0xC511A110 */
    0x09,                       /* node_id 9 */
    0x01,                       /* proto_ver 1 */
    0x06,                       /* flags: valid | smoothed */
    0x00,                       /* min heap: unreported */
    0xF2, 0x6D, 0xB7, 0x01, 0x00, 0x00, 0x00, 0x00,  /* local_us 28798450 */
    0xC5, 0xAC, 0xA5, 0x01, 0x00, 0x00, 0x00, 0x00,  /* epoch_us 27634885 */
    0x14, 0x00, 0x00, 0x00,     /* CSI seq high-water 20 */
    0x01, 0x00, 0x2A, 0x14,     /* reset 1, thermal 0, 42 C, 20 dBm */
};

static const uint8_t golden_timesync_v2[38] = {
    0x10, 0xA1, 0x11, 0xC5, 0x0C, 0x02, 0x03, 0x10,  /* node 12, v2, leader|valid, heap 16 */
    0x10, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* local_us 10000 */
    0x17, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* epoch_us 10007 */
    0x00, 0x00, 0x00, 0x80,     /* high-water 0x80000000 */
    0x00, 0x00, 0x00, 0x00,
    0x24, 0x0A, 0xC4, 0x12, 0x34, 0x56,  /* node MAC */
};

/* Exactly-sized heap copy, so ASan flags any read past len (glibc and
 * ASan return a unique, zero-byte block for malloc(0)). */
static inline uint8_t *wire_exact(const uint8_t *src, size_t len)
{
    uint8_t *p = (uint8_t *)malloc(len);
    if (p != NULL && len)
        memcpy(p, src, len);
    return p;
}

#endif /* WIRE_GOLDEN_H */
