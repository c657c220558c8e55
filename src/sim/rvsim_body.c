/*
 * rvsim_body.c — a person as RVSIM_BODY_POINTS point scatterers posed by the
 * activity segment active at time t (closed form in t, no integration, so
 * any time can be evaluated independently and deterministically).
 */
#include <math.h>

#include "rvsim_internal.h"

#define TWO_PI 6.283185307179586
#define PI_F   3.141592653589793
#define GESTURE_RCS_HAND  0.12   /* m^2, gesturing arm: hand + forearm */
#define GESTURE_RCS_ELBOW 0.08   /* m^2, gesturing arm: upper arm */

/* Body-local keypoints (forward, left, up) in metres per posture; order:
 * chest, abdomen, back, head, r_hand, l_hand, r_elbow, l_elbow, r_knee, l_knee. */
static const double pose_pts[RVSIM_N_POSES][RVSIM_BODY_POINTS][3] = {
    [RVSIM_POSE_OUT] = { { 0 } },
    [RVSIM_POSE_STAND] = {
        { 0.12, 0, 1.30 }, { 0.10, 0, 1.05 }, { -0.12, 0, 1.25 }, { 0.02, 0, 1.65 },
        { 0, -0.25, 0.85 }, { 0, 0.25, 0.85 }, { -0.02, -0.22, 1.10 }, { -0.02, 0.22, 1.10 },
        { 0.03, -0.10, 0.50 }, { 0.03, 0.10, 0.50 } },
    [RVSIM_POSE_SEAT] = {
        { 0.12, 0, 1.00 }, { 0.12, 0, 0.75 }, { -0.12, 0, 0.95 }, { 0.02, 0, 1.35 },
        { 0.30, -0.18, 0.65 }, { 0.30, 0.18, 0.65 }, { 0.05, -0.22, 0.80 }, { 0.05, 0.22, 0.80 },
        { 0.45, -0.10, 0.50 }, { 0.45, 0.10, 0.50 } },
    [RVSIM_POSE_LIE] = {
        { 0.25, 0, 0.22 }, { 0.0, 0, 0.20 }, { 0.25, 0, 0.05 }, { 0.65, 0, 0.12 },
        { 0.10, -0.35, 0.08 }, { 0.10, 0.35, 0.08 }, { 0.30, -0.30, 0.08 }, { 0.30, 0.30, 0.08 },
        { -0.45, -0.10, 0.10 }, { -0.45, 0.10, 0.10 } },
    [RVSIM_POSE_KNEEL] = {
        { 0.10, 0, 0.98 }, { 0.08, 0, 0.75 }, { -0.12, 0, 0.93 }, { 0.02, 0, 1.30 },
        { 0.05, -0.25, 0.55 }, { 0.05, 0.25, 0.55 }, { -0.02, -0.22, 0.78 }, { -0.02, 0.22, 0.78 },
        { 0.05, -0.10, 0.06 }, { 0.05, 0.10, 0.06 } },
    [RVSIM_POSE_CROUCH] = {
        { 0.35, 0, 0.85 }, { 0.20, 0, 0.78 }, { 0.12, 0, 0.98 }, { 0.55, 0, 0.85 },
        { 0.50, -0.15, 0.10 }, { 0.50, 0.15, 0.10 }, { 0.40, -0.20, 0.45 }, { 0.40, 0.20, 0.45 },
        { 0.25, -0.10, 0.45 }, { 0.25, 0.10, 0.45 } },
    [RVSIM_POSE_BED] = {   /* RVSIM_POSE_LIE on a 0.45 m high mattress */
        { 0.25, 0, 0.67 }, { 0.0, 0, 0.65 }, { 0.25, 0, 0.50 }, { 0.65, 0, 0.57 },
        { 0.10, -0.35, 0.53 }, { 0.10, 0.35, 0.53 }, { 0.30, -0.30, 0.53 }, { 0.30, 0.30, 0.53 },
        { -0.45, -0.10, 0.55 }, { -0.45, 0.10, 0.55 } },
};
/* Radar cross sections (m^2) at 2.4 GHz, rough per body part. */
static const double body_rcs[RVSIM_BODY_POINTS] = {
    0.60, 0.40, 0.30, 0.08, 0.03, 0.03, 0.03, 0.03, 0.06, 0.06
};
/* Breathing moves the chest wall forward (upright) or up (lying), local frame. */
static const double breath_dir[RVSIM_N_POSES][3] = {
    { 0, 0, 0 }, { 1, 0, 0 }, { 1, 0, 0 }, { 0, 0, 1 }, { 1, 0, 0 }, { 0.7, 0, -0.7 }, { 0, 0, 1 }
};
static const double torso_top_h[RVSIM_N_POSES] = { 0, 1.75, 1.35, 0.30, 1.35, 1.00, 0.75 };

static double smoothstep(double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    return x * x * (3 - 2 * x);
}

const rvsim_tseg *rvsim_person_seg_at(const rvsim_person *p, double t)
{
    if (p->n_seg == 0)
        return NULL;
    size_t lo = 0, hi = p->n_seg;   /* last segment with t0 <= t */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (p->seg[mid].t0 <= t)
            lo = mid;
        else
            hi = mid;
    }
    return &p->seg[lo];
}

static rvsim_vec3 to_world(double gx, double gy, double hd, const double *loc)
{
    double c = cos(hd), s = sin(hd);
    rvsim_vec3 w = { gx + c * loc[0] - s * loc[1], gy + s * loc[0] + c * loc[1], loc[2] };
    return w;
}

static rvsim_vec3 lerp3(rvsim_vec3 a, rvsim_vec3 b, double s)
{
    rvsim_vec3 r = { a.x + (b.x - a.x) * s, a.y + (b.y - a.y) * s, a.z + (b.z - a.z) * s };
    return r;
}

static rvsim_vec3 add3(rvsim_vec3 a, rvsim_vec3 b, double k)
{
    rvsim_vec3 r = { a.x + b.x * k, a.y + b.y * k, a.z + b.z * k };
    return r;
}

/* Progress through a transition segment. */
static double transition_progress(const rvsim_tseg *g, double t)
{
    double u = (t - g->t0) / (g->t1 - g->t0);
    if (u < 0)
        u = 0;
    if (u > 1)
        u = 1;
    if (g->act == RVSIM_ACT_FALL || g->action == RVSIM_ACTION_SIT_FAST)
        return u * u;                      /* accelerating, like a topple */
    return smoothstep(u);
}

/* Breathing envelope: 0 in apnea (with 0.7 s ramps), 1 otherwise. */
static double breath_env(const rvsim_tseg *g, double t)
{
    if (g->act != RVSIM_ACT_APNEA)
        return 1.0;
    double a = (t - g->t0) / 0.7, b = (g->t1 - t) / 0.7;
    double m = a < b ? a : b;
    return 1.0 - smoothstep(m);
}

uint32_t rvsim_body_points(const rvsim_person *p, double t, rvsim_vec3 *pts, double *rcs,
                           rvsim_vec3 *torso_base, double *torso_top)
{
    const rvsim_tseg *g = rvsim_person_seg_at(p, t);
    if (!g || g->act == RVSIM_ACT_EMPTY || g->pose0 == RVSIM_POSE_OUT)
        return 0;

    double s = 0.0;
    if (g->act == RVSIM_ACT_SIT_DOWN || g->act == RVSIM_ACT_STAND_UP || g->act == RVSIM_ACT_FALL)
        s = transition_progress(g, t);
    double gx, gy, hd0 = g->hd0, hd1 = g->hd1;
    if (g->act == RVSIM_ACT_WALKING) {
        double u = (t - g->t0) / (g->t1 - g->t0);
        u = u < 0 ? 0 : (u > 1 ? 1 : u);
        gx = g->x0 + (g->x1 - g->x0) * u;
        gy = g->y0 + (g->y1 - g->y0) * u;
        /* turn from the previous heading by the shorter way over <= 0.5 s */
        double turn = g->t1 - g->t0 < 1.0 ? 0.5 * (g->t1 - g->t0) : 0.5;
        double dh = remainder(g->hd1 - g->hd0, TWO_PI);
        hd0 = hd1 = g->hd0 + dh * smoothstep((t - g->t0) / turn);
    } else {
        gx = g->x0;
        gy = g->y0;
    }

    /* Breathing and heartbeat chest displacement (m). */
    double env = breath_env(g, t);
    double bph = TWO_PI * p->breath_hz * t + p->breath_phase;
    double disp = env * p->breath_amp * (sin(bph) + 0.2 * sin(2 * bph + 0.7))
                + p->heart_amp * sin(TWO_PI * p->heart_hz * t + p->heart_phase);

    rvsim_vec3 bdir0 = to_world(0, 0, hd0, breath_dir[g->pose0]);
    rvsim_vec3 bdir1 = to_world(0, 0, hd1, breath_dir[g->pose1]);
    rvsim_vec3 bdir = lerp3(bdir0, bdir1, s);

    for (uint32_t i = 0; i < RVSIM_BODY_POINTS; i++) {
        rvsim_vec3 a = to_world(g->x0, g->y0, hd0, pose_pts[g->pose0][i]);
        rvsim_vec3 b = to_world(g->x1, g->y1, hd1, pose_pts[g->pose1][i]);
        if (g->act == RVSIM_ACT_WALKING) {
            a = to_world(gx, gy, hd0, pose_pts[RVSIM_POSE_STAND][i]);
            b = a;
        }
        pts[i] = lerp3(a, b, s);
        rcs[i] = body_rcs[i];
    }
    pts[0] = add3(pts[0], bdir, disp);
    pts[1] = add3(pts[1], bdir, 0.6 * disp);
    pts[2] = add3(pts[2], bdir, -0.2 * disp);

    double c = cos(hd0), sn = sin(hd0);
    rvsim_vec3 fwd = { c, sn, 0 }, left = { -sn, c, 0 }, up = { 0, 0, 1 };

    if (g->act == RVSIM_ACT_WALKING) {
        /* Gait: cycle (two steps) at speed / 1.3 m; limbs swing in
         * antiphase, torso bobs twice per cycle. Ramped in and out. */
        double tt = t - g->t0, rem = g->t1 - t;
        double ramp = smoothstep((tt < rem ? tt : rem) / 0.3);
        double ph = TWO_PI * (g->speed / 1.3) * tt;
        double sw = sin(ph) * ramp;
        pts[8] = add3(pts[8], fwd, 0.25 * sw);
        pts[9] = add3(pts[9], fwd, -0.25 * sw);
        pts[4] = add3(pts[4], fwd, -0.20 * sw);
        pts[5] = add3(pts[5], fwd, 0.20 * sw);
        pts[6] = add3(pts[6], fwd, -0.08 * sw);
        pts[7] = add3(pts[7], fwd, 0.08 * sw);
        double bob = 0.02 * sin(2 * ph) * ramp;
        for (int i = 0; i < 4; i++)
            pts[i] = add3(pts[i], up, bob);
        if (g->action == RVSIM_ACTION_JUMP) {
            /* Jumps at g->freq: airborne for the first 60 % of each cycle
             * (parabola), then a landing crouch that bends the knees. */
            double cyc = fmod(tt * g->freq, 1.0);
            double lift = cyc < 0.6 ? g->jump_h * 4.0 * (cyc / 0.6) * (1.0 - cyc / 0.6)
                                    : -0.12 * sin(PI_F * (cyc - 0.6) / 0.4);
            for (uint32_t i = 0; i < RVSIM_BODY_POINTS; i++)
                pts[i] = add3(pts[i], up, i >= 8 ? 0.5 * lift : lift);
            for (int i = 4; i < 6; i++)
                pts[i] = add3(pts[i], up, 0.1 * sin(TWO_PI * cyc));
        }
    } else if (g->act == RVSIM_ACT_WAVE || g->act == RVSIM_ACT_PUSH_PULL ||
               g->act == RVSIM_ACT_CIRCLE) {
        double tt = t - g->t0, rem = g->t1 - t;
        double r = smoothstep((tt < rem ? tt : rem) / 0.4);
        double ph = TWO_PI * g->freq * tt;
        rvsim_vec3 shoulder = add3(add3(pts[0], left, -0.20), up, 0.15);
        rvsim_vec3 hand;
        if (g->act == RVSIM_ACT_WAVE) {
            hand = add3(add3(add3(shoulder, up, 0.35), fwd, 0.10), left, -0.10 - 0.25 * sin(ph));
        } else if (g->act == RVSIM_ACT_PUSH_PULL) {
            hand = add3(add3(shoulder, fwd, 0.38 + 0.25 * sin(ph)), up, -0.05);
        } else {
            hand = add3(add3(add3(shoulder, fwd, 0.40), left, -0.25 * cos(ph)), up, 0.25 * sin(ph));
        }
        rvsim_vec3 elbow = add3(lerp3(shoulder, hand, 0.5), up, -0.08);
        pts[4] = lerp3(pts[4], hand, r);
        pts[6] = lerp3(pts[6], elbow, r);
        /* A raised arm shows its length to the link: hand point = hand +
         * forearm, elbow point = upper arm (cylinder ~0.3 m x 0.08 m,
         * broadside RCS ~0.1-0.2 m^2 at 2.4 GHz; taken at the low end). */
        rcs[4] = body_rcs[4] + (GESTURE_RCS_HAND - body_rcs[4]) * r;
        rcs[6] = body_rcs[6] + (GESTURE_RCS_ELBOW - body_rcs[6]) * r;
    }

    if (torso_base) {
        torso_base->x = pts[1].x;
        torso_base->y = pts[1].y;
        torso_base->z = 0;
    }
    if (torso_top)
        *torso_top = torso_top_h[g->pose0] + (torso_top_h[g->pose1] - torso_top_h[g->pose0]) * s;
    return RVSIM_BODY_POINTS;
}
