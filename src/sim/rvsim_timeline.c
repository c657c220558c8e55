/*
 * rvsim_timeline.c — rooms and per-person activity timelines for each
 * scenario. A small builder keeps every timeline physically continuous:
 * a seated person stands up before walking, people enter and leave by the
 * door, a fall ends on the floor.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rvsim_internal.h"

#define PI 3.141592653589793

typedef struct {
    const char *name, *desc;
} scenario_info;

static const scenario_info scenarios[] = {
    { "demo", "scripted tour of every activity (~100 s, repeats): enter, still, three gestures, sit, apnea, stand, fall, lie, get up, leave" },
    { "empty", "empty room: static multipath and noise only" },
    { "breathing", "one person still for the whole session, breathing 8-25 bpm (rate in the labels)" },
    { "apnea", "one person still, breathing interrupted by apnea episodes" },
    { "walking", "one person walking between random waypoints with short pauses" },
    { "sit", "walk, sit down, stay seated, stand up, repeated" },
    { "fall", "walk, fall, lie on the floor, get up, repeated" },
    { "gestures", "one person standing, random wave / push-pull / circle gestures between still spells" },
    { "random", "randomised timeline over all activities, people enter and leave (training data)" },
    { "mixed", "two people, each with a randomised timeline (training data)" },
    { "falls-hard", "falls (some recovered at once) among hard negatives: fast sitting, lying on a bed, jumping, kneeling, picking up; a second person walks by" },
    { "hard-negatives", "falls-hard without the falls (false-alarm sessions)" },
};
#define N_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static const char *const scenario_names[N_SCENARIOS + 1] = {
    "demo", "empty", "breathing", "apnea", "walking", "sit", "fall", "gestures", "random", "mixed",
    "falls-hard", "hard-negatives", NULL
};

const char *const *rvsim_scenario_names(void)
{
    return scenario_names;
}

const char *rvsim_scenario_description(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < N_SCENARIOS; i++)
        if (strcmp(scenarios[i].name, name) == 0)
            return scenarios[i].desc;
    return NULL;
}

void rvsim_room_build(rvsim_room *room, const char *scenario, uint64_t seed)
{
    rvsim_rng r;
    rvsim_rng_fork(&r, seed, 1);
    memset(room, 0, sizeof(*room));
    if (strcmp(scenario, "demo") == 0) {
        room->w = 6.0;
        room->d = 5.0;
        room->h = 2.7;
    } else {
        room->w = rvsim_rng_range(&r, 4.5, 8.0);
        room->d = rvsim_rng_range(&r, 3.5, 6.5);
        room->h = rvsim_rng_range(&r, 2.5, 3.0);
    }
    room->ap = (rvsim_vec3){ 0.25, room->d * 0.5, 1.8 };
    room->door = (rvsim_vec3){ room->w * 0.8, 0.3, 0.0 };
    room->n_furniture = 5;
    for (uint32_t i = 0; i < room->n_furniture; i++) {
        room->furniture[i].x = rvsim_rng_range(&r, 0.3, room->w - 0.3);
        room->furniture[i].y = rvsim_rng_range(&r, 0.3, room->d - 0.3);
        room->furniture[i].z = rvsim_rng_range(&r, 0.3, 1.2);
        room->furniture_rcs[i] = rvsim_rng_range(&r, 0.5, 2.0);
    }
    room->wall_gamma = rvsim_rng_range(&r, 0.35, 0.55);
    room->floor_gamma = rvsim_rng_range(&r, 0.4, 0.6);
    room->ceil_gamma = rvsim_rng_range(&r, 0.25, 0.45);
}

int rvsim_activity_priority(int act)
{
    switch (act) {
    case RVSIM_ACT_FALL: return 10;
    case RVSIM_ACT_WAVE: case RVSIM_ACT_PUSH_PULL: case RVSIM_ACT_CIRCLE: return 9;
    case RVSIM_ACT_SIT_DOWN: case RVSIM_ACT_STAND_UP: return 8;
    case RVSIM_ACT_WALKING: return 7;
    case RVSIM_ACT_APNEA: return 6;
    case RVSIM_ACT_LYING: return 5;
    case RVSIM_ACT_STILL: return 4;
    default: return 0;
    }
}

/* ---- builder ---- */
typedef struct {
    rvsim_person *p;
    rvsim_rng *rng;
    const rvsim_room *room;
    double t, x, y, hd;
    rvsim_pose pose;
    int action;                /* copied into every pushed segment */
    double jump_h;
    int oom;
} builder;

static void push(builder *b, int act, double dur, double x1, double y1, double hd1,
                 rvsim_pose pose1, double freq, double speed)
{
    rvsim_person *p = b->p;
    if (b->oom)
        return;
    if (p->n_seg == p->cap_seg) {
        size_t nc = p->cap_seg ? p->cap_seg * 2 : 64;
        rvsim_tseg *ns = realloc(p->seg, nc * sizeof(*ns));
        if (!ns) {
            b->oom = 1;
            return;
        }
        p->seg = ns;
        p->cap_seg = nc;
    }
    rvsim_tseg *g = &p->seg[p->n_seg++];
    g->act = act;
    g->t0 = b->t;
    g->t1 = b->t + dur;
    g->x0 = b->x; g->y0 = b->y; g->hd0 = b->hd;
    g->x1 = x1; g->y1 = y1; g->hd1 = hd1;
    g->pose0 = b->pose;
    g->pose1 = pose1;
    g->freq = freq;
    g->speed = speed;
    g->action = b->action;
    g->jump_h = b->jump_h;
    b->t += dur;
    b->x = x1; b->y = y1; b->hd = hd1;
    b->pose = pose1;
}

static void rand_point(builder *b, double *x, double *y)
{
    *x = rvsim_rng_range(b->rng, 0.6, b->room->w - 0.6);
    *y = rvsim_rng_range(b->rng, 0.6, b->room->d - 0.6);
}

static void stand_up(builder *b)
{
    if (b->pose == RVSIM_POSE_SEAT)
        push(b, RVSIM_ACT_STAND_UP, rvsim_rng_range(b->rng, 1.5, 2.5), b->x, b->y, b->hd,
             RVSIM_POSE_STAND, 0, 0);
    else if (b->pose == RVSIM_POSE_LIE)
        push(b, RVSIM_ACT_STAND_UP, rvsim_rng_range(b->rng, 2.5, 4.0), b->x, b->y, b->hd,
             RVSIM_POSE_STAND, 0, 0);
    else if (b->pose == RVSIM_POSE_KNEEL)
        push(b, RVSIM_ACT_STAND_UP, rvsim_rng_range(b->rng, 1.2, 2.0), b->x, b->y, b->hd,
             RVSIM_POSE_STAND, 0, 0);
    else if (b->pose == RVSIM_POSE_CROUCH)
        push(b, RVSIM_ACT_STAND_UP, rvsim_rng_range(b->rng, 0.7, 1.2), b->x, b->y, b->hd,
             RVSIM_POSE_STAND, 0, 0);
    else if (b->pose == RVSIM_POSE_BED)
        push(b, RVSIM_ACT_STAND_UP, rvsim_rng_range(b->rng, 2.0, 3.0), b->x, b->y, b->hd,
             RVSIM_POSE_STAND, 0, 0);
}

static void walk_to(builder *b, double x, double y)
{
    if (b->pose == RVSIM_POSE_OUT) {
        /* appear in the doorway, facing into the room */
        b->x = b->room->door.x;
        b->y = b->room->door.y;
        b->hd = PI / 2;
        b->pose = RVSIM_POSE_STAND;
    }
    stand_up(b);
    double dx = x - b->x, dy = y - b->y, dist = sqrt(dx * dx + dy * dy);
    if (dist < 0.3)
        return;
    double speed = rvsim_rng_range(b->rng, 0.8, 1.4);
    /* hd0 = current heading, hd1 = walking direction: the body turns
     * towards it during the first steps (rvsim_body.c). */
    push(b, RVSIM_ACT_WALKING, dist / speed, x, y, atan2(dy, dx), RVSIM_POSE_STAND, 0, speed);
}

static void ensure_present(builder *b)
{
    if (b->pose == RVSIM_POSE_OUT) {
        double x, y;
        rand_point(b, &x, &y);
        walk_to(b, x, y);
    }
}

static void still(builder *b, double dur)
{
    ensure_present(b);
    int lying = b->pose == RVSIM_POSE_LIE || b->pose == RVSIM_POSE_BED;
    push(b, lying ? RVSIM_ACT_LYING : RVSIM_ACT_STILL, dur,
         b->x, b->y, b->hd, b->pose, 0, 0);
}

static void apnea(builder *b, double dur)
{
    ensure_present(b);
    push(b, RVSIM_ACT_APNEA, dur, b->x, b->y, b->hd, b->pose, 0, 0);
}

static void gesture(builder *b, int act, double dur)
{
    ensure_present(b);
    if (b->pose == RVSIM_POSE_LIE)
        stand_up(b);
    double f = act == RVSIM_ACT_WAVE ? rvsim_rng_range(b->rng, 1.5, 2.2)
             : act == RVSIM_ACT_PUSH_PULL ? rvsim_rng_range(b->rng, 0.6, 1.0)
             : rvsim_rng_range(b->rng, 0.5, 0.9);
    push(b, act, dur, b->x, b->y, b->hd, b->pose, f, 0);
}

static void sit_down(builder *b)
{
    ensure_present(b);
    stand_up(b);
    push(b, RVSIM_ACT_SIT_DOWN, rvsim_rng_range(b->rng, 1.8, 2.6), b->x, b->y, b->hd,
         RVSIM_POSE_SEAT, 0, 0);
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

static void fall(builder *b)
{
    ensure_present(b);
    stand_up(b);
    double dir = b->hd + rvsim_rng_range(b->rng, -0.8, 0.8);
    double x1 = clampd(b->x + 0.5 * cos(dir), 0.8, b->room->w - 0.8);
    double y1 = clampd(b->y + 0.5 * sin(dir), 0.8, b->room->d - 0.8);
    push(b, RVSIM_ACT_FALL, rvsim_rng_range(b->rng, 0.5, 0.9), x1, y1, dir, RVSIM_POSE_LIE, 0, 0);
}

static void leave_room(builder *b)
{
    if (b->pose == RVSIM_POSE_OUT)
        return;
    walk_to(b, b->room->door.x, b->room->door.y);
    b->pose = RVSIM_POSE_OUT;
}

static void empty(builder *b, double dur)
{
    leave_room(b);
    push(b, RVSIM_ACT_EMPTY, dur, b->x, b->y, b->hd, RVSIM_POSE_OUT, 0, 0);
}

static int rand_gesture(builder *b)
{
    static const int g[3] = { RVSIM_ACT_WAVE, RVSIM_ACT_PUSH_PULL, RVSIM_ACT_CIRCLE };
    return g[rvsim_rng_u64(b->rng) % 3u];
}

static void place(builder *b, rvsim_pose pose)
{
    rand_point(b, &b->x, &b->y);
    b->hd = rvsim_rng_range(b->rng, -PI, PI);
    b->pose = pose;
}

static void script_demo(builder *b, double duration)
{
    const rvsim_room *rm = b->room;
    while (b->t < duration) {
        empty(b, 6.0);
        walk_to(b, rm->w * 0.5, rm->d * 0.5);
        still(b, 10.0);
        gesture(b, RVSIM_ACT_WAVE, 5.0);
        still(b, 2.0);
        gesture(b, RVSIM_ACT_PUSH_PULL, 5.0);
        still(b, 2.0);
        gesture(b, RVSIM_ACT_CIRCLE, 5.0);
        walk_to(b, rm->w * 0.3, rm->d * 0.7);
        sit_down(b);
        still(b, 8.0);
        apnea(b, 8.0);
        still(b, 4.0);
        stand_up(b);
        walk_to(b, rm->w * 0.65, rm->d * 0.4);
        still(b, 2.0);
        fall(b);
        still(b, 10.0);
        stand_up(b);
        still(b, 1.0);
        leave_room(b);
    }
}

static void script_random(builder *b, double duration)
{
    rvsim_rng *r = b->rng;
    while (b->t < duration && !b->oom) {
        double u = rvsim_rng_uniform(r);
        double x, y;
        switch (b->pose) {
        case RVSIM_POSE_OUT:
            if (b->t == 0.0 && u < 0.5) {
                place(b, RVSIM_POSE_STAND);
                break;
            }
            empty(b, rvsim_rng_range(r, 3.0, 15.0));
            rand_point(b, &x, &y);
            walk_to(b, x, y);
            break;
        case RVSIM_POSE_STAND:
            if (u < 0.28) {
                rand_point(b, &x, &y);
                walk_to(b, x, y);
            } else if (u < 0.42) {
                still(b, rvsim_rng_range(r, 3.0, 12.0));
            } else if (u < 0.52) {
                sit_down(b);
            } else if (u < 0.59) {
                fall(b);
            } else if (u < 0.79) {
                gesture(b, rand_gesture(b), rvsim_rng_range(r, 3.0, 7.0));
            } else if (u < 0.85) {
                apnea(b, rvsim_rng_range(r, 6.0, 15.0));
            } else if (u < 0.92) {
                still(b, rvsim_rng_range(r, 1.0, 3.0));
            } else {
                leave_room(b);
            }
            break;
        case RVSIM_POSE_SEAT:
            if (u < 0.4)
                still(b, rvsim_rng_range(r, 3.0, 12.0));
            else if (u < 0.65)
                gesture(b, rand_gesture(b), rvsim_rng_range(r, 3.0, 7.0));
            else if (u < 0.75)
                apnea(b, rvsim_rng_range(r, 6.0, 15.0));
            else
                stand_up(b);
            break;
        case RVSIM_POSE_LIE:
            if (u < 0.5)
                still(b, rvsim_rng_range(r, 4.0, 12.0));
            else if (u < 0.65)
                apnea(b, rvsim_rng_range(r, 6.0, 12.0));
            else
                stand_up(b);
            break;
        default:   /* kneeling, crouching, on a bed: only scripted episodes */
            stand_up(b);
            break;
        }
    }
}

/* ---- hard negatives and fall episodes (falls-hard, hard-negatives) ----
 * Each starts standing in the room; every segment of the episode carries
 * its action, the preparation (entering, standing up) does not. */
static void begin_episode(builder *b, int action)
{
    ensure_present(b);
    stand_up(b);
    b->action = action;
}

static void end_episode(builder *b)
{
    b->action = RVSIM_ACTION_NONE;
    b->jump_h = 0;
}

static void ep_fall(builder *b, int recover)
{
    begin_episode(b, recover ? RVSIM_ACTION_FALL_RECOVER : RVSIM_ACTION_FALL);
    fall(b);
    still(b, recover ? rvsim_rng_range(b->rng, 0.5, 2.0) : rvsim_rng_range(b->rng, 8.0, 25.0));
    stand_up(b);
    end_episode(b);
}

static void ep_sit_fast(builder *b)
{
    begin_episode(b, RVSIM_ACTION_SIT_FAST);
    push(b, RVSIM_ACT_SIT_DOWN, rvsim_rng_range(b->rng, 0.45, 0.75), b->x, b->y, b->hd,
         RVSIM_POSE_SEAT, 0, 0);
    end_episode(b);
    still(b, rvsim_rng_range(b->rng, 3.0, 10.0));
    stand_up(b);
}

/* Posture change down, a stay, and up again, all in the episode. */
static void ep_down_stay_up(builder *b, int action, rvsim_pose pose, double d_lo, double d_hi,
                            double s_lo, double s_hi)
{
    begin_episode(b, action);
    push(b, RVSIM_ACT_SIT_DOWN, rvsim_rng_range(b->rng, d_lo, d_hi), b->x, b->y, b->hd, pose, 0, 0);
    still(b, rvsim_rng_range(b->rng, s_lo, s_hi));
    stand_up(b);
    end_episode(b);
}

static void ep_lie_bed(builder *b)
{
    /* the bed stands where the first piece of furniture is */
    const rvsim_room *rm = b->room;
    walk_to(b, clampd(rm->furniture[0].x, 0.8, rm->w - 0.8), clampd(rm->furniture[0].y, 0.8, rm->d - 0.8));
    ep_down_stay_up(b, RVSIM_ACTION_LIE_BED, RVSIM_POSE_BED, 1.5, 2.5, 10.0, 40.0);
}

static void ep_jump(builder *b)
{
    begin_episode(b, RVSIM_ACTION_JUMP);
    double f = rvsim_rng_range(b->rng, 1.4, 2.0);
    double n = (double)(2 + rvsim_rng_u64(b->rng) % 5u);
    b->jump_h = rvsim_rng_range(b->rng, 0.15, 0.3);
    push(b, RVSIM_ACT_WALKING, n / f, b->x, b->y, b->hd, RVSIM_POSE_STAND, f, 0);
    end_episode(b);
}

static void script_falls_hard(builder *b, double duration, int with_falls)
{
    rvsim_rng *r = b->rng;
    double x, y;
    place(b, RVSIM_POSE_STAND);
    while (b->t < duration && !b->oom) {
        rand_point(b, &x, &y);
        walk_to(b, x, y);
        still(b, rvsim_rng_range(r, 1.0, 4.0));
        double u = rvsim_rng_uniform(r);
        if (!with_falls)
            u = 0.2 + 0.8 * u;
        if (u < 0.2)
            ep_fall(b, rvsim_rng_uniform(r) < 0.25);
        else if (u < 0.35)
            ep_sit_fast(b);
        else if (u < 0.47)
            ep_lie_bed(b);
        else if (u < 0.59)
            ep_jump(b);
        else if (u < 0.71)
            ep_down_stay_up(b, RVSIM_ACTION_KNEEL, RVSIM_POSE_KNEEL, 1.0, 1.8, 3.0, 10.0);
        else if (u < 0.86)
            ep_down_stay_up(b, RVSIM_ACTION_PICK_UP, RVSIM_POSE_CROUCH, 0.7, 1.2, 0.3, 1.0);
        else if (u < 0.93) {
            sit_down(b);
            still(b, rvsim_rng_range(r, 3.0, 12.0));
            stand_up(b);
        } else {
            empty(b, rvsim_rng_range(r, 5.0, 30.0));
        }
    }
}

/* The second person of falls-hard: out of the room, now and then crossing it. */
static void script_walk_by(builder *b, double duration)
{
    double x, y;
    while (b->t < duration && !b->oom) {
        empty(b, rvsim_rng_range(b->rng, 20.0, 120.0));
        b->action = RVSIM_ACTION_WALK_BY;
        uint64_t n = 1 + rvsim_rng_u64(b->rng) % 3u;
        for (uint64_t i = 0; i < n; i++) {
            rand_point(b, &x, &y);
            walk_to(b, x, y);
        }
        leave_room(b);
        end_episode(b);
    }
}

static void script(builder *b, const char *sc, double duration, uint32_t person)
{
    rvsim_rng *r = b->rng;
    double x, y;
    if (strcmp(sc, "demo") == 0) {
        script_demo(b, duration);
    } else if (strcmp(sc, "empty") == 0) {
        empty(b, duration);
    } else if (strcmp(sc, "breathing") == 0) {
        place(b, RVSIM_POSE_STAND);
        still(b, duration);
    } else if (strcmp(sc, "apnea") == 0) {
        place(b, RVSIM_POSE_STAND);
        while (b->t < duration && !b->oom) {
            still(b, rvsim_rng_range(r, 10.0, 25.0));
            apnea(b, rvsim_rng_range(r, 8.0, 15.0));
        }
    } else if (strcmp(sc, "walking") == 0) {
        place(b, RVSIM_POSE_STAND);
        while (b->t < duration && !b->oom) {
            rand_point(b, &x, &y);
            walk_to(b, x, y);
            if (rvsim_rng_uniform(r) < 0.3)
                still(b, rvsim_rng_range(r, 1.0, 4.0));
        }
    } else if (strcmp(sc, "sit") == 0) {
        place(b, RVSIM_POSE_STAND);
        while (b->t < duration && !b->oom) {
            rand_point(b, &x, &y);
            walk_to(b, x, y);
            still(b, rvsim_rng_range(r, 2.0, 4.0));
            sit_down(b);
            still(b, rvsim_rng_range(r, 5.0, 10.0));
            stand_up(b);
            still(b, rvsim_rng_range(r, 1.0, 3.0));
        }
    } else if (strcmp(sc, "fall") == 0) {
        place(b, RVSIM_POSE_STAND);
        while (b->t < duration && !b->oom) {
            rand_point(b, &x, &y);
            walk_to(b, x, y);
            still(b, rvsim_rng_range(r, 2.0, 4.0));
            fall(b);
            still(b, rvsim_rng_range(r, 6.0, 12.0));
            stand_up(b);
            still(b, rvsim_rng_range(r, 1.0, 3.0));
        }
    } else if (strcmp(sc, "gestures") == 0) {
        place(b, RVSIM_POSE_STAND);
        while (b->t < duration && !b->oom) {
            still(b, rvsim_rng_range(r, 2.0, 4.0));
            gesture(b, rand_gesture(b), rvsim_rng_range(r, 3.0, 6.0));
        }
    } else if (strcmp(sc, "falls-hard") == 0 || strcmp(sc, "hard-negatives") == 0) {
        if (person == 0)
            script_falls_hard(b, duration, strcmp(sc, "falls-hard") == 0);
        else
            script_walk_by(b, duration);
    } else {   /* random, mixed */
        script_random(b, duration);
    }
}

void rvsim_person_free(rvsim_person *p)
{
    free(p->seg);
    memset(p, 0, sizeof(*p));
}

int rvsim_timeline_build(const char *scenario, uint64_t seed, double duration,
                         const rvsim_room *room, rvsim_person *people, uint32_t max_people,
                         uint32_t *n_people, char *err, size_t err_len)
{
    if (!rvsim_scenario_description(scenario)) {
        if (err)
            snprintf(err, err_len, "unknown scenario '%s'", scenario ? scenario : "(null)");
        return -1;
    }
    uint32_t np = strcmp(scenario, "mixed") == 0 || strcmp(scenario, "falls-hard") == 0 ||
                  strcmp(scenario, "hard-negatives") == 0 ? 2u : 1u;
    if (np > max_people)
        np = max_people;
    for (uint32_t i = 0; i < np; i++) {
        rvsim_person *p = &people[i];
        memset(p, 0, sizeof(*p));
        rvsim_rng r;
        rvsim_rng_fork(&r, seed, 100u + i);
        p->breath_hz = rvsim_rng_range(&r, 8.0, 25.0) / 60.0;
        p->breath_amp = rvsim_rng_range(&r, 0.003, 0.006);
        p->heart_hz = rvsim_rng_range(&r, 55.0, 95.0) / 60.0;
        p->heart_amp = rvsim_rng_range(&r, 0.0002, 0.0005);
        p->breath_phase = rvsim_rng_range(&r, 0, 2 * PI);
        p->heart_phase = rvsim_rng_range(&r, 0, 2 * PI);
        builder b = { .p = p, .rng = &r, .room = room, .pose = RVSIM_POSE_OUT };
        script(&b, scenario, duration, i);
        if (b.oom || p->n_seg == 0) {
            for (uint32_t j = 0; j <= i; j++)
                rvsim_person_free(&people[j]);
            if (err)
                snprintf(err, err_len, "out of memory building the timeline");
            return -1;
        }
    }
    *n_people = np;
    return 0;
}
