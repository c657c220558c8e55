/* rvsim_rng.c — xoshiro256** with splitmix64 seeding (public-domain
 * algorithms by Blackman and Vigna, written from their description). */
#include <math.h>

#include "rvsim_internal.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void rvsim_rng_seed(rvsim_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

void rvsim_rng_fork(rvsim_rng *child, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
    rvsim_rng_seed(child, splitmix64(&x));
}

static uint64_t rotl(uint64_t v, int k)
{
    return (v << k) | (v >> (64 - k));
}

uint64_t rvsim_rng_u64(rvsim_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5u, 7) * 9u;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

double rvsim_rng_uniform(rvsim_rng *r)
{
    return (double)(rvsim_rng_u64(r) >> 11) * (1.0 / 9007199254740992.0);
}

double rvsim_rng_range(rvsim_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rvsim_rng_uniform(r);
}

double rvsim_rng_gauss(rvsim_rng *r)
{
    /* Box-Muller; u1 in (0, 1] so log() is finite. */
    double u1 = 1.0 - rvsim_rng_uniform(r);
    double u2 = rvsim_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
