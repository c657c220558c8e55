/*
 * rvsim_labels.h — ground-truth label files (JSON lines).
 *
 * Line 1 (optional when written by hand):
 *   {"type":"meta","scenario":"demo","seed":1,"nodes":4,"rate_hz":100,
 *    "duration_s":60,"pcap_epoch":1700000000,"people":1,"activities":[...]}
 * Then one line per node and segment, in time order per person:
 *   {"node":1,"person":0,"start":0.000,"end":12.500,"activity":"walking",
 *    "breath_bpm":14.20,"heart_bpm":71.00}
 * Times are seconds of simulated time (pcap timestamps minus pcap_epoch).
 * Room truth, fall onsets and node lines (docs/simulator.md, "Room truth,
 * fall onsets and nodes in the labels"):
 *   {"type":"node","node":1,"x":5.85,"y":1.4,"z":1.21,"latency_ms":84.2,"jitter_ms":20}
 *   {"type":"room","start":41.2,"end":41.85,"activity":"fall","action":"fall",
 *    "occupied":true,"people":1}
 *   {"type":"fall","person":0,"onset":41.2,"impact":41.85,"up":55.3,"action":"fall"}
 * Other lines carrying "type" (e.g. "reboot" events) are counted as events.
 * The reader is a small dedicated JSON parser: one flat object per line,
 * nested values skipped, unknown keys ignored; errors name the line.
 */
#ifndef RVSIM_LABELS_H
#define RVSIM_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rvsim.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    RVSIM_LABELS_OK = 0,
    RVSIM_LABELS_ERR_IO = -1,
    RVSIM_LABELS_ERR_NOMEM = -2,
    RVSIM_LABELS_ERR_SYNTAX = -3,   /* not one JSON object per line */
    RVSIM_LABELS_ERR_FIELD = -4,    /* missing/invalid field (node, start, end, activity) */
    RVSIM_LABELS_ERR_ARG = -5
} rvsim_labels_status;

typedef struct {
    uint32_t node, person;
    double   start, end;
    int      activity;              /* rvsim_activity, -1 if the name is not ours */
    char     activity_name[32];
    double   breath_bpm, heart_bpm; /* 0 when absent */
    int      action;                /* rvsim_action, NONE when absent, -1 if not ours */
} rvsim_label;

/* One span of room truth. */
typedef struct {
    double   start, end;
    int      activity;              /* rvsim_activity, -1 if the name is not ours */
    int      action;                /* rvsim_action, -1 if the name is not ours */
    bool     occupied;
    uint32_t people;
} rvsim_label_room;

/* One fall: descent starts at onset, body on the floor at impact, starts
 * getting up at up. */
typedef struct {
    uint32_t person;
    double   onset, impact, up;
    int      action;                /* RVSIM_ACTION_FALL or _FALL_RECOVER (-1: not ours) */
} rvsim_label_fall;

typedef struct {
    uint32_t node;
    double   x, y, z;               /* m */
    double   latency_ms, jitter_ms;
} rvsim_label_node;

typedef struct {
    rvsim_label *v;
    size_t   n, cap;
    bool     have_meta;
    char     scenario[32];
    uint64_t seed;
    uint32_t nodes, people;
    double   rate_hz, duration_s;
    uint64_t pcap_epoch;
    size_t   n_events;              /* lines with another "type" (reboot, ...) */
    rvsim_label_room *room;         /* in time order */
    size_t   n_room, cap_room;
    rvsim_label_fall *falls;        /* in onset order */
    size_t   n_falls, cap_falls;
    rvsim_label_node *node_info;
    size_t   n_node_info, cap_node_info;
} rvsim_labels;

/* Write meta, node, segment (one per node per segment), room and fall lines,
 * plus reboot / crash-loop / channel-hop event lines when configured, for a
 * session. Returns RVSIM_LABELS_OK, ERR_NOMEM or ERR_IO. */
int  rvsim_labels_write(FILE *f, const rvsim_session *s);

int  rvsim_labels_parse(const char *text, size_t len, rvsim_labels *out, char *err, size_t err_len);
int  rvsim_labels_read_file(const char *path, rvsim_labels *out, char *err, size_t err_len);
void rvsim_labels_free(rvsim_labels *l);
/* Dominant activity (rvsim_session_label_at() priority) labelled for node at
 * time t, or -1 when no segment covers t. */
int  rvsim_labels_activity_at(const rvsim_labels *l, uint32_t node, double t);
/* Room truth span containing t (binary search), or NULL. */
const rvsim_label_room *rvsim_labels_room_at(const rvsim_labels *l, double t);
const char *rvsim_labels_status_str(int st);

#ifdef __cplusplus
}
#endif
#endif
