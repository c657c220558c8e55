/*
 * rv_kv.c — the KV cache object: sizing, init, append, reset.
 *
 * Nothing here is O(capacity) except nothing: init does not clear token
 * storage because validity follows from len (decode only reads slots and
 * landmarks that were written), and append touches one row, the open block's
 * sums and, once per block, one landmark slot.
 */
#include <string.h>

#include "rv_f16.h"
#include "rv_kv_impl.h"

typedef struct {
    uint32_t row, elem, n_lm, n_pin;
    size_t off_k, off_v, off_sum_k, off_sum_v, off_lm_k, off_lm_v;
    size_t off_pin_pos, off_pin_k, off_pin_v, total;
} layout;

static bool mul_sz(size_t a, size_t b, size_t *r)
{
    if (a != 0 && b > SIZE_MAX / a)
        return false;
    *r = a * b;
    return true;
}

/* *off = *acc; *acc += aligned bytes */
static bool region(size_t *acc, size_t bytes, size_t *off)
{
    if (bytes > SIZE_MAX - RV_ALIGN)
        return false;
    const size_t a = rv_align_size(bytes);
    if (*acc > SIZE_MAX - a)
        return false;
    *off = *acc;
    *acc += a;
    return true;
}

static uint32_t default_lm(uint32_t capacity, uint32_t bs)
{
    /* Landmarks reach twice as far back as the token ring. */
    const uint64_t nb = ((uint64_t)capacity + bs - 1u) / bs;
    const uint64_t d = 2u * nb;
    return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

static bool plan_layout(const rv_kv_opts *o, layout *L)
{
    if (!o || o->capacity == 0 || o->kv_heads == 0 || o->dim == 0 ||
        o->block_size == 0)
        return false;
    if (o->precision != RV_KV_F32 && o->precision != RV_KV_F16)
        return false;
    const uint64_t row = (uint64_t)o->kv_heads * o->dim;
    if (row > UINT32_MAX)
        return false;
    L->row = (uint32_t)row;
    L->elem = o->precision == RV_KV_F16 ? 2u : 4u;
    if (o->ring) {
        if (o->n_pinned > RV_KV_MAX_PINNED || (o->n_pinned > 0 && !o->pinned))
            return false;
        if (o->first_pos % o->block_size != 0 || o->first_pos > UINT64_MAX / 2u)
            return false;
        L->n_lm = o->max_landmark_blocks ? o->max_landmark_blocks
                                         : default_lm(o->capacity, o->block_size);
        L->n_pin = o->n_pinned;
        /* Decode maps positions into a window of at most this many tokens
         * below the newest one; it must fit the enumerator's uint32 range. */
        if ((uint64_t)o->capacity + o->block_size >= UINT32_MAX ||
            ((uint64_t)L->n_lm + 2u) * o->block_size >= UINT32_MAX)
            return false;
    } else {
        if (o->first_pos != 0)
            return false;
        L->n_lm = (uint32_t)(((uint64_t)o->capacity + o->block_size - 1u) / o->block_size);
        L->n_pin = 0;
    }
    size_t tok, rowf, lm, pin, pinpos;
    if (!mul_sz((size_t)o->capacity, L->row, &tok) || !mul_sz(tok, L->elem, &tok) ||
        !mul_sz(L->row, sizeof(float), &rowf) ||
        !mul_sz(L->n_lm, rowf, &lm) ||
        !mul_sz((size_t)L->n_pin, (size_t)L->row * L->elem, &pin) ||
        !mul_sz(L->n_pin, sizeof(uint32_t), &pinpos))
        return false;
    size_t acc = 0, hdr;
    if (!region(&acc, sizeof(rv_kv), &hdr) ||
        !region(&acc, tok, &L->off_k) || !region(&acc, tok, &L->off_v) ||
        !region(&acc, rowf, &L->off_sum_k) || !region(&acc, rowf, &L->off_sum_v) ||
        !region(&acc, lm, &L->off_lm_k) || !region(&acc, lm, &L->off_lm_v) ||
        !region(&acc, pinpos, &L->off_pin_pos) ||
        !region(&acc, pin, &L->off_pin_k) || !region(&acc, pin, &L->off_pin_v))
        return false;
    L->total = acc;
    return acc <= SIZE_MAX - (RV_ALIGN - 1u);
}

size_t rv_kv_mem_size_ex(const rv_kv_opts *opts)
{
    layout L;
    if (!plan_layout(opts, &L))
        return 0;
    return L.total + (RV_ALIGN - 1u); /* slack to align inside malloc memory */
}

size_t rv_kv_mem_size(uint32_t capacity, uint32_t kv_heads, uint32_t dim,
                      uint32_t block_size)
{
    const rv_kv_opts o = { .capacity = capacity, .kv_heads = kv_heads, .dim = dim,
                           .block_size = block_size };
    return rv_kv_mem_size_ex(&o);
}

static uint32_t first_pin_at_or_after(const rv_kv *kv, uint64_t pos)
{
    const uint32_t *pp = (const uint32_t *)(const void *)rv_kv_at(kv, kv->off_pin_pos);
    uint32_t t = 0;
    while (t < kv->n_pin && pp[t] < pos)
        t++;
    return t;
}

rv_kv *rv_kv_init_ex(void *mem, size_t mem_size, const rv_kv_opts *opts)
{
    layout L;
    if (!mem || !plan_layout(opts, &L) || mem_size < L.total + (RV_ALIGN - 1u))
        return NULL;
    rv_kv *kv = rv_align_ptr(mem);
    memset(kv, 0, sizeof *kv);
    kv->capacity = opts->capacity;
    kv->kv_heads = opts->kv_heads;
    kv->dim = opts->dim;
    kv->block_size = opts->block_size;
    kv->row = L.row;
    kv->elem = L.elem;
    kv->n_lm = L.n_lm;
    kv->ring = opts->ring;
    kv->f16 = opts->precision == RV_KV_F16;
    kv->start = opts->ring ? opts->first_pos : 0u;
    kv->total = L.total;
    kv->off_k = L.off_k;
    kv->off_v = L.off_v;
    kv->off_sum_k = L.off_sum_k;
    kv->off_sum_v = L.off_sum_v;
    kv->off_lm_k = L.off_lm_k;
    kv->off_lm_v = L.off_lm_v;
    kv->off_pin_pos = L.off_pin_pos;
    kv->off_pin_k = L.off_pin_k;
    kv->off_pin_v = L.off_pin_v;
    /* Pinned positions: sorted ascending, duplicates dropped (insertion sort;
     * the list is short and this runs once). */
    uint32_t *pp = (uint32_t *)(void *)rv_kv_at(kv, kv->off_pin_pos);
    uint32_t n = 0;
    for (uint32_t t = 0; t < L.n_pin; t++) {
        const uint32_t x = opts->pinned[t];
        uint32_t at = n;
        while (at > 0 && pp[at - 1u] > x)
            at--;
        if (at > 0 && pp[at - 1u] == x)
            continue;
        memmove(pp + at + 1u, pp + at, (size_t)(n - at) * sizeof *pp);
        pp[at] = x;
        n++;
    }
    kv->n_pin = n;
    kv->magic = RV_KV_MAGIC;
    rv_kv_reset(kv);
    return kv;
}

rv_kv *rv_kv_init(void *mem, size_t mem_size, uint32_t capacity,
                  uint32_t kv_heads, uint32_t dim, uint32_t block_size)
{
    const rv_kv_opts o = { .capacity = capacity, .kv_heads = kv_heads, .dim = dim,
                           .block_size = block_size };
    return rv_kv_init_ex(mem, mem_size, &o);
}

bool rv_kv_valid(const rv_kv *kv)
{
    return kv && ((uintptr_t)kv & (RV_ALIGN - 1u)) == 0 && kv->magic == RV_KV_MAGIC;
}

void rv_kv_reset(rv_kv *kv)
{
    if (!rv_kv_valid(kv))
        return;
    kv->len = kv->start;
    kv->head = 0;
    kv->blk_fill = 0;
    kv->next_pin = first_pin_at_or_after(kv, kv->start);
}

uint64_t rv_kv_len(const rv_kv *kv)
{
    return rv_kv_valid(kv) ? kv->len : 0u;
}

uint32_t rv_kv_stored(const rv_kv *kv)
{
    if (!rv_kv_valid(kv))
        return 0;
    return (uint32_t)(kv->len - rv_kv_oldest(kv));
}

/* Every value finite and, for fp16 storage, below the half overflow
 * threshold 65520 (which would round to inf). */
static bool row_ok(const float *x, uint32_t n, uint32_t limit_bits)
{
    uint32_t bad = 0;
    for (uint32_t t = 0; t < n; t++) {
        uint32_t u;
        memcpy(&u, &x[t], sizeof u);
        bad |= (uint32_t)((u & 0x7fffffffu) >= limit_bits);
    }
    return bad == 0;
}

static void store_row(const rv_kv *kv, unsigned char *dst, const float *src)
{
    if (kv->f16)
        rv_f16_from_f32_opt(src, (uint16_t *)(void *)dst, kv->row);
    else
        memcpy(dst, src, (size_t)kv->row * sizeof(float));
}

rv_status rv_kv_append(rv_kv *kv, const float *k, const float *v)
{
    if (!kv || !k || !v)
        return RV_ERR_NULL;
    if (!rv_kv_valid(kv))
        return RV_ERR_BAD_OBJECT;
    if ((!kv->ring && kv->len - kv->start >= kv->capacity) || kv->len == UINT64_MAX)
        return RV_ERR_FULL;
    const uint32_t lim = kv->f16 ? 0x477ff000u : 0x7f800000u;
    if (!row_ok(k, kv->row, lim) || !row_ok(v, kv->row, lim))
        return RV_ERR_NOT_FINITE;

    const size_t rb = (size_t)kv->row * kv->elem;
    store_row(kv, rv_kv_at(kv, kv->off_k) + (size_t)kv->head * rb, k);
    store_row(kv, rv_kv_at(kv, kv->off_v) + (size_t)kv->head * rb, v);
    kv->head = kv->head + 1u == kv->capacity ? 0u : kv->head + 1u;

    if (kv->ring && kv->next_pin < kv->n_pin) {
        const uint32_t *pp = (const uint32_t *)(const void *)rv_kv_at(kv, kv->off_pin_pos);
        if (pp[kv->next_pin] == kv->len) {
            store_row(kv, rv_kv_at(kv, kv->off_pin_k) + (size_t)kv->next_pin * rb, k);
            store_row(kv, rv_kv_at(kv, kv->off_pin_v) + (size_t)kv->next_pin * rb, v);
            kv->next_pin++;
        }
    }

    /* Landmark: running sums of the open block in fp32 from the unrounded
     * rows, ascending order (what the forward does), divided at completion. */
    float *sk = (float *)(void *)rv_kv_at(kv, kv->off_sum_k);
    float *sv = (float *)(void *)rv_kv_at(kv, kv->off_sum_v);
    const uint32_t row = kv->row;
    if (kv->blk_fill == 0) {
        memcpy(sk, k, (size_t)row * sizeof(float));
        memcpy(sv, v, (size_t)row * sizeof(float));
    } else {
        for (uint32_t t = 0; t < row; t++) {
            sk[t] += k[t];
            sv[t] += v[t];
        }
    }
    if (++kv->blk_fill == kv->block_size) {
        const uint64_t b = kv->len / kv->block_size;
        const size_t slot = (size_t)(b % kv->n_lm);
        float *mk = (float *)(void *)rv_kv_at(kv, kv->off_lm_k) + slot * row;
        float *mv = (float *)(void *)rv_kv_at(kv, kv->off_lm_v) + slot * row;
        const float c = (float)kv->block_size;
        for (uint32_t t = 0; t < row; t++) {
            mk[t] = sk[t] / c;
            mv[t] = sv[t] / c;
        }
        kv->blk_fill = 0;
    }
    kv->len++;
    return RV_OK;
}
