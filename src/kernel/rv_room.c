/* rv_room.c — link fusion and fall events of one room (rv_room.h). */
#include "rv_room.h"

#include <math.h>
#include <string.h>

#define ROOM_MAGIC 0x524F4F4Du
#define LEVEL_FLOOR 1e-4f
/* Probability floor of the room's belief, so that no class is ever ruled
 * out for good and a change of activity is followed within about a
 * switch time. */
#define BELIEF_FLOOR 1e-6f
/* Time constant of a link's agreement with the room. */
#define AGREE_TAU_NS 10000000000.0
/* Motion SNR |log(score/threshold)| counted up to this (x weight 1). */
#define SNR_CAP 1.5f

/* Which classes the room's label may take. */
typedef enum { GATE_NONE, GATE_QUIET, GATE_MOTION } room_gate;

typedef struct {
    uint8_t  node, antenna;
    int      offline;
    uint64_t first_t, last_t;
    uint32_t frames;
    float    avg[RV_ROOM_MAX_CLASSES];   /* smoothed: weights and falls */
    float    cur[RV_ROOM_MAX_CLASSES];   /* newest frame: the room's label */
    float    agree;
    float    snr;
    int      has_motion, motion, calibrated;
    int32_t  decision;
    float    weight;
    double   dt;          /* stream time since its previous frame */
} room_link;

struct rv_room {
    uint32_t magic;
    rv_room_config cfg;
    uint32_t n_links;
    room_link links[RV_ROOM_MAX_LINKS];
    uint64_t newest;
    int32_t  label, pending;
    uint64_t pending_since;
    float    belief[RV_ROOM_MAX_CLASSES];   /* filtered room posterior */
    uint64_t belief_t;
    int      belief_valid;
    float    confidence;
    int      occupied;
    uint32_t used;
    uint32_t aligned;   /* links online and within tolerance */
    rv_fall  fall;
};

void
rv_room_config_default(rv_room_config *cfg, uint32_t n_classes)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->n_classes = n_classes;
    cfg->tolerance_ns = RV_ROOM_DEFAULT_TOLERANCE_NS;
    cfg->smoothing_ns = RV_ROOM_DEFAULT_SMOOTHING_NS;
    cfg->min_weight = RV_ROOM_DEFAULT_MIN_WEIGHT;
    cfg->hold_ns = RV_ROOM_DEFAULT_HOLD_NS;
    cfg->switch_ns = RV_ROOM_DEFAULT_SWITCH_NS;
    cfg->evidence_ns = RV_ROOM_DEFAULT_EVIDENCE_NS;
    cfg->fall_threshold = RV_ROOM_DEFAULT_FALL_THRESHOLD;
    cfg->fall_window_ns = RV_ROOM_DEFAULT_FALL_WINDOW_NS;
    cfg->fall_confirm_ns = RV_ROOM_DEFAULT_FALL_CONFIRM_NS;
    cfg->fall_grace_ns = RV_ROOM_DEFAULT_FALL_GRACE_NS;
    cfg->fall_cancel_ns = RV_ROOM_DEFAULT_FALL_CANCEL_NS;
}

size_t
rv_room_mem_size(void)
{
    return sizeof(rv_room);
}

void
rv_room_reset(rv_room *r)
{
    rv_room_config cfg = r->cfg;
    rv_fall_config fall_cfg = r->fall.cfg;
    memset(r, 0, sizeof *r);
    r->magic = ROOM_MAGIC;
    r->cfg = cfg;
    r->fall.cfg = fall_cfg;
    r->label = -1;
    r->pending = -1;
    rv_fall_reset(&r->fall);
}

rv_status
rv_room_init(rv_room **out, void *mem, size_t size, const rv_room_config *cfg)
{
    rv_room *r = (rv_room *)mem;

    if (!out || !mem || !cfg)
        return RV_ERR_NULL;
    if (size < sizeof(rv_room))
        return RV_ERR_MEM;
    rv_fall_config fc = {
        cfg->fall_threshold, cfg->fall_window_ns, cfg->fall_confirm_ns,
        cfg->fall_grace_ns, cfg->fall_cancel_ns
    };

    if (cfg->n_classes == 0 || cfg->n_classes > RV_ROOM_MAX_CLASSES
        || cfg->tolerance_ns == 0 || cfg->smoothing_ns == 0
        || cfg->switch_ns == 0 || cfg->evidence_ns == 0
        || !(cfg->min_weight >= 0.0f && cfg->min_weight < 1.0f)
        || rv_fall_init(&r->fall, &fc) != RV_OK)
        return RV_ERR_ARG;
    r->cfg = *cfg;
    rv_room_reset(r);
    *out = r;
    return RV_OK;
}

uint32_t
rv_room_n_links(const rv_room *r)
{
    return r ? r->n_links : 0;
}

void
rv_room_set_node_online(rv_room *r, uint8_t node, int online)
{
    if (!r || r->magic != ROOM_MAGIC)
        return;
    for (uint32_t i = 0; i < r->n_links; i++)
        if (r->links[i].node == node) {
            r->links[i].offline = !online;
            if (online)   /* its old evidence is stale: start it afresh */
                r->links[i].frames = 0;
        }
}

static room_link *
find_link(rv_room *r, uint8_t node, uint8_t antenna)
{
    for (uint32_t i = 0; i < r->n_links; i++)
        if (r->links[i].node == node && r->links[i].antenna == antenna)
            return &r->links[i];
    if (r->n_links == RV_ROOM_MAX_LINKS)
        return NULL;
    room_link *l = &r->links[r->n_links++];
    memset(l, 0, sizeof *l);
    l->node = node;
    l->antenna = antenna;
    l->agree = 0.5f;
    l->decision = -1;
    return l;
}

static void
link_update(const rv_room_config *c, room_link *l, const rv_room_obs *o)
{
    uint32_t n = c->n_classes;

    if (l->frames == 0) {
        for (uint32_t k = 0; k < n; k++)
            l->avg[k] = o->levels[k];
        l->first_t = o->t_ns;
    } else {
        double dt = o->t_ns > l->last_t ? (double)(o->t_ns - l->last_t) : 0.0;
        l->dt = dt;
        float a = (float)(dt / (dt + (double)c->smoothing_ns));
        for (uint32_t k = 0; k < n; k++)
            l->avg[k] += a * (o->levels[k] - l->avg[k]);
    }
    for (uint32_t k = 0; k < n; k++)
        l->cur[k] = o->levels[k];
    l->frames++;
    if (o->t_ns > l->last_t || l->frames == 1)
        l->last_t = o->t_ns;
    l->decision = o->decision;
    l->has_motion = o->has_motion;
    l->motion = o->motion;
    l->calibrated = o->calibrated;
    if (!o->has_motion)
        l->snr = 1.0f;
    else if (!o->calibrated || !(o->threshold > 0.0f) || !(o->score > 0.0f))
        l->snr = 0.5f;
    else {
        float s = fabsf(logf(o->score / o->threshold));
        l->snr = 0.25f + 0.75f * (s < SNR_CAP ? s / SNR_CAP : 1.0f);
    }
}

static float
link_certainty(const rv_room_config *c, const room_link *l)
{
    float h = 0.0f, sum = 0.0f;
    uint32_t n = 0;
    for (uint32_t k = 0; k < c->n_classes; k++)
        if (!(c->roles[k] & RV_ROOM_ROLE_STATUS)) {
            sum += l->avg[k];
            n++;
        }
    if (n < 2 || !(sum > 0.0f))
        return 0.0f;
    for (uint32_t k = 0; k < c->n_classes; k++)
        if (!(c->roles[k] & RV_ROOM_ROLE_STATUS)) {
            float p = l->avg[k] / sum;
            if (p > 0.0f)
                h -= p * logf(p);
        }
    return 1.0f - h / logf((float)n);
}

static double
link_rate(const room_link *l)
{
    if (l->frames < 2 || l->last_t <= l->first_t)
        return 0.0;
    return (double)(l->frames - 1) * 1e9 / (double)(l->last_t - l->first_t);
}

/* Weights of the aligned links; returns the number used. */
static uint32_t
room_weigh(rv_room *r, uint32_t *aligned)
{
    const rv_room_config *c = &r->cfg;
    double max_rate = 0.0;
    float wmax = 0.0f;
    uint32_t used = 0;

    for (uint32_t i = 0; i < r->n_links; i++) {
        double rate = link_rate(&r->links[i]);
        if (rate > max_rate)
            max_rate = rate;
    }
    for (uint32_t i = 0; i < r->n_links; i++) {
        room_link *l = &r->links[i];
        l->weight = 0.0f;
        if (l->offline || l->frames == 0 || r->newest - l->last_t > c->tolerance_ns)
            continue;
        (*aligned)++;
        double rate = link_rate(l);
        float rq = max_rate > 0.0 && rate > 0.0 ? (float)(rate / max_rate) : 1.0f;
        l->weight = link_certainty(c, l) * l->agree * l->snr * rq;
        if (l->weight > wmax)
            wmax = l->weight;
    }
    for (uint32_t i = 0; i < r->n_links; i++) {
        room_link *l = &r->links[i];
        if (l->weight > 0.0f && l->weight < c->min_weight * wmax)
            l->weight = 0.0f;
        if (l->weight > 0.0f)
            used++;
    }
    return used;
}

/* Log-linear pool (weighted geometric mean) of the weighted links'
 * probabilities (their newest frame, or their smoothed average) into p[];
 * status classes, and with presence_only every class that is not a
 * presence class, are left at 0. */
static void
room_pool(const rv_room *r, float *p, int newest, room_gate gate)
{
    const rv_room_config *c = &r->cfg;
    float lg[RV_ROOM_MAX_CLASSES], wsum = 0.0f, mx = -INFINITY, z = 0.0f;

    for (uint32_t k = 0; k < c->n_classes; k++)
        lg[k] = 0.0f;
    for (uint32_t i = 0; i < r->n_links; i++) {
        const room_link *l = &r->links[i];
        const float *v = newest ? l->cur : l->avg;
        if (l->weight <= 0.0f)
            continue;
        wsum += l->weight;
        for (uint32_t k = 0; k < c->n_classes; k++)
            lg[k] += l->weight * logf(v[k] > LEVEL_FLOOR ? v[k] : LEVEL_FLOOR);
    }
    for (uint32_t k = 0; k < c->n_classes; k++) {
        uint8_t ro = c->roles[k];
        lg[k] = wsum > 0.0f && !(ro & RV_ROOM_ROLE_STATUS)
            && (gate == GATE_NONE
                || (gate == GATE_QUIET) == !!(ro & RV_ROOM_ROLE_PRESENCE))
            ? lg[k] / wsum : -INFINITY;
        if (lg[k] > mx)
            mx = lg[k];
    }
    for (uint32_t k = 0; k < c->n_classes; k++) {
        p[k] = mx > -INFINITY && lg[k] > -INFINITY ? expf(lg[k] - mx) : 0.0f;
        z += p[k];
    }
    for (uint32_t k = 0; k < c->n_classes; k++)
        p[k] = z > 0.0f ? p[k] / z : 0.0f;
}

/* The room's motion state: the weighted vote of the kept links' motion
 * detectors (their own hysteresis included), each read as rvclassify gates
 * its link: moving once calibrated and over its threshold, quiet
 * otherwise. None when no kept link has a detector (feature-state nodes). */
static room_gate
room_motion_gate(const rv_room *r)
{
    float w = 0.0f, moving = 0.0f;
    for (uint32_t i = 0; i < r->n_links; i++) {
        const room_link *l = &r->links[i];
        if (l->weight <= 0.0f || !l->has_motion)
            continue;
        w += l->weight;
        moving += l->calibrated && l->motion ? l->weight : 0.0f;
    }
    if (w <= 0.0f)
        return GATE_NONE;
    return moving >= 0.5f * w ? GATE_MOTION : GATE_QUIET;
}

/* One step of a forward filter (a hidden Markov model over the classes, in
 * stream time): the belief leaks toward uniform with time constant
 * switch_ns (the activity may have changed), then takes the pooled
 * evidence p[] at a rate of one full frame per evidence_ns. Frames out of
 * order (skewed links) advance nothing. p[] is replaced by the belief. */
static void
room_filter(rv_room *r, uint64_t t, float *p)
{
    const rv_room_config *c = &r->cfg;
    float lg[RV_ROOM_MAX_CLASSES], mx = -INFINITY, z = 0.0f;
    uint32_t n = 0;

    for (uint32_t k = 0; k < c->n_classes; k++)
        n += !(c->roles[k] & RV_ROOM_ROLE_STATUS);
    if (n == 0)
        return;
    if (!r->belief_valid) {
        for (uint32_t k = 0; k < c->n_classes; k++)
            r->belief[k] = p[k];
        r->belief_valid = 1;
        r->belief_t = t;
        return;
    }
    double dt = t > r->belief_t ? (double)(t - r->belief_t) : 0.0;
    if (t > r->belief_t)
        r->belief_t = t;
    float stay = (float)exp(-dt / (double)c->switch_ns);
    float rate = (float)(dt / (double)c->evidence_ns);
    for (uint32_t k = 0; k < c->n_classes; k++) {
        if (c->roles[k] & RV_ROOM_ROLE_STATUS) {
            lg[k] = -INFINITY;
            continue;
        }
        float prior = stay * r->belief[k] + (1.0f - stay) / (float)n;
        lg[k] = logf(prior > BELIEF_FLOOR ? prior : BELIEF_FLOOR)
            + rate * logf(p[k] > LEVEL_FLOOR ? p[k] : LEVEL_FLOOR);
        if (lg[k] > mx)
            mx = lg[k];
    }
    for (uint32_t k = 0; k < c->n_classes; k++) {
        r->belief[k] = lg[k] > -INFINITY ? expf(lg[k] - mx) : 0.0f;
        z += r->belief[k];
    }
    for (uint32_t k = 0; k < c->n_classes; k++)
        p[k] = r->belief[k] = r->belief[k] / z;
}

static int32_t
argmax(const float *p, uint32_t n)
{
    int32_t best = -1;
    for (uint32_t k = 0; k < n; k++)
        if (p[k] > 0.0f && (best < 0 || p[k] > p[best]))
            best = (int32_t)k;
    return best;
}

static float
role_mass(const rv_room_config *c, const float *p, uint8_t role)
{
    float s = 0.0f;
    for (uint32_t k = 0; k < c->n_classes; k++)
        if (c->roles[k] & role)
            s += p[k];
    return s;
}

/* The room's reading for the fall detector: fused evidence; low (a DOWN
 * or FALL label: measured better than the links' motion vote, which a
 * fall's own aftermath keeps on motion too long); up; the node with the
 * most weighted fall evidence. */
static void
fall_push(rv_room *r, uint64_t t, const float *ungated, rv_room_fall *fall)
{
    const rv_room_config *c = &r->cfg;
    uint8_t ro = r->label >= 0 ? c->roles[r->label] : 0;
    rv_fall_obs o;
    float best = -1.0f;

    o.t_ns = t;
    o.evidence = role_mass(c, ungated, RV_ROOM_ROLE_FALL);
    o.low = (ro & (RV_ROOM_ROLE_DOWN | RV_ROOM_ROLE_FALL)) != 0;
    o.up = (ro & RV_ROOM_ROLE_UP) != 0;
    o.node = -1;
    for (uint32_t i = 0; i < r->n_links; i++) {
        const room_link *l = &r->links[i];
        float e = l->weight * role_mass(c, l->avg, RV_ROOM_ROLE_FALL);
        if (l->weight > 0.0f && e > best) {
            best = e;
            o.node = l->node;
        }
    }
    (void)rv_fall_push(&r->fall, &o, fall);   /* no NULL here */
}

rv_status
rv_room_push(rv_room *r, const rv_room_obs *obs, rv_room_state *state,
             int *changed, rv_room_fall *fall)
{
    const rv_room_config *c;
    float p[RV_ROOM_MAX_CLASSES], ungated[RV_ROOM_MAX_CLASSES];
    room_link *l;
    int32_t cand;
    uint32_t used, aligned = 0;

    if (!r || !obs || !obs->levels || !state || !changed || !fall)
        return RV_ERR_NULL;
    if (r->magic != ROOM_MAGIC)
        return RV_ERR_BAD_OBJECT;
    c = &r->cfg;
    memset(fall, 0, sizeof *fall);
    fall->node = -1;   /* NONE unless rv_fall raises one */
    *changed = 0;
    for (uint32_t k = 0; k < c->n_classes; k++)
        if (!isfinite(obs->levels[k]))
            return RV_ERR_NOT_FINITE;
    l = find_link(r, obs->node, obs->antenna);
    if (!l)
        return RV_ERR_FULL;
    if (l->offline)   /* a frame is proof of life */
        l->offline = 0;
    link_update(c, l, obs);
    if (obs->t_ns > r->newest)
        r->newest = obs->t_ns;

    used = room_weigh(r, &aligned);
    room_pool(r, ungated, 0, GATE_NONE);
    room_pool(r, p, 1, room_motion_gate(r));
    if (used > 0)
        room_filter(r, obs->t_ns, p);
    cand = argmax(p, c->n_classes);

    int32_t old_label = r->label;
    int old_occ = r->occupied;
    uint32_t old_aligned = r->aligned;
    if (cand < 0) {
        r->label = -1;
        r->pending = -1;
    } else if (cand == r->label || r->label < 0) {
        r->label = cand;
        r->pending = -1;
    } else if (cand != r->pending) {
        r->pending = cand;
        r->pending_since = obs->t_ns;
    } else if (obs->t_ns - r->pending_since >= c->hold_ns) {
        r->label = cand;
        r->pending = -1;
    }
    r->confidence = r->label < 0 ? 0.0f : p[r->label];
    r->occupied = r->label >= 0 && !(c->roles[r->label] & RV_ROOM_ROLE_EMPTY);
    r->used = used;
    r->aligned = aligned;

    /* A link's agreement with the room: its own decision (or, before it
     * has one, its strongest class) against the room's label. */
    if (r->label >= 0 && l->frames > 1) {
        int32_t mine = l->decision >= 0 ? l->decision : argmax(l->avg, c->n_classes);
        float a = (float)(l->dt / (l->dt + AGREE_TAU_NS));
        l->agree += a * ((mine == r->label ? 1.0f : 0.05f) - l->agree);
    }

    if (used > 0)
        fall_push(r, obs->t_ns, ungated, fall);

    state->label = r->label;
    state->confidence = r->confidence;
    state->occupied = r->occupied;
    state->links = r->used;
    state->t_ns = r->newest;
    *changed = r->label != old_label || r->occupied != old_occ || r->aligned != old_aligned;
    return RV_OK;
}
