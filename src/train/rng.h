/*
 * rng.h — deterministic PRNG for the trainer (xoshiro256** seeded through
 * splitmix64). Same seed, same stream, on every host: training runs are
 * reproducible bit for bit.
 */
#ifndef RVT_RNG_H
#define RVT_RNG_H

#include <stdint.h>

typedef struct { uint64_t s[4]; } rvt_rng;

void     rvt_rng_seed(rvt_rng *r, uint64_t seed);
uint64_t rvt_rng_u64(rvt_rng *r);
double   rvt_rng_uniform(rvt_rng *r);              /* [0, 1) */
uint32_t rvt_rng_below(rvt_rng *r, uint32_t n);    /* [0, n), n > 0 */
double   rvt_rng_normal(rvt_rng *r);               /* N(0, 1) */
void     rvt_rng_shuffle(rvt_rng *r, uint32_t *a, uint32_t n);

#endif /* RVT_RNG_H */
