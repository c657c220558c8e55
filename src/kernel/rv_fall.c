/* rv_fall.c — a room's fall events: impact, confirmation, cancel (rv_fall.h). */
#include "rv_fall.h"

#include <string.h>

enum { FALL_IDLE, FALL_CANDIDATE, FALL_ALARMED };

void
rv_fall_config_default(rv_fall_config *cfg)
{
    cfg->threshold = RV_FALL_DEFAULT_THRESHOLD;
    cfg->window_ns = RV_FALL_DEFAULT_WINDOW_NS;
    cfg->confirm_ns = RV_FALL_DEFAULT_CONFIRM_NS;
    cfg->grace_ns = RV_FALL_DEFAULT_GRACE_NS;
    cfg->cancel_ns = RV_FALL_DEFAULT_CANCEL_NS;
}

void
rv_fall_reset(rv_fall *f)
{
    rv_fall_config cfg = f->cfg;
    memset(f, 0, sizeof *f);
    f->cfg = cfg;
    f->armed = 1;
    f->node = -1;
}

rv_status
rv_fall_init(rv_fall *f, const rv_fall_config *cfg)
{
    if (!f || !cfg)
        return RV_ERR_NULL;
    if (!(cfg->threshold > 0.0f && cfg->threshold < 1.0f)
        || cfg->window_ns == 0 || cfg->confirm_ns == 0
        || cfg->confirm_ns > cfg->window_ns)
        return RV_ERR_ARG;
    f->cfg = *cfg;
    rv_fall_reset(f);
    return RV_OK;
}

static void
emit(const rv_fall *f, rv_fall_kind kind, rv_fall_event *ev)
{
    ev->kind = kind;
    ev->node = f->node;
    ev->onset_ns = f->onset;
    ev->confidence = f->peak;
    ev->delay_ns = f->alarm_t - f->onset;
}

/* A candidate from the impact crossing the threshold at t. */
static void
start(rv_fall *f, uint64_t t)
{
    f->state = FALL_CANDIDATE;
    f->armed = 0;
    f->onset = f->rise_valid ? f->rise_t : t;
    f->peak = 0.0f;
    f->node = -1;
    f->low_valid = 0;
}

rv_status
rv_fall_push(rv_fall *f, const rv_fall_obs *o, rv_fall_event *ev)
{
    const rv_fall_config *c;
    uint64_t t;
    int impact, up;

    if (!f || !o || !ev)
        return RV_ERR_NULL;
    c = &f->cfg;
    t = o->t_ns > f->last_t ? o->t_ns : f->last_t;
    f->last_t = t;
    impact = o->evidence >= c->threshold;
    memset(ev, 0, sizeof *ev);
    ev->node = -1;
    if (!impact)
        f->armed = 1;
    if (o->evidence < 0.5f * c->threshold)
        f->rise_valid = 0;
    else if (!f->rise_valid) {
        f->rise_valid = 1;
        f->rise_t = t;
    }
    if (!o->up)
        f->up_valid = 0;
    else if (!f->up_valid) {
        f->up_valid = 1;
        f->up_since = t;
    }
    up = f->up_valid && t - f->up_since >= RV_FALL_UP_HOLD_NS;
    if (f->state == FALL_ALARMED) {
        if (up && t - f->alarm_t <= c->cancel_ns) {
            f->state = FALL_IDLE;
            emit(f, RV_FALL_CANCEL, ev);
            return RV_OK;
        }
        if (t - f->alarm_t <= c->cancel_ns)
            return RV_OK;
        f->state = FALL_IDLE;
    }
    /* A walk can read as an impact just before a fall: the later impact
     * restarts the candidate, so the fall is timed by its own onset. */
    if (impact && f->armed) {
        start(f, t);
        return RV_OK;
    }
    if (f->state != FALL_CANDIDATE)
        return RV_OK;
    if (o->evidence > f->peak) {
        f->peak = o->evidence;
        f->node = o->node;
    }
    if (t - f->onset > c->window_ns) {
        f->state = FALL_IDLE;
        return RV_OK;
    }
    /* Getting up drops the candidate, but not the motion of the descent
     * itself, which often reads as walking or standing up (the grace). */
    if (up && t - f->onset >= c->grace_ns && !impact) {
        f->state = FALL_IDLE;
        return RV_OK;
    }
    if (!o->low)
        f->low_valid = 0;
    else if (!f->low_valid) {
        f->low_valid = 1;
        f->low_since = t;
    } else if (t - f->low_since >= c->confirm_ns) {
        f->state = FALL_ALARMED;
        f->alarm_t = t;
        emit(f, RV_FALL_ALARM, ev);
    }
    return RV_OK;
}
