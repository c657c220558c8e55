/* rng.c — xoshiro256** with splitmix64 seeding; see rng.h. */
#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void rvt_rng_seed(rvt_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rvt_rng_u64(rvt_rng *r)
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

double rvt_rng_uniform(rvt_rng *r)
{
    return (double)(rvt_rng_u64(r) >> 11) * (1.0 / 9007199254740992.0);
}

uint32_t rvt_rng_below(rvt_rng *r, uint32_t n)
{
    /* Multiply-shift; the bias (< n / 2^32) is irrelevant for sampling. */
    return (uint32_t)(((rvt_rng_u64(r) >> 32) * (uint64_t)n) >> 32);
}

double rvt_rng_normal(rvt_rng *r)
{
    /* Box-Muller, one value per call keeps the stream position simple. */
    double u1 = rvt_rng_uniform(r);
    double u2 = rvt_rng_uniform(r);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

void rvt_rng_shuffle(rvt_rng *r, uint32_t *a, uint32_t n)
{
    for (uint32_t i = n; i > 1; i--) {
        uint32_t j = rvt_rng_below(r, i);
        uint32_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}
