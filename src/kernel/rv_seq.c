/* rv_seq.c — time-based sequence classification (rules in rv_seq.h). */
#include "rv_seq.h"

rv_status rv_seq_init(rv_seq_state *s, unsigned bits)
{
    if (!s)
        return RV_ERR_NULL;
    if (bits != 16u && bits != 32u)
        return RV_ERR_ARG;
    s->last_us = RV_SEQ_TIME_NONE;
    s->seen = 0;
    s->last = 0;
    s->span = 0;
    s->mask = bits == 16u ? 0xffffu : 0xffffffffu;
    s->interval_us = 0;
    s->step_q8 = 256u;
    s->have = 0;
    return RV_OK;
}

uint32_t rv_seq_interval_us(const rv_seq_state *s)
{
    return s ? s->interval_us : 0u;
}

const char *rv_seq_class_name(rv_seq_class c)
{
    switch (c) {
    case RV_SEQ_FIRST: return "first";
    case RV_SEQ_IN_ORDER: return "in-order";
    case RV_SEQ_GAP: return "gap";
    case RV_SEQ_DUPLICATE: return "duplicate";
    case RV_SEQ_REORDERED: return "reordered";
    case RV_SEQ_REBOOT: return "reboot";
    default: return "unknown";
    }
}

static uint64_t elapsed(const rv_seq_state *s, uint64_t now_us)
{
    if (now_us == RV_SEQ_TIME_NONE || s->last_us == RV_SEQ_TIME_NONE ||
        now_us <= s->last_us)
        return 0;
    return now_us - s->last_us;
}

/* Numbers the sender issues in RV_SEQ_REORDER_US. */
static uint32_t window(const rv_seq_state *s)
{
    uint64_t w;

    if (!s->interval_us)
        return 2u;
    w = ((uint64_t)RV_SEQ_REORDER_US * s->step_q8 + ((uint64_t)s->interval_us << 8) - 1u) /
        ((uint64_t)s->interval_us << 8);
    if (w < 2u)
        w = 2u;
    return w > RV_SEQ_WINDOW_MAX ? RV_SEQ_WINDOW_MAX : (uint32_t)w;
}

/* Numbers the sender can have issued in dt (UINT64_MAX: no estimate). */
static uint64_t plausible(const rv_seq_state *s, uint64_t dt)
{
    if (!s->interval_us)
        return UINT64_MAX;
    return ((2u * (uint64_t)s->step_q8 * (dt / s->interval_us + 1u)) >> 8) + window(s);
}

static int silence(const rv_seq_state *s, uint64_t dt)
{
    uint64_t t = s->interval_us ? 3u * (uint64_t)s->interval_us : 1000000u;

    if (t < RV_SEQ_REORDER_US)
        t = RV_SEQ_REORDER_US;
    return dt >= t;
}

static uint64_t dup_time(const rv_seq_state *s)
{
    uint64_t t = s->interval_us ? s->interval_us / 2u : RV_SEQ_DUP_MAX_US;

    return t > RV_SEQ_DUP_MAX_US ? RV_SEQ_DUP_MAX_US : t;
}

void rv_seq_interval_update(uint32_t *interval_us, uint64_t dt)
{
    uint32_t iv;

    if (!interval_us || !dt)
        return;
    iv = *interval_us;
    if (dt > 0xffffffffu)
        dt = 0xffffffffu;
    if (!iv) {
        iv = (uint32_t)dt;
    } else if (dt <= 4u * (uint64_t)iv) {
        int64_t d = (int64_t)dt - (int64_t)iv;
        iv = (uint32_t)((int64_t)iv + d / 8);
        if (!iv)
            iv = 1u;
    } else if (iv < 0xffffffffu / 2u) {
        iv += iv / 4u + 1u;
    }
    *interval_us = iv;
}

static void learn_interval(rv_seq_state *s, uint64_t dt)
{
    rv_seq_interval_update(&s->interval_us, dt);
}

static void learn_step(rv_seq_state *s, uint32_t delta)
{
    uint64_t d = (uint64_t)delta << 8;
    uint64_t cap = 4u * (uint64_t)s->step_q8 + 256u;

    if (d > cap)
        d = cap;
    s->step_q8 = (uint32_t)((int64_t)s->step_q8 + ((int64_t)d - (int64_t)s->step_q8) / 8);
    if (s->step_q8 < 256u)
        s->step_q8 = 256u;
}

static void advance(rv_seq_state *s, uint32_t seq, uint32_t delta, uint64_t now_us)
{
    s->seen = delta >= 64u ? 1u : (s->seen << delta) | 1u;
    s->span = s->span + delta > s->mask ? s->mask : s->span + delta;
    s->last = seq;
    if (now_us != RV_SEQ_TIME_NONE)
        s->last_us = now_us;
}

static void restart(rv_seq_state *s, uint32_t seq, uint64_t now_us)
{
    s->seen = 1u;
    s->span = 0;
    s->last = seq;
    if (now_us != RV_SEQ_TIME_NONE)
        s->last_us = now_us;
}

rv_seq_class rv_seq_track(rv_seq_state *s, uint32_t seq, uint64_t now_us,
                          uint32_t *skipped)
{
    uint64_t dt;
    uint32_t delta, back, w;

    if (skipped)
        *skipped = 0;
    if (!s)
        return RV_SEQ_FIRST;
    seq &= s->mask;
    if (!s->have) {
        s->have = 1;
        restart(s, seq, now_us);
        return RV_SEQ_FIRST;
    }
    dt = elapsed(s, now_us);
    delta = (seq - s->last) & s->mask;

    if (delta != 0 && delta <= (s->mask >> 1)) {
        uint64_t p = plausible(s, dt);
        if (delta > 1u && (uint64_t)delta > p && (uint64_t)seq <= p) {
            learn_interval(s, dt);
            restart(s, seq, now_us);
            return RV_SEQ_REBOOT;
        }
        learn_interval(s, dt);
        learn_step(s, delta);
        advance(s, seq, delta, now_us);
        if (delta == 1u)
            return RV_SEQ_IN_ORDER;
        if (skipped)
            *skipped = delta - 1u;
        return RV_SEQ_GAP;
    }

    back = (s->last - seq) & s->mask;
    w = window(s);
    if ((back > 0u && silence(s, dt)) || back > w) {
        learn_interval(s, dt);
        restart(s, seq, now_us);
        return RV_SEQ_REBOOT;
    }
    if (s->seen & ((uint64_t)1u << back)) {
        if (dt >= dup_time(s) && (uint64_t)seq <= plausible(s, dt)) {
            learn_interval(s, dt);
            restart(s, seq, now_us);
            return RV_SEQ_REBOOT;
        }
        return RV_SEQ_DUPLICATE;
    }
    if (back <= s->span || dt < dup_time(s)) {
        s->seen |= (uint64_t)1u << back;
        return RV_SEQ_REORDERED;
    }
    learn_interval(s, dt);
    restart(s, seq, now_us);
    return RV_SEQ_REBOOT;
}
