/*
 * rv_ratelimit.h — per-source token buckets over a bounded table, so one
 * flooding sender cannot take the packet budget of the others.
 *
 * Each source address has a bucket of `burst` packets refilled at `rate`
 * packets per second of arrival time; a packet is allowed when its
 * source's bucket holds a whole token. The table tracks at most
 * `max_sources` addresses (chained hash over a power-of-two bucket array,
 * keyed with `seed` so a sender cannot aim at one chain). When it is full,
 * the least recently seen source is forgotten: a flood of spoofed
 * addresses recycles entries but never grows memory. A forgotten source
 * starts again with a full bucket, so eviction never punishes a real
 * sender; it also means a flood that changes its source address on every
 * packet is not limited here (the allowlist, rv_net.h, and the network
 * are the defence against that: docs/security.md).
 *
 * Time is microseconds on any monotonic clock; a time earlier than a
 * source's previous packet refills nothing. The object lives in caller
 * memory (rv_ratelimit_mem_size / rv_ratelimit_init) and never allocates;
 * a check costs one hash and a chain walk.
 */
#ifndef RV_RATELIMIT_H
#define RV_RATELIMIT_H

#include "rv_net.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rv_ratelimit rv_ratelimit;  /* lives inside caller memory */

#define RV_RATELIMIT_MAX_SOURCES (1u << 24)

typedef struct {
    uint32_t max_sources;  /* addresses tracked at once, 1..RV_RATELIMIT_MAX_SOURCES */
    uint32_t rate;         /* packets per second per source, >= 1 */
    uint32_t burst;        /* bucket depth in packets, >= 1 */
    uint64_t seed;         /* hash key; pick it at random */
} rv_ratelimit_opts;

/* 0 for invalid options. */
size_t rv_ratelimit_mem_size(const rv_ratelimit_opts *opts);
/* NULL for invalid options or mem NULL / smaller than the size query. */
rv_ratelimit *rv_ratelimit_init(void *mem, size_t mem_size,
                                const rv_ratelimit_opts *opts);

/* Changes rate and burst for every source from now on (buckets above the
 * new depth are cut down). RV_ERR_ARG for 0, RV_ERR_BAD_OBJECT. */
rv_status rv_ratelimit_set_rate(rv_ratelimit *rl, uint32_t rate,
                                uint32_t burst);

/* Takes one token from src's bucket: true if the packet may pass. False
 * also for a NULL or invalid object or address. */
bool rv_ratelimit_allow(rv_ratelimit *rl, const rv_net_addr *src,
                        uint64_t now_us);

/* Forgets every source. */
void rv_ratelimit_reset(rv_ratelimit *rl);

uint32_t rv_ratelimit_sources(const rv_ratelimit *rl);   /* tracked now */
uint64_t rv_ratelimit_evictions(const rv_ratelimit *rl); /* since init/reset */

#ifdef __cplusplus
}
#endif

#endif /* RV_RATELIMIT_H */
