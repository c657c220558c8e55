/*
 * rv_room.h — one room's decision fused from several links, and fall
 * events confirmed over time.
 *
 * A link is one (node, antenna) stream with its own classifier output.
 * Links carry no common clock, so evidence is aligned by stream (arrival)
 * time: a link contributes while its newest frame is within `tolerance_ns`
 * of the newest frame of any link in the room (older evidence is stale),
 * and not at all while the caller has marked its node offline.
 *
 * Fusion (docs/rooms.md): each link's weight is its own signal quality
 * measured online, with no per-room training:
 *   - certainty   1 - normalised entropy of its probabilities averaged over
 *                 `smoothing_ns`;
 *   - agreement   running rate at which its gated decision agreed with the
 *                 room (starts at 1/2, so a new link counts half);
 *   - motion SNR  |log(score / threshold)| of its motion detector, capped
 *                 (a link whose score sits at its threshold cannot tell
 *                 quiet from motion); 1 when the link has no detector;
 *   - rate        its packet rate over the room's fastest link.
 * Links under `min_weight` of the best link are gated out. The evidence is
 * the weighted geometric mean (log-linear pool) of the kept links' newest
 * ungated model probabilities; a forward filter over the classes in stream
 * time (sticky: the belief leaks toward uniform with time constant
 * `switch_ns` and takes the evidence at one full frame per `evidence_ns`)
 * turns it into the room's belief, whose strongest class is the label.
 * The links' motion detectors gate the label as rvclassify gates a link:
 * when the weighted vote of the kept links' detectors (moving = calibrated
 * and over its threshold) says quiet, the label is a presence class, else
 * another class (docs/rooms.md: the real recordings decide this). Status
 * classes never win.
 *
 * Falls (rv_fall.h): the impact is the room's ungated fall probability
 * (the pool above) reaching `fall_threshold`; it is confirmed when, within
 * `fall_window_ns` of its onset, the room's label stays on a DOWN or FALL
 * class for `fall_confirm_ns` in a row. A getting-up (UP) label that has
 * lasted 0.3 s, later than `fall_grace_ns` after the onset, drops the
 * candidate; one within `fall_cancel_ns` after the alarm cancels it
 * (RV_ROOM_FALL_CANCEL, same onset).
 *
 * Memory: rv_room_mem_size() bytes, caller-owned, no allocation, no
 * GLib; all times are stream time in nanoseconds.
 */
#ifndef RV_ROOM_H
#define RV_ROOM_H

#include "rv_base.h"
#include "rv_fall.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_ROOM_MAX_LINKS    32u
#define RV_ROOM_MAX_CLASSES  32u

/* Class roles (bit flags; a class may have several). */
#define RV_ROOM_ROLE_PRESENCE  (1u << 0) /* nobody moves: empty, still, lying */
#define RV_ROOM_ROLE_STATUS    (1u << 1) /* unknown / offline: never a room label */
#define RV_ROOM_ROLE_EMPTY     (1u << 2) /* the room is empty */
#define RV_ROOM_ROLE_FALL      (1u << 3) /* the impact class */
#define RV_ROOM_ROLE_DOWN      (1u << 4) /* the body low after a fall (lying) */
#define RV_ROOM_ROLE_UP        (1u << 5) /* getting up / walking away */

#define RV_ROOM_DEFAULT_TOLERANCE_NS    300000000ull   /* 300 ms */
#define RV_ROOM_DEFAULT_SMOOTHING_NS    400000000ull   /* 0.4 s */
#define RV_ROOM_DEFAULT_MIN_WEIGHT      0.25f
#define RV_ROOM_DEFAULT_HOLD_NS         0ull           /* the filter holds */
#define RV_ROOM_DEFAULT_SWITCH_NS       1000000000ull  /* 1 s */
#define RV_ROOM_DEFAULT_EVIDENCE_NS     30000000ull    /* 30 ms */
#define RV_ROOM_DEFAULT_FALL_THRESHOLD  RV_FALL_DEFAULT_THRESHOLD
#define RV_ROOM_DEFAULT_FALL_WINDOW_NS  RV_FALL_DEFAULT_WINDOW_NS
#define RV_ROOM_DEFAULT_FALL_CONFIRM_NS RV_FALL_DEFAULT_CONFIRM_NS
#define RV_ROOM_DEFAULT_FALL_GRACE_NS   RV_FALL_DEFAULT_GRACE_NS
#define RV_ROOM_DEFAULT_FALL_CANCEL_NS  RV_FALL_DEFAULT_CANCEL_NS

typedef struct {
    uint32_t n_classes;           /* 1..RV_ROOM_MAX_CLASSES */
    uint8_t  roles[RV_ROOM_MAX_CLASSES]; /* RV_ROOM_ROLE_* per class */
    uint64_t tolerance_ns;        /* alignment tolerance between links */
    uint64_t smoothing_ns;        /* per-link probability average */
    float    min_weight;          /* gate: links under this x the best weight */
    uint64_t hold_ns;             /* a new room label must lead this long */
    uint64_t switch_ns;           /* filter: belief leaks to uniform (> 0) */
    uint64_t evidence_ns;         /* filter: one full frame of evidence per (> 0) */
    float    fall_threshold;      /* room fall probability of an impact */
    uint64_t fall_window_ns;      /* onset -> confirmation deadline */
    uint64_t fall_confirm_ns;     /* low and still this long confirms */
    uint64_t fall_grace_ns;       /* getting up this soon after the onset is the descent */
    uint64_t fall_cancel_ns;      /* getting up this soon after the alarm cancels */
} rv_room_config;

/* One frame of one link. */
typedef struct {
    uint8_t  node;
    uint8_t  antenna;
    uint64_t t_ns;                /* stream time of the frame */
    const float *levels;          /* ungated model probabilities, n_classes */
    int32_t  decision;            /* the link's gated decision, -1 = none */
    int      has_motion;          /* the fields below are valid */
    int      motion;
    int      calibrated;
    float    score;
    float    threshold;
} rv_room_obs;

typedef struct {
    int32_t  label;               /* class index, -1 = no link yet */
    float    confidence;
    int      occupied;
    uint32_t links;               /* links used */
    uint64_t t_ns;                /* stream time of the newest contributing frame */
} rv_room_state;

/* A fall event of the room (rv_fall.h). */
typedef rv_fall_kind rv_room_fall_kind;
#define RV_ROOM_FALL_NONE   RV_FALL_NONE
#define RV_ROOM_FALL_ALARM  RV_FALL_ALARM
#define RV_ROOM_FALL_CANCEL RV_FALL_CANCEL
typedef rv_fall_event rv_room_fall;

typedef struct rv_room rv_room;

void rv_room_config_default(rv_room_config *cfg, uint32_t n_classes);
size_t rv_room_mem_size(void);
/* RV_ERR_ARG for a config out of range (no classes, too many, zero times
 * other than hold_ns,
 * thresholds outside (0, 1)). */
rv_status rv_room_init(rv_room **out, void *mem, size_t size,
                       const rv_room_config *cfg);
void rv_room_reset(rv_room *r);

/* Takes one frame. *state is the room after it; *changed is set when
 * label, occupied or the number of links available (online and aligned;
 * state->links counts those the quality gate kept) changed; *fall reports an alarm
 * or a cancel raised by this frame (kind NONE otherwise). RV_ERR_FULL when
 * the frame is of a new link and RV_ROOM_MAX_LINKS are tracked;
 * RV_ERR_NOT_FINITE for NaN levels (the frame is ignored). */
rv_status rv_room_push(rv_room *r, const rv_room_obs *obs,
                       rv_room_state *state, int *changed, rv_room_fall *fall);
/* Node went silent (all its antennas leave the room) or is back. */
void rv_room_set_node_online(rv_room *r, uint8_t node, int online);
/* Links currently tracked (used or not). */
uint32_t rv_room_n_links(const rv_room *r);

#ifdef __cplusplus
}
#endif

#endif /* RV_ROOM_H */
