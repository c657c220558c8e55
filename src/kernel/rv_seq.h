/*
 * rv_seq.h — per-sender sequence tracker: classifies each packet of one
 * (node, kind) stream as first / in order / gap / duplicate / reordered /
 * reboot from its sequence number AND its arrival time, measured against
 * the sender's own packet interval. One implementation for every kind with
 * a sequence number (u32 raw CSI and classification, u16 feature vectors
 * and feature state), wrap-around included.
 *
 * Why time: a fixed backward distance cannot tell a reboot from a reorder
 * at every rate. At 1 Hz a node that reboots every second sends sequence 0
 * once per boot, which only the time since the previous packet tells from
 * a duplicate; at 100 Hz a jump back by 60 is a reboot, never a reorder.
 *
 * Definitions (I = smoothed arrival interval of this stream, step =
 * smoothed sequence advance per packet, dt = time since the newest packet;
 * all measured by the tracker):
 *   reorder window W  numbers the sender issues in RV_SEQ_REORDER_US:
 *                     ceil(RV_SEQ_REORDER_US * step / I), within
 *                     [2, RV_SEQ_WINDOW_MAX] (2 while I is unknown)
 *   silence           dt >= max(3 I, RV_SEQ_REORDER_US) (1 s while I is
 *                     unknown)
 *   duplicate time    dt < min(I / 2, RV_SEQ_DUP_MAX_US)
 *   plausible(dt)     numbers the sender can have issued in dt:
 *                     2 step (dt / I + 1) + W (unbounded while I is unknown)
 * Rules, for a packet `seq`, `back` numbers behind the newest (0 = same):
 *   forward by 1                                   -> IN_ORDER
 *   forward by d > 1: seq <= plausible(dt) < d     -> REBOOT (a restart that
 *                     wrapped forward: u16 40000 -> 0 is "forward" 25536)
 *                     otherwise                    -> GAP, skipped = d - 1
 *   back after a silence                           -> REBOOT
 *   back <= W, number already seen this boot:
 *       dt >= duplicate time and seq <= plausible  -> REBOOT (the node
 *                                                     restarted and counted
 *                                                     up to it again)
 *       otherwise                                  -> DUPLICATE
 *   back <= W, not seen, inside this boot's span
 *       or arriving within the duplicate time      -> REORDERED
 *   anything else going back                       -> REBOOT
 * A reboot starts a new epoch (the reference becomes `seq`). Duplicates
 * and reordered packets do not move the reference.
 *
 * Sequence gaps are not always loss: the firmware increments the raw CSI
 * sequence before its send-rate gate (docs/wire-format.md), so `skipped`
 * counts numbers never received, not packets lost.
 *
 * Time is microseconds on any monotonic clock; RV_SEQ_TIME_NONE when the
 * arrival time is unknown (then dt counts as 0). No allocation; the state
 * is a plain caller-owned struct.
 */
#ifndef RV_SEQ_H
#define RV_SEQ_H

#include "rv_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_SEQ_TIME_NONE    UINT64_MAX
#define RV_SEQ_REORDER_US   250000u   /* how late a reordered packet may be */
#define RV_SEQ_DUP_MAX_US   500000u   /* duplicate time cap (and default) */
#define RV_SEQ_WINDOW_MAX   63u       /* numbers remembered behind the newest */

typedef enum {
    RV_SEQ_FIRST = 0,     /* first packet of the stream */
    RV_SEQ_IN_ORDER,      /* the next number */
    RV_SEQ_GAP,           /* forward with numbers skipped */
    RV_SEQ_DUPLICATE,     /* a number already received this boot */
    RV_SEQ_REORDERED,     /* a skipped number arriving late */
    RV_SEQ_REBOOT,        /* the sender restarted its sequence */
    RV_SEQ_CLASS_COUNT
} rv_seq_class;

typedef struct {
    uint64_t last_us;      /* arrival of the newest packet, or RV_SEQ_TIME_NONE */
    uint64_t seen;         /* bit i: number (last - i) received this boot */
    uint32_t last;         /* newest number of this boot */
    uint32_t span;         /* last - first number of this boot */
    uint32_t mask;         /* 0xffff or 0xffffffff */
    uint32_t interval_us;  /* smoothed arrival interval; 0 = unknown */
    uint32_t step_q8;      /* smoothed numbers per packet, 8 fraction bits */
    uint8_t have;
} rv_seq_state;

/* bits: 16 or 32 (RV_ERR_ARG otherwise). */
rv_status rv_seq_init(rv_seq_state *s, unsigned bits);

/* Classifies one packet and updates the state. *skipped (may be NULL)
 * receives the numbers jumped over by a GAP, 0 otherwise. */
rv_seq_class rv_seq_track(rv_seq_state *s, uint32_t seq, uint64_t now_us,
                          uint32_t *skipped);

/* Smoothed arrival interval of the stream in microseconds, 0 if unknown. */
uint32_t rv_seq_interval_us(const rv_seq_state *s);

/* The smoothing behind it, for any packet stream (e.g. all kinds of one
 * node): *interval_us (0 = unknown) learns one gap dt_us between arrivals.
 * A gap above 4 intervals (an outage) only raises the estimate by a
 * quarter, so a silence does not make the sender look slow but a sender
 * that slowed down for good is followed. dt_us 0 is ignored. */
void rv_seq_interval_update(uint32_t *interval_us, uint64_t dt_us);

/* "first", "in-order", "gap", "duplicate", "reordered", "reboot". */
const char *rv_seq_class_name(rv_seq_class c);

#ifdef __cplusplus
}
#endif

#endif /* RV_SEQ_H */
