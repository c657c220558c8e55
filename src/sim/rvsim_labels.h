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
 * Other lines carrying "type" (e.g. "reboot" events) are kept as events.
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
} rvsim_label;

typedef struct {
    rvsim_label *v;
    size_t   n, cap;
    bool     have_meta;
    char     scenario[32];
    uint64_t seed;
    uint32_t nodes, people;
    double   rate_hz, duration_s;
    uint64_t pcap_epoch;
    size_t   n_events;              /* lines with another "type" */
} rvsim_labels;

/* Write meta + segment lines (one per node per segment, plus a reboot event
 * line when configured) for a session. Returns RVSIM_LABELS_OK or ERR_IO. */
int  rvsim_labels_write(FILE *f, const rvsim_session *s);

int  rvsim_labels_parse(const char *text, size_t len, rvsim_labels *out, char *err, size_t err_len);
int  rvsim_labels_read_file(const char *path, rvsim_labels *out, char *err, size_t err_len);
void rvsim_labels_free(rvsim_labels *l);
/* Dominant activity (rvsim_session_label_at() priority) labelled for node at
 * time t, or -1 when no segment covers t. */
int  rvsim_labels_activity_at(const rvsim_labels *l, uint32_t node, double t);
const char *rvsim_labels_status_str(int st);

#ifdef __cplusplus
}
#endif
#endif
