/*
 * rv_fall.h — fall events of one room: an impact confirmed over time.
 *
 * The room (rv_room) fuses its links and hands this detector one reading
 * per frame: the fused fall evidence, whether the room reads low and still
 * (the body stays down) and whether it reads getting up. The rule
 * (docs/rooms.md, "The fall rule"; ADR 0017):
 *
 *   impact    evidence >= threshold. The onset is the first frame of that
 *             rise above half the threshold (the evidence is smoothed, so
 *             the threshold itself is crossed later). A new impact while a
 *             candidate waits restarts it: the last impact is the fall.
 *   confirm   within window_ns of the onset, the room reads low for
 *             confirm_ns in a row -> RV_FALL_ALARM, once per impact.
 *   drop      the room reads getting up, later than grace_ns after the
 *             onset (the descent itself reads as motion for a moment) and
 *             with the evidence back under the threshold -> no alarm.
 *   cancel    getting up within cancel_ns after the alarm -> RV_FALL_CANCEL
 *             with the same onset.
 *   Getting up counts once the room has read it for RV_FALL_UP_HOLD_NS
 *   in a row (a frame of walking between impact and lying is not one).
 *   re-arm    a new impact needs the evidence under the threshold first.
 *
 * Memory: rv_fall is a plain struct (sizeof is the whole state), embedded
 * by the caller; no allocation, no GLib. Times are stream time in ns; a
 * frame older than the newest seen (links of a room arrive interleaved)
 * counts at the newest time, so the rule's clocks never run backwards.
 */
#ifndef RV_FALL_H
#define RV_FALL_H

#include "rv_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_FALL_DEFAULT_THRESHOLD   0.45f
#define RV_FALL_DEFAULT_WINDOW_NS   8000000000ull  /* 8 s */
#define RV_FALL_DEFAULT_CONFIRM_NS  3000000000ull  /* 3 s */
#define RV_FALL_DEFAULT_GRACE_NS    2000000000ull  /* 2 s */
#define RV_FALL_DEFAULT_CANCEL_NS   1000000000ull  /* 1 s */
#define RV_FALL_UP_HOLD_NS          300000000ull   /* 0.3 s */

typedef struct {
    float    threshold;     /* evidence of an impact, in (0, 1) */
    uint64_t window_ns;     /* onset -> confirmation deadline */
    uint64_t confirm_ns;    /* low this long in a row confirms (<= window) */
    uint64_t grace_ns;      /* getting up this soon after the onset is ignored */
    uint64_t cancel_ns;     /* getting up this soon after the alarm cancels */
} rv_fall_config;

/* One frame of room evidence. */
typedef struct {
    uint64_t t_ns;
    float    evidence;      /* fused fall probability, 0..1 */
    int      low;           /* the room reads low and still */
    int      up;            /* the room reads getting up */
    int32_t  node;          /* the node with the most fall evidence now, -1 */
} rv_fall_obs;

typedef enum {
    RV_FALL_NONE = 0,
    RV_FALL_ALARM,
    RV_FALL_CANCEL
} rv_fall_kind;

typedef struct {
    rv_fall_kind kind;
    int32_t  node;          /* the node that saw the impact best, -1 */
    uint64_t onset_ns;
    float    confidence;    /* peak evidence of the impact */
    uint64_t delay_ns;      /* onset -> alarm */
} rv_fall_event;

/* Fields are private to rv_fall.c. */
typedef struct {
    rv_fall_config cfg;
    uint64_t last_t;        /* newest frame time seen */
    int      state;         /* idle, candidate, alarmed */
    int      armed;
    int      rise_valid, low_valid, up_valid;
    uint64_t rise_t, onset, low_since, up_since, alarm_t;
    float    peak;
    int32_t  node;
} rv_fall;

void rv_fall_config_default(rv_fall_config *cfg);
/* RV_ERR_ARG for a threshold outside (0, 1), a zero window or confirm, or
 * confirm longer than the window. */
rv_status rv_fall_init(rv_fall *f, const rv_fall_config *cfg);
void rv_fall_reset(rv_fall *f);
/* Takes one frame; *ev is the alarm or cancel it raised (kind NONE
 * otherwise). RV_ERR_NULL for a NULL argument. */
rv_status rv_fall_push(rv_fall *f, const rv_fall_obs *obs, rv_fall_event *ev);

#ifdef __cplusplus
}
#endif

#endif /* RV_FALL_H */
