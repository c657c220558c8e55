/*
 * rvsim_internal.h — shared internals of librvsim (not installed).
 */
#ifndef RVSIM_INTERNAL_H
#define RVSIM_INTERNAL_H

#include <stdint.h>
#include <stddef.h>

#include "rvsim.h"

/* ---- PRNG: xoshiro256** seeded by splitmix64 (own, so runs are
 * reproducible on every libc). ---- */
typedef struct { uint64_t s[4]; } rvsim_rng;

void     rvsim_rng_seed(rvsim_rng *r, uint64_t seed);
uint64_t rvsim_rng_u64(rvsim_rng *r);
double   rvsim_rng_uniform(rvsim_rng *r);                 /* [0, 1) */
double   rvsim_rng_range(rvsim_rng *r, double lo, double hi);
double   rvsim_rng_gauss(rvsim_rng *r);                   /* N(0, 1) */
/* Independent stream derived from a parent seed and a label. */
void     rvsim_rng_fork(rvsim_rng *child, uint64_t seed, uint64_t stream);

typedef struct { double x, y, z; } rvsim_vec3;

/* ---- Bodies and timelines (rvsim_body.c, rvsim_timeline.c) ---- */
typedef enum {
    RVSIM_POSE_OUT = 0, RVSIM_POSE_STAND, RVSIM_POSE_SEAT, RVSIM_POSE_LIE,
    RVSIM_POSE_KNEEL,          /* on both knees, torso upright */
    RVSIM_POSE_CROUCH,         /* bent down to the floor, hands low */
    RVSIM_POSE_BED,            /* lying on a bed or sofa, 0.45 m up */
    RVSIM_N_POSES
} rvsim_pose;

typedef struct {
    int        act;            /* rvsim_activity */
    double     t0, t1;
    double     x0, y0, hd0;    /* ground point and heading at t0 */
    double     x1, y1, hd1;    /* at t1 */
    rvsim_pose pose0, pose1;
    double     freq;           /* gesture frequency (Hz) */
    double     speed;          /* walking speed (m/s) */
    int        action;         /* rvsim_action: the scripted episode, 0 if none */
    double     jump_h;         /* action jump: height of each jump (m) */
} rvsim_tseg;

#define RVSIM_BODY_POINTS 10

typedef struct {
    rvsim_tseg *seg;
    size_t      n_seg, cap_seg;
    double      breath_hz;     /* fixed per person per session */
    double      breath_amp;    /* chest displacement amplitude (m) */
    double      heart_hz;
    double      heart_amp;     /* m */
    double      breath_phase, heart_phase;
} rvsim_person;

typedef struct {
    double w, d, h;            /* room size (m) */
    rvsim_vec3 ap;
    rvsim_vec3 door;           /* where people enter/leave (z = 0) */
    rvsim_vec3 furniture[8];
    double     furniture_rcs[8];
    uint32_t   n_furniture;
    double     wall_gamma, floor_gamma, ceil_gamma;
} rvsim_room;

/* Evaluate a person's scatterers at time t; returns the count (0 when out
 * of the room). pts/rcs hold RVSIM_BODY_POINTS entries. torso receives the
 * ground point and torso height range for LOS shadowing. */
uint32_t rvsim_body_points(const rvsim_person *p, double t, rvsim_vec3 *pts, double *rcs,
                           rvsim_vec3 *torso_base, double *torso_top);
const rvsim_tseg *rvsim_person_seg_at(const rvsim_person *p, double t);

/* Timeline generation for a scenario; fills people[0..*n_people). */
int rvsim_timeline_build(const char *scenario, uint64_t seed, double duration,
                         const rvsim_room *room, rvsim_person *people, uint32_t max_people,
                         uint32_t *n_people, char *err, size_t err_len);
void rvsim_person_free(rvsim_person *p);
void rvsim_room_build(rvsim_room *room, const char *scenario, uint64_t seed);

/* Activity priority for the room label (higher wins). */
int rvsim_activity_priority(int act);

#endif
