/* rv_ratelimit.c — token buckets per source in a bounded LRU hash table. */
#include "rv_ratelimit.h"

#include <string.h>

#define RL_MAGIC 0x52564c54u    /* "RVLT" */
#define NIL UINT32_MAX
/* Credit is kept in packet-microseconds: a packet costs UNIT, a second of
 * time adds rate * UNIT. */
#define UNIT 1000000u

typedef struct {
    rv_net_addr addr;
    uint32_t chain;             /* next entry in the same hash bucket */
    uint32_t older, newer;      /* LRU neighbours */
    uint64_t last_us;
    uint64_t credit;
} rl_entry;

struct rv_ratelimit {
    uint32_t magic;
    uint32_t max_sources;
    uint32_t bucket_mask;
    uint32_t rate, burst;
    uint32_t used;
    uint32_t oldest, newest;
    uint64_t seed;
    uint64_t evictions;
    uint32_t *heads;
    rl_entry *entries;
};

typedef struct {
    size_t heads_off, entries_off, total;
    uint32_t n_buckets;
} rl_layout;

static bool plan(const rv_ratelimit_opts *o, rl_layout *L)
{
    uint32_t nb = 1;

    if (!o || o->max_sources == 0 || o->max_sources > RV_RATELIMIT_MAX_SOURCES ||
        o->rate == 0 || o->burst == 0)
        return false;
    while (nb < o->max_sources)
        nb <<= 1;
    L->n_buckets = nb;
    L->heads_off = rv_align_size(sizeof(rv_ratelimit));
    L->entries_off = L->heads_off + rv_align_size((size_t)nb * sizeof(uint32_t));
    L->total = L->entries_off + (size_t)o->max_sources * sizeof(rl_entry);
    return true;
}

size_t rv_ratelimit_mem_size(const rv_ratelimit_opts *opts)
{
    rl_layout L;

    if (!plan(opts, &L))
        return 0;
    return L.total + (RV_ALIGN - 1u);
}

static bool valid(const rv_ratelimit *rl)
{
    return rl && rl->magic == RL_MAGIC;
}

void rv_ratelimit_reset(rv_ratelimit *rl)
{
    if (!valid(rl))
        return;
    for (uint32_t i = 0; i <= rl->bucket_mask; i++)
        rl->heads[i] = NIL;
    rl->used = 0;
    rl->oldest = rl->newest = NIL;
    rl->evictions = 0;
}

rv_ratelimit *rv_ratelimit_init(void *mem, size_t mem_size,
                                const rv_ratelimit_opts *opts)
{
    rl_layout L;
    uint8_t *base;
    rv_ratelimit *rl;

    if (!mem || !plan(opts, &L) || mem_size < L.total + (RV_ALIGN - 1u))
        return NULL;
    base = rv_align_ptr(mem);
    rl = (rv_ratelimit *)base;
    memset(rl, 0, sizeof *rl);
    rl->magic = RL_MAGIC;
    rl->max_sources = opts->max_sources;
    rl->bucket_mask = L.n_buckets - 1u;
    rl->rate = opts->rate;
    rl->burst = opts->burst;
    rl->seed = opts->seed;
    rl->heads = (uint32_t *)(base + L.heads_off);
    rl->entries = (rl_entry *)(base + L.entries_off);
    rv_ratelimit_reset(rl);
    return rl;
}

rv_status rv_ratelimit_set_rate(rv_ratelimit *rl, uint32_t rate, uint32_t burst)
{
    if (!valid(rl))
        return RV_ERR_BAD_OBJECT;
    if (rate == 0 || burst == 0)
        return RV_ERR_ARG;
    rl->rate = rate;
    rl->burst = burst;
    return RV_OK;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static uint32_t hash_addr(const rv_ratelimit *rl, const rv_net_addr *a)
{
    uint64_t lo = 0, hi = 0;

    for (unsigned i = 0; i < 8; i++) {
        lo = lo << 8 | a->addr[i];
        hi = hi << 8 | a->addr[8 + i];
    }
    return (uint32_t)mix(mix(rl->seed ^ lo ^ a->family) ^ hi) & rl->bucket_mask;
}

static void lru_unlink(rv_ratelimit *rl, uint32_t i)
{
    rl_entry *e = &rl->entries[i];

    if (e->older != NIL)
        rl->entries[e->older].newer = e->newer;
    else
        rl->oldest = e->newer;
    if (e->newer != NIL)
        rl->entries[e->newer].older = e->older;
    else
        rl->newest = e->older;
}

static void lru_push_newest(rv_ratelimit *rl, uint32_t i)
{
    rl_entry *e = &rl->entries[i];

    e->older = rl->newest;
    e->newer = NIL;
    if (rl->newest != NIL)
        rl->entries[rl->newest].newer = i;
    else
        rl->oldest = i;
    rl->newest = i;
}

static void chain_unlink(rv_ratelimit *rl, uint32_t i)
{
    uint32_t *link = &rl->heads[hash_addr(rl, &rl->entries[i].addr)];

    while (*link != NIL && *link != i)
        link = &rl->entries[*link].chain;
    if (*link == i)
        *link = rl->entries[i].chain;
}

/* A free entry, or the least recently seen one, taken out of the table. */
static uint32_t take_entry(rv_ratelimit *rl)
{
    uint32_t i;

    if (rl->used < rl->max_sources)
        return rl->used++;
    i = rl->oldest;
    lru_unlink(rl, i);
    chain_unlink(rl, i);
    rl->evictions++;
    return i;
}

static void refill(const rv_ratelimit *rl, rl_entry *e, uint64_t now_us)
{
    const uint64_t cap = (uint64_t)rl->burst * UNIT;

    if (now_us > e->last_us) {
        uint64_t dt = now_us - e->last_us;
        /* Past this much time the bucket is full anyway; bounding dt keeps
         * dt * rate from overflowing. */
        uint64_t full_after = cap / rl->rate + 1u;
        e->credit = dt >= full_after ? cap : e->credit + dt * rl->rate;
        e->last_us = now_us;
    }
    if (e->credit > cap)
        e->credit = cap;
}

bool rv_ratelimit_allow(rv_ratelimit *rl, const rv_net_addr *src,
                        uint64_t now_us)
{
    uint32_t h, i;
    rl_entry *e;

    if (!valid(rl) || !src)
        return false;
    h = hash_addr(rl, src);
    for (i = rl->heads[h]; i != NIL; i = rl->entries[i].chain) {
        e = &rl->entries[i];
        if (e->addr.family == src->family &&
            memcmp(e->addr.addr, src->addr, sizeof src->addr) == 0)
            break;
    }
    if (i == NIL) {
        i = take_entry(rl);
        e = &rl->entries[i];
        e->addr = *src;
        e->last_us = now_us;
        e->credit = (uint64_t)rl->burst * UNIT;
        e->chain = rl->heads[h];
        rl->heads[h] = i;
    } else {
        e = &rl->entries[i];
        lru_unlink(rl, i);
        refill(rl, e, now_us);
    }
    lru_push_newest(rl, i);
    if (e->credit < UNIT)
        return false;
    e->credit -= UNIT;
    return true;
}

uint32_t rv_ratelimit_sources(const rv_ratelimit *rl)
{
    return valid(rl) ? rl->used : 0;
}

uint64_t rv_ratelimit_evictions(const rv_ratelimit *rl)
{
    return valid(rl) ? rl->evictions : 0;
}
