/*
 * rvreal_play.h — play recordings back to back as one packet stream.
 *
 * Recordings carry no per-packet times, only a duration: packet i of a
 * file with n packets and duration d plays at offset + i * d / n, where
 * offset is the sum of the durations of the files before it. Optional
 * jitter adds a uniform offset in [-jitter, +jitter] to each time; times
 * stay non-decreasing (a packet never overtakes the one before it). Times
 * are whole microseconds (what a pcap stores), so a benchmark reading the
 * recordings directly sees exactly the times rvconvert writes.
 */
#ifndef RVREAL_PLAY_H
#define RVREAL_PLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "rvreal_npz.h"
#include "rvsim_internal.h"

typedef struct {
    const rvreal_recording *recs;
    size_t   n_recs;
    uint64_t start_us, jitter_us;
    rvsim_rng rng;
    size_t   file;
    uint32_t packet;
    uint64_t seq;
    double   file_start_us;
    uint64_t last_us;
} rvreal_player;

typedef struct {
    size_t   file;            /* index into recs */
    uint32_t packet;          /* index within the file */
    uint64_t seq;             /* index in the whole stream */
    uint64_t t_us;            /* stream time, start included */
    const int8_t *iq;         /* 2 * n_subcarriers values, imaginary first */
} rvreal_packet;

void rvreal_player_init(rvreal_player *p, const rvreal_recording *recs, size_t n_recs,
                        uint64_t start_us, uint64_t jitter_us, uint64_t seed);
/* false at the end of the last recording. */
bool rvreal_player_next(rvreal_player *p, rvreal_packet *out);

/* true when a recording's label means movement ("movement", "motion"). */
bool rvreal_label_is_motion(const char *label);

#endif
