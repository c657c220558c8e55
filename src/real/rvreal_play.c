/* rvreal_play.c — back-to-back playback of recordings (see rvreal_play.h). */
#include <math.h>
#include <string.h>

#include "rvreal_play.h"

void rvreal_player_init(rvreal_player *p, const rvreal_recording *recs, size_t n_recs,
                        uint64_t start_us, uint64_t jitter_us, uint64_t seed)
{
    memset(p, 0, sizeof *p);
    p->recs = recs;
    p->n_recs = n_recs;
    p->start_us = start_us;
    p->jitter_us = jitter_us;
    rvsim_rng_seed(&p->rng, seed);
}

bool rvreal_player_next(rvreal_player *p, rvreal_packet *out)
{
    while (p->file < p->n_recs && p->packet >= p->recs[p->file].n_packets) {
        p->file_start_us += p->recs[p->file].duration_ms * 1000.0;
        p->file++;
        p->packet = 0;
    }
    if (p->file >= p->n_recs)
        return false;
    const rvreal_recording *r = &p->recs[p->file];
    double t = p->file_start_us + (double)p->packet * r->duration_ms * 1000.0 / r->n_packets;
    if (p->jitter_us > 0)
        t += rvsim_rng_range(&p->rng, -(double)p->jitter_us, (double)p->jitter_us);
    uint64_t us = p->start_us + (t > 0.0 ? (uint64_t)llround(t) : 0u);
    if (p->seq > 0 && us < p->last_us)
        us = p->last_us;
    out->file = p->file;
    out->packet = p->packet;
    out->seq = p->seq;
    out->t_us = us;
    out->iq = r->csi + (size_t)p->packet * 2u * r->n_subcarriers;
    p->last_us = us;
    p->packet++;
    p->seq++;
    return true;
}

bool rvreal_label_is_motion(const char *label)
{
    return strcmp(label, "movement") == 0 || strcmp(label, "motion") == 0;
}
