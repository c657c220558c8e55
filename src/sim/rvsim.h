/*
 * rvsim.h — librvsim: a physically grounded simulator of ESP32 CSI nodes in
 * a room (host only; C11 + libm, allocates).
 *
 * A session builds a room (walls, floor, ceiling as image-source
 * reflectors, furniture as point scatterers), an access point, N receiving
 * nodes and people whose bodies are moving point scatterers driven by a
 * scripted or randomised activity timeline. It then yields node packets in
 * simulated-time order, one at a time, each with the true activity label.
 * Model, parameters and limits: docs/simulator.md.
 *
 * Same config (including seed) -> identical packet sequence, bit for bit.
 */
#ifndef RVSIM_H
#define RVSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Activity labels, stable indices (the trainer uses them as class ids). */
typedef enum {
    RVSIM_ACT_EMPTY = 0,      /* nobody in the room */
    RVSIM_ACT_STILL,          /* present, standing or seated, breathing */
    RVSIM_ACT_WALKING,
    RVSIM_ACT_SIT_DOWN,       /* standing -> seated, ~2 s */
    RVSIM_ACT_STAND_UP,       /* seated or lying -> standing */
    RVSIM_ACT_FALL,           /* fast descent to the floor, 0.5-1 s */
    RVSIM_ACT_LYING,          /* still on the floor, breathing */
    RVSIM_ACT_WAVE,           /* hand waves side to side above the shoulder */
    RVSIM_ACT_PUSH_PULL,      /* hand pushes forward and pulls back */
    RVSIM_ACT_CIRCLE,         /* hand draws a circle in front of the body */
    RVSIM_ACT_APNEA,          /* present and still, breathing stopped */
    RVSIM_N_ACTIVITIES
} rvsim_activity;

const char *rvsim_activity_name(int act);          /* "walking", ... or NULL */
int         rvsim_activity_from_name(const char *name); /* -1 if unknown */

/* Scripted episodes ("actions"): finer truth than the activity class, for
 * event-level evaluation (falls, hard negatives). A segment's activity stays
 * one of the classes above; its action names the episode it belongs to. */
typedef enum {
    RVSIM_ACTION_NONE = 0,    /* ordinary timeline */
    RVSIM_ACTION_FALL,        /* fall, lie on the floor, get up */
    RVSIM_ACTION_FALL_RECOVER,/* fall, get up within 0.5-2 s */
    RVSIM_ACTION_SIT_FAST,    /* drop onto a chair in under 0.75 s */
    RVSIM_ACTION_LIE_BED,     /* lie down on a bed or sofa on purpose */
    RVSIM_ACTION_JUMP,        /* jump on the spot */
    RVSIM_ACTION_KNEEL,       /* kneel down, stay, get up */
    RVSIM_ACTION_PICK_UP,     /* bend to the floor and straighten up */
    RVSIM_ACTION_WALK_BY,     /* a second person crosses the room */
    RVSIM_N_ACTIONS
} rvsim_action;

const char *rvsim_action_name(int action);          /* "" for NONE, NULL if out of range */
int         rvsim_action_from_name(const char *name); /* -1 if unknown */

/* Scenario names, NULL-terminated, and a one-line description of each. */
const char *const *rvsim_scenario_names(void);
const char *rvsim_scenario_description(const char *name); /* NULL if unknown */

/* Receiver model (docs/simulator.md, "Receiver"). */
typedef enum {
    RVSIM_RX_FIXED = 0,       /* one receiver for every node: 1.5 dB AGC re-chosen
                                 per packet, EVM -33 dB white noise, LLTF tones
                                 1..26, the configured rate with +-20 % jitter */
    RVSIM_RX_CALIBRATED = 1   /* per node, drawn from the seed over ranges that
                                 cover real ESP32/S3/C3/C5/C6 recordings: noise
                                 level and colour, phase jitter, gain locked /
                                 hunting / glitching, the chip's filled tones,
                                 reported RSSI, rate x 0.7..1.45 of rate_hz,
                                 jitter 2..45 % */
} rvsim_receiver;

/* Node placement (docs/simulator.md, "Room, access point, nodes"). */
typedef enum {
    RVSIM_PLACE_PERIMETER = 0, /* evenly spaced along the walls (default) */
    RVSIM_PLACE_RANDOM = 1     /* anywhere on the walls, 0.3-2.0 m high, from the seed */
} rvsim_placement;

typedef struct {
    uint32_t    n_nodes;          /* 1..255, node ids 1..n */
    double      rate_hz;          /* CSI frames per second per node, 1..1000 */
    double      duration_s;       /* > 0 */
    uint64_t    seed;
    const char *scenario;         /* see rvsim_scenario_names() */
    double      loss, dup, reorder; /* per-packet probabilities, 0..1 */
    double      reboot_at_s;      /* < 0: no reboot */
    uint32_t    reboot_node;      /* node that reboots (default 1) */
    bool        feature_state;    /* also emit 0xC5110006 at ~5 Hz per node */
    bool        vitals;           /* also emit 0xC5110002 at 1 Hz per node */
    uint16_t    n_subcarriers;    /* 64 (LLTF) or 192 (LLTF + HT-LTF + STBC) */
    bool        ideal_receiver;   /* analysis only: no noise, no per-packet phase
                                     or timing offset (gain steps and int8 stay) */
    rvsim_receiver receiver;      /* default RVSIM_RX_FIXED */
    /* Node lifecycle (docs/simulator.md): */
    double      crash_loop_s;     /* > 0: crash_loop_node restarts every crash_loop_s
                                     (sequences back to 0), from the first period on */
    uint32_t    crash_loop_node;  /* 1..n_nodes, 0 = every node (default 1) */
    double      boot_time_s;      /* silence at each crash-loop restart, < crash_loop_s */
    double      channel_hop_s;    /* > 0: every node moves channel 1 -> 6 -> 11 -> 1 ...
                                     every channel_hop_s (raw CSI header frequency) */
    /* Multi-node rooms (docs/simulator.md, "Timing and network behaviour"): */
    rvsim_placement placement;    /* default RVSIM_PLACE_PERIMETER */
    double      node_skew_ms;     /* > 0: each node's packets arrive a fixed
                                     U(0, node_skew_ms) later (its latency offset) */
    double      node_jitter_ms;   /* > 0: plus, per packet, |N(0, 1)| x node_jitter_ms */
} rvsim_config;

void rvsim_config_default(rvsim_config *c);

/* One ground-truth segment: person p does activity a on [start, end). The
 * same truth holds for every node (nodes observe one room). */
typedef struct {
    uint32_t person;
    int      activity;            /* rvsim_activity */
    double   start, end;          /* simulated seconds */
    double   breath_bpm;          /* breathing rate during the segment, 0 if none */
    double   heart_bpm;
    int      action;              /* rvsim_action */
} rvsim_segment;

/* Flags on an emitted packet (what the impairment model did to it). */
#define RVSIM_PKT_DUPLICATE  0x1u  /* second copy of the previous packet */
#define RVSIM_PKT_REORDERED  0x2u  /* sent after a later packet of its node */
#define RVSIM_PKT_AFTER_REBOOT 0x4u

typedef struct {
    double         t;             /* emission (arrival) time, simulated seconds from 0:
                                     the measurement time plus the node's latency */
    uint8_t        node;          /* 1..n_nodes */
    uint32_t       magic;         /* RV_MAGIC_* of the packet */
    const uint8_t *data;          /* valid until the next rvsim_session_next() */
    size_t         len;
    int            label;         /* dominant true activity when the frame was measured */
    int            action;        /* rvsim_action of the person doing it (room truth) */
    uint32_t       people;        /* people in the room then (0: empty) */
    double         breath_bpm;    /* true breathing rate at t (0 if none) */
    uint32_t       flags;         /* RVSIM_PKT_* */
} rvsim_packet;

typedef struct rvsim_session rvsim_session;

/* NULL on bad config; err (may be NULL) receives a readable reason. */
rvsim_session *rvsim_session_new(const rvsim_config *cfg, char *err, size_t err_len);
void           rvsim_session_free(rvsim_session *s);
/* 1: *out filled; 0: end of session; never fails once created. */
int            rvsim_session_next(rvsim_session *s, rvsim_packet *out);
const rvsim_config *rvsim_session_config(const rvsim_session *s);
size_t         rvsim_session_n_segments(const rvsim_session *s);
const rvsim_segment *rvsim_session_segment(const rvsim_session *s, size_t i);
uint32_t       rvsim_session_n_people(const rvsim_session *s);
/* Dominant activity of the room at time t (priority: fall > gestures >
 * sit/stand > walking > apnea > lying > still > empty across people). */
int            rvsim_session_label_at(const rvsim_session *s, double t);

/* Room truth at time t: the dominant activity, the action of the person
 * doing it, and how many people are in the room. */
typedef struct {
    int      activity;            /* rvsim_activity */
    int      action;              /* rvsim_action */
    uint32_t people;
} rvsim_room_truth;
void           rvsim_session_room_at(const rvsim_session *s, double t, rvsim_room_truth *out);

/* Node node (1..n_nodes): position (m) and latency offset (s); -1 if no such node. */
int            rvsim_session_node(const rvsim_session *s, uint32_t node, double xyz[3],
                                  double *latency_s);

#ifdef __cplusplus
}
#endif
#endif /* RVSIM_H */
