/*
 * rvsim_session.c — nodes, channel synthesis and the packet stream.
 *
 * Channel: H(f_k) = sum_p a_p exp(-j 2 pi f_k tau_p) over the line of sight
 * (attenuated when a body stands in it), first-order image sources of the
 * six room surfaces, furniture point scatterers and every body point
 * (bistatic radar equation). Then the receiver: a fixed per-node frequency
 * ripple, thermal + EVM noise, a random per-packet phase offset and STO
 * slope, AGC to the int8 range, and quantisation. See docs/simulator.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rv_wire.h"
#include "rvsim_internal.h"
#include "rvsim_receiver.h"

#define PI          3.141592653589793
#define TWO_PI      6.283185307179586
#define C_LIGHT     299792458.0
#define FC_HZ       2437e6           /* channel 6 */
#define DF_HZ       312.5e3
#define KMAX        28               /* HT-LTF uses |k| <= 28, LLTF |k| <= 26 */
#define KEXT        RVSIM_RX_KEXT    /* synthesised: -32..32 (calibrated chips fill up to 31) */
#define NK          RVSIM_RX_NK
#define KI(k)       ((k) + KEXT)     /* array index of tone k */
#define PTX_DBM     5.0              /* effective EIRP incl. antenna losses */
#define NOISE_DBM   (-95.0)
#define EVM_DB      (-33.0)          /* receiver impairment floor */
#define AGC_TARGET  100.0
#define MAX_PEOPLE  4
#define PKT_CAP     512
#define QUEUE_CAP   8
#define REBOOT_DOWN_S 2.0
#define FS_PERIOD   0.2
#define VITALS_PERIOD 1.0

typedef struct {
    double   t;
    uint8_t  node;
    uint32_t magic, flags;
    double   t_meas;               /* when the frame measured the room */
    int      label, action;
    uint32_t people;
    double   breath;
    size_t   len;
    uint8_t  buf[PKT_CAP];
} qpkt;

typedef struct {
    rvsim_vec3 pos;
    rvsim_vec3 img[6];                    /* node mirrored in each room surface */
    double   los_re[NK], los_im[NK];      /* line of sight */
    double   stat_re[NK], stat_im[NK];    /* static multipath without LOS */
    double   rip_re[NK], rip_im[NK];      /* receiver frequency response */
    double   sto_const;                   /* node's fixed timing offset (s) */
    rvsim_rng noise_rng, time_rng, imp_rng, fs_rng;
    uint32_t seq;
    uint16_t fs_seq;
    uint64_t csi_k, fs_k, vit_k;
    double   t_off, fs_off, vit_off;
    double   next_csi, next_fs, next_vit;
    int8_t   last_rssi;
    int      rebooted;
    int64_t  boot;                        /* crash-loop boot index */
    int      has_held;
    qpkt     held;
    double   latency;                     /* node_skew_ms: fixed arrival offset (s) */
    double   jit_csi, jit_fs, jit_vit;    /* node_jitter_ms: delay of the next event (s) */
    rvsim_rng lat_rng;                    /* only drawn from when skew/jitter are on */
    rvsim_rx rx;                          /* calibrated receiver (cfg.receiver) */
} node_state;

struct rvsim_session {
    rvsim_config cfg;
    char         scenario[32];
    rvsim_room   room;
    rvsim_vec3   ap_img[6];              /* AP mirrored in each room surface */
    double       gamma[6];               /* reflection coefficient per surface */
    rvsim_person people[MAX_PEOPLE];
    uint32_t     n_people;
    node_state  *nodes;
    rvsim_segment *segs;
    size_t       n_segs;
    qpkt         queue[QUEUE_CAP];
    size_t       q_head, q_len;
    qpkt         cur;
    double       last_t;
    int          flushed;
};

static const char *const act_names[RVSIM_N_ACTIVITIES] = {
    "empty", "still", "walking", "sit_down", "stand_up", "fall", "lying",
    "wave", "push_pull", "circle", "apnea"
};

const char *rvsim_activity_name(int act)
{
    return (act >= 0 && act < RVSIM_N_ACTIVITIES) ? act_names[act] : NULL;
}

static const char *const action_names[RVSIM_N_ACTIONS] = {
    "", "fall", "fall_recover", "sit_fast", "lie_bed", "jump", "kneel", "pick_up", "walk_by"
};

const char *rvsim_action_name(int action)
{
    return (action >= 0 && action < RVSIM_N_ACTIONS) ? action_names[action] : NULL;
}

int rvsim_action_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < RVSIM_N_ACTIONS; i++)
        if (strcmp(action_names[i], name) == 0)
            return i;
    return -1;
}

int rvsim_activity_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < RVSIM_N_ACTIVITIES; i++)
        if (strcmp(act_names[i], name) == 0)
            return i;
    return -1;
}

void rvsim_config_default(rvsim_config *c)
{
    memset(c, 0, sizeof(*c));
    c->n_nodes = 1;
    c->rate_hz = 100.0;
    c->duration_s = 60.0;
    c->seed = 1;
    c->scenario = "demo";
    c->reboot_at_s = -1.0;
    c->reboot_node = 1;
    c->crash_loop_node = 1;
    c->n_subcarriers = 64;
}

static double dist3(rvsim_vec3 a, rvsim_vec3 b)
{
    double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
    return sqrt(dx * dx + dy * dy + dz * dz);
}

/* Add a * exp(-j 2 pi f_k tau) for k = -KEXT..KEXT by rotation recurrence,
 * started at -KMAX and run outwards both ways, so |k| <= KMAX get exactly
 * the values they had before the outer tones were added. */
static void add_path(double *re, double *im, double a, double tau)
{
    double th = -TWO_PI * (FC_HZ - KMAX * DF_HZ) * tau;
    double st = -TWO_PI * DF_HZ * tau;
    double cr = a * cos(th), ci = a * sin(th);
    double sr = cos(st), si = sin(st);
    double br = cr, bi = ci;
    for (int k = -KMAX; k <= KEXT; k++) {
        re[KI(k)] += cr;
        im[KI(k)] += ci;
        double nr = cr * sr - ci * si;
        ci = cr * si + ci * sr;
        cr = nr;
    }
    for (int k = -KMAX - 1; k >= -KEXT; k--) {
        double nr = br * sr + bi * si;
        bi = bi * sr - br * si;
        br = nr;
        re[KI(k)] += br;
        im[KI(k)] += bi;
    }
}

static double lambda(void)
{
    return C_LIGHT / FC_HZ;
}

/* Bistatic point scatterer: a = lambda sqrt(rcs) / ((4 pi)^1.5 d1 d2). */
static void add_scatterer_g(double *re, double *im, rvsim_vec3 tx, rvsim_vec3 p, rvsim_vec3 rx,
                            double rcs, double gain)
{
    double d1 = dist3(tx, p), d2 = dist3(p, rx);
    if (d1 < 0.05)
        d1 = 0.05;
    if (d2 < 0.05)
        d2 = 0.05;
    double a = -gain * lambda() * sqrt(rcs) / (pow(4 * PI, 1.5) * d1 * d2);
    add_path(re, im, a, (d1 + d2) / C_LIGHT);
}

static void add_scatterer(double *re, double *im, rvsim_vec3 tx, rvsim_vec3 p, rvsim_vec3 rx,
                          double rcs)
{
    add_scatterer_g(re, im, tx, p, rx, rcs, 1.0);
}

/* p mirrored in walls x=0, x=w, y=0, y=d, the floor and the ceiling. */
static void mirror_all(const rvsim_room *rm, rvsim_vec3 p, rvsim_vec3 *out)
{
    out[0] = (rvsim_vec3){ -p.x, p.y, p.z };
    out[1] = (rvsim_vec3){ 2 * rm->w - p.x, p.y, p.z };
    out[2] = (rvsim_vec3){ p.x, -p.y, p.z };
    out[3] = (rvsim_vec3){ p.x, 2 * rm->d - p.y, p.z };
    out[4] = (rvsim_vec3){ p.x, p.y, -p.z };
    out[5] = (rvsim_vec3){ p.x, p.y, 2 * rm->h - p.z };
}

static void build_node_static(rvsim_session *s, node_state *n)
{
    const rvsim_room *rm = &s->room;
    rvsim_vec3 ap = rm->ap, rx = n->pos;
    memset(n->los_re, 0, sizeof(n->los_re));
    memset(n->los_im, 0, sizeof(n->los_im));
    memset(n->stat_re, 0, sizeof(n->stat_re));
    memset(n->stat_im, 0, sizeof(n->stat_im));
    double d = dist3(ap, rx);
    add_path(n->los_re, n->los_im, lambda() / (4 * PI * d), d / C_LIGHT);
    /* First-order image sources: the AP mirrored in each surface. */
    for (int i = 0; i < 6; i++) {
        double di = dist3(s->ap_img[i], rx);
        add_path(n->stat_re, n->stat_im, -s->gamma[i] * lambda() / (4 * PI * di), di / C_LIGHT);
    }
    mirror_all(rm, rx, n->img);
    for (uint32_t i = 0; i < rm->n_furniture; i++)
        add_scatterer(n->stat_re, n->stat_im, ap, rm->furniture[i], rx, rm->furniture_rcs[i]);
    /* Receiver ripple: +-1 dB-ish gain and a little phase curvature, fixed per node. */
    rvsim_rng r;
    rvsim_rng_fork(&r, s->cfg.seed, 1000u + (uint64_t)(n - s->nodes));
    double g1 = rvsim_rng_range(&r, 0.04, 0.12), p1 = rvsim_rng_range(&r, 0, TWO_PI);
    double w1 = rvsim_rng_range(&r, 0.08, 0.2), q1 = rvsim_rng_range(&r, -0.002, 0.002);
    for (int k = 0; k < NK; k++) {
        double kk = k - KEXT;
        double g = 1.0 + g1 * sin(w1 * kk + p1);
        double ph = q1 * kk * kk;
        n->rip_re[k] = g * cos(ph);
        n->rip_im[k] = g * sin(ph);
    }
    n->sto_const = rvsim_rng_range(&r, -20e-9, 20e-9);
}

/* The point at distance u along the walls (0.15 m inside them), counted
 * from the corner (0.15, 0.15) along y = 0.15 first. */
static rvsim_vec3 perimeter_point(const rvsim_room *rm, double u)
{
    double w = rm->w - 0.3, d = rm->d - 0.3;
    rvsim_vec3 p = { 0, 0, 0 };
    if (u < w) {
        p.x = 0.15 + u; p.y = 0.15;
    } else if (u < w + d) {
        p.x = 0.15 + w; p.y = 0.15 + (u - w);
    } else if (u < 2 * w + d) {
        p.x = 0.15 + w - (u - w - d); p.y = 0.15 + d;
    } else {
        p.x = 0.15; p.y = 0.15 + d - (u - 2 * w - d);
    }
    return p;
}

static double perimeter_length(const rvsim_room *rm)
{
    return 2 * ((rm->w - 0.3) + (rm->d - 0.3));
}

/* Place node i (0-based) on the room perimeter, 0.15 m inside the walls,
 * starting opposite the AP and going round. */
static rvsim_vec3 node_position(const rvsim_room *rm, uint32_t i, uint32_t n, rvsim_rng *r)
{
    double w = rm->w - 0.3, d = rm->d - 0.3, per = perimeter_length(rm);
    double u = fmod(w + d * 0.5 + (i + 0.5) * per / n - per / (2.0 * n) + per, per);
    rvsim_vec3 p = perimeter_point(rm, u);
    p.z = rvsim_rng_range(r, 0.9, 1.5);
    return p;
}

/* Random placement: a point anywhere on the walls, 0.3-2.0 m high, at
 * least 0.8 m from the AP and 0.5 m from earlier nodes (32 tries, then the
 * last draw stands). Own stream: perimeter sessions never draw from it. */
static rvsim_vec3 node_position_random(const rvsim_room *rm, const node_state *placed,
                                       uint32_t n_placed, rvsim_rng *r)
{
    rvsim_vec3 p = { 0, 0, 0 };
    for (int tries = 0; tries < 32; tries++) {
        p = perimeter_point(rm, rvsim_rng_range(r, 0, perimeter_length(rm)));
        p.z = rvsim_rng_range(r, 0.3, 2.0);
        int ok = dist3(p, rm->ap) >= 0.8;
        for (uint32_t i = 0; ok && i < n_placed; i++)
            ok = dist3(p, placed[i].pos) >= 0.5;
        if (ok)
            break;
    }
    return p;
}

static int dominant_at_act(const rvsim_session *s, double t, double *breath, int *action)
{
    int best = RVSIM_ACT_EMPTY, bp = -1, bact = RVSIM_ACTION_NONE;
    double br = 0;
    for (uint32_t i = 0; i < s->n_people; i++) {
        const rvsim_tseg *g = rvsim_person_seg_at(&s->people[i], t);
        int a = g ? g->act : RVSIM_ACT_EMPTY;
        int p = rvsim_activity_priority(a);
        if (p > bp) {
            bp = p;
            best = a;
            bact = g ? g->action : RVSIM_ACTION_NONE;
            br = (a == RVSIM_ACT_EMPTY || a == RVSIM_ACT_APNEA) ? 0 : s->people[i].breath_hz * 60;
        }
    }
    if (breath)
        *breath = br;
    if (action)
        *action = bact;
    return best;
}

static int dominant_at(const rvsim_session *s, double t, double *breath)
{
    return dominant_at_act(s, t, breath, NULL);
}

int rvsim_session_label_at(const rvsim_session *s, double t)
{
    return dominant_at(s, t, NULL);
}

static uint32_t people_present(const rvsim_session *s, double t);

void rvsim_session_room_at(const rvsim_session *s, double t, rvsim_room_truth *out)
{
    out->activity = dominant_at_act(s, t, NULL, &out->action);
    out->people = people_present(s, t);
}

int rvsim_session_node(const rvsim_session *s, uint32_t node, double xyz[3], double *latency_s)
{
    if (!s || node < 1 || node > s->cfg.n_nodes)
        return -1;
    const node_state *n = &s->nodes[node - 1];
    if (xyz) {
        xyz[0] = n->pos.x;
        xyz[1] = n->pos.y;
        xyz[2] = n->pos.z;
    }
    if (latency_s)
        *latency_s = n->latency;
    return 0;
}

/* ---- channel synthesis for one frame ---- */
static void synth_channel(rvsim_session *s, node_state *n, double t, double *re, double *im)
{
    const rvsim_room *rm = &s->room;
    double shadow = 1.0;
    memcpy(re, n->stat_re, sizeof(n->stat_re));
    memcpy(im, n->stat_im, sizeof(n->stat_im));
    for (uint32_t pi = 0; pi < s->n_people; pi++) {
        rvsim_vec3 pts[RVSIM_BODY_POINTS], base;
        double rcs[RVSIM_BODY_POINTS], top = 0;
        uint32_t np = rvsim_body_points(&s->people[pi], t, pts, rcs, &base, &top);
        for (uint32_t j = 0; j < np; j++) {
            add_scatterer(re, im, rm->ap, pts[j], n->pos, rcs[j]);
            /* second order: a wall between AP and body, or body and node */
            for (int w = 0; w < 6; w++) {
                add_scatterer_g(re, im, s->ap_img[w], pts[j], n->pos, rcs[j], -s->gamma[w]);
                add_scatterer_g(re, im, rm->ap, pts[j], n->img[w], rcs[j], -s->gamma[w]);
            }
        }
        if (np) {
            /* Body in the line of sight: up to -8 dB, Gaussian in the
             * horizontal distance of the torso from the AP-node segment. */
            double ex = n->pos.x - rm->ap.x, ey = n->pos.y - rm->ap.y;
            double l2 = ex * ex + ey * ey;
            double u = l2 > 0 ? ((base.x - rm->ap.x) * ex + (base.y - rm->ap.y) * ey) / l2 : -1;
            if (u > 0 && u < 1) {
                double px = rm->ap.x + u * ex - base.x, py = rm->ap.y + u * ey - base.y;
                double dp2 = px * px + py * py;
                double zl = rm->ap.z + u * (n->pos.z - rm->ap.z);
                if (zl < top)
                    shadow *= 1.0 - 0.6 * exp(-dp2 / (0.25 * 0.25));
            }
        }
    }
    for (int k = 0; k < NK; k++) {
        double hr = re[k] + shadow * n->los_re[k], hi = im[k] + shadow * n->los_im[k];
        re[k] = hr * n->rip_re[k] - hi * n->rip_im[k];
        im[k] = hr * n->rip_im[k] + hi * n->rip_re[k];
    }
}

static int valid_k(int k, int lltf)
{
    int ak = k < 0 ? -k : k;
    return ak >= 1 && ak <= (lltf ? 26 : KMAX);
}

static int8_t clamp_i8(double v)
{
    long r = lround(v);
    return (int8_t)(r > 127 ? 127 : (r < -127 ? -127 : r));
}

/* Tone k of field fld carries signal: LLTF |k| <= 26 (the calibrated
 * receiver: its chip's tones), HT-LTF |k| <= 28. */
static int field_valid(const rvsim_session *s, const node_state *n, int k, int fld)
{
    if (fld == 0 && s->cfg.receiver == RVSIM_RX_CALIBRATED)
        return rvsim_rx_lltf_valid(&n->rx, k);
    return valid_k(k, fld == 0);
}

/* Receiver: noise, random phase offset + STO slope, AGC, int8 (imag, real)
 * pairs in ESP buffer order. Returns the frame length in bytes. */
/* Raw CSI header frequency at t: channel 6, or the hop sequence 1, 6, 11. */
static uint32_t channel_mhz(const rvsim_session *s, double t)
{
    static const uint32_t hop[3] = {2412, 2437, 2462};
    if (!(s->cfg.channel_hop_s > 0))
        return 2437;
    return hop[(uint64_t)floor(t / s->cfg.channel_hop_s) % 3u];
}

static size_t make_csi(rvsim_session *s, node_state *n, double t, uint8_t *out)
{
    const bool cal = s->cfg.receiver == RVSIM_RX_CALIBRATED;
    double re[NK], im[NK];
    synth_channel(s, n, t, re, im);
    double pm = 0;
    int cnt = 0;
    for (int k = -26; k <= 26; k++)
        if (valid_k(k, 1)) {
            pm += re[KI(k)] * re[KI(k)] + im[KI(k)] * im[KI(k)];
            cnt++;
        }
    pm /= cnt;
    double prx_dbm = PTX_DBM + 10 * log10(pm);
    double snr_th = pow(10, (prx_dbm - NOISE_DBM) / 10);
    double evm_db = cal ? n->rx.evm_db : EVM_DB;
    double sigma = sqrt(pm * (1.0 / snr_th + pow(10, evm_db / 10)) / 2);
    rvsim_rng *r = &n->noise_rng;
    double ph0 = rvsim_rng_range(r, 0, TWO_PI);
    double sto = n->sto_const + rvsim_rng_range(r, -50e-9, 50e-9);
    double slope = -TWO_PI * DF_HZ * sto;
    if (s->cfg.ideal_receiver)     /* draws above kept: same stream otherwise */
        sigma = ph0 = slope = 0;

    /* noisy, rotated channel for the three training fields we may emit */
    const int nfields = s->cfg.n_subcarriers == 192 ? 3 : 1;
    double fr[3][NK], fi[3][NK];
    double peak = 1e-30;
    for (int fld = 0; fld < nfields; fld++)
        for (int k = -KEXT; k <= KEXT; k++) {
            int idx = KI(k);
            if (!field_valid(s, n, k, fld)) {
                fr[fld][idx] = fi[fld][idx] = 0;
                continue;
            }
            double a = ph0 + slope * k;
            if (cal && !s->cfg.ideal_receiver)
                a += rvsim_rx_phase_jitter(&n->rx);
            double c = cos(a), sn = sin(a);
            double nr = cal ? rvsim_rx_noise(&n->rx, r, fld, idx, false) : rvsim_rng_gauss(r);
            double ni = cal ? rvsim_rx_noise(&n->rx, r, fld, idx, true) : rvsim_rng_gauss(r);
            double xr = re[idx] + sigma * nr;
            double xi = im[idx] + sigma * ni;
            fr[fld][idx] = xr * c - xi * sn;
            fi[fld][idx] = xr * sn + xi * c;
            double m = fabs(fr[fld][idx]) > fabs(fi[fld][idx]) ? fabs(fr[fld][idx]) : fabs(fi[fld][idx]);
            if (m > peak)
                peak = m;
        }
    if (cal && n->rx.nulls->dc_fill) {     /* ESP32: DC interpolated from +-1 */
        fr[0][KI(0)] = 0.5 * (fr[0][KI(-1)] + fr[0][KI(1)]);
        fi[0][KI(0)] = 0.5 * (fi[0][KI(-1)] + fi[0][KI(1)]);
    }
    /* AGC in 1.5 dB steps, peak lands in (84, 100]; the calibrated receiver
     * locks, hunts or glitches per node (rvsim_receiver.c). */
    double gain = cal ? rvsim_rx_gain(&n->rx, peak, AGC_TARGET)
                      : pow(2.0, floor(log2(AGC_TARGET / peak) * 4.0) / 4.0);

    int8_t iq[2 * 192];
    memset(iq, 0, sizeof(iq));
    for (int fld = 0; fld < nfields; fld++)
        for (int k = -32; k < 32; k++) {
            int bi = fld * 64 + (k >= 0 ? k : k + 64);   /* ESP order 0..31, -32..-1 */
            iq[2 * bi] = clamp_i8(gain * fi[fld][KI(k)]);       /* imag first */
            iq[2 * bi + 1] = clamp_i8(gain * fr[fld][KI(k)]);
        }
    double rssi = prx_dbm + 0.7 * rvsim_rng_gauss(r) + (cal ? n->rx.rssi_db : 0.0);
    rssi = rssi > -1 ? -1 : (rssi < -127 ? -127 : rssi);
    n->last_rssi = (int8_t)lround(rssi);

    rv_csi_frame f;
    memset(&f, 0, sizeof(f));
    f.node_id = (uint8_t)(n - s->nodes + 1);
    f.n_antennas = 1;
    f.n_subcarriers = (uint16_t)(nfields * 64);
    f.freq_mhz = channel_mhz(s, t);
    f.seq = n->seq;
    f.rssi = n->last_rssi;
    f.noise_floor = (int8_t)lround(NOISE_DBM + 0.6 * rvsim_rng_gauss(r) +
                                   (cal ? n->rx.noise_floor_db : 0.0));
    f.iq = iq;
    size_t len = 0;
    if (rv_csi_frame_encode(&f, out, PKT_CAP, &len) != RV_OK)
        return 0;
    return len;
}

/* Root-mean-square speed of all body points (m/s) over the last 0.1 s. */
static double body_speed(const rvsim_session *s, double t)
{
    double acc = 0;
    uint32_t cnt = 0;
    for (uint32_t i = 0; i < s->n_people; i++) {
        rvsim_vec3 a[RVSIM_BODY_POINTS], b[RVSIM_BODY_POINTS];
        double rcs[RVSIM_BODY_POINTS];
        uint32_t na = rvsim_body_points(&s->people[i], t, a, rcs, NULL, NULL);
        uint32_t nb = rvsim_body_points(&s->people[i], t - 0.1, b, rcs, NULL, NULL);
        if (!na || !nb)
            continue;
        for (uint32_t j = 0; j < RVSIM_BODY_POINTS; j++) {
            double v = dist3(a[j], b[j]) / 0.1;
            acc += v * v;
            cnt++;
        }
    }
    return cnt ? sqrt(acc / cnt) : 0.0;
}

static float clampf(double v, double lo, double hi)
{
    return (float)(v < lo ? lo : (v > hi ? hi : v));
}

static uint32_t people_present(const rvsim_session *s, double t)
{
    uint32_t c = 0;
    for (uint32_t i = 0; i < s->n_people; i++) {
        const rvsim_tseg *g = rvsim_person_seg_at(&s->people[i], t);
        if (g && g->act != RVSIM_ACT_EMPTY)
            c++;
    }
    return c;
}

/* Plausible on-node edge outputs derived from the simulated truth. */
static size_t make_feature_state(rvsim_session *s, node_state *n, double t, uint8_t *out)
{
    rvsim_rng *r = &n->fs_rng;
    double br = 0;
    int act = dominant_at(s, t, &br);
    uint32_t np = people_present(s, t);
    double v = body_speed(s, t);
    int calm = act == RVSIM_ACT_STILL || act == RVSIM_ACT_LYING;
    rv_feature_state f;
    memset(&f, 0, sizeof(f));
    f.node_id = (uint8_t)(n - s->nodes + 1);
    f.mode = 1;
    f.seq = n->fs_seq;
    f.ts_us = (uint64_t)llround(t * 1e6);
    f.motion = clampf(v / 1.0 + 0.02 * fabs(rvsim_rng_gauss(r)), 0, 3);
    f.presence = np ? clampf(0.92 + 0.04 * rvsim_rng_gauss(r), 0, 1)
                    : clampf(0.04 + 0.03 * fabs(rvsim_rng_gauss(r)), 0, 1);
    f.respiration_bpm = calm && br > 0 ? (float)(br + 0.4 * rvsim_rng_gauss(r)) : 0.0f;
    f.respiration_conf = calm && br > 0 ? clampf(0.8 + 0.08 * rvsim_rng_gauss(r), 0, 1)
                                        : clampf(0.1 + 0.05 * fabs(rvsim_rng_gauss(r)), 0, 1);
    double hb = 0;
    for (uint32_t i = 0; i < s->n_people; i++) {
        const rvsim_tseg *g = rvsim_person_seg_at(&s->people[i], t);
        if (g && g->act != RVSIM_ACT_EMPTY) {
            hb = s->people[i].heart_hz * 60;
            break;
        }
    }
    f.heartbeat_bpm = calm && hb > 0 ? (float)(hb + 1.5 * rvsim_rng_gauss(r)) : 0.0f;
    f.heartbeat_conf = calm && hb > 0 ? clampf(0.5 + 0.1 * rvsim_rng_gauss(r), 0, 1) : 0.05f;
    int fallish = act == RVSIM_ACT_FALL || dominant_at(s, t - 3.0, NULL) == RVSIM_ACT_FALL;
    f.anomaly = fallish ? clampf(0.9 + 0.05 * rvsim_rng_gauss(r), 0, 1)
                        : clampf(0.05 + 0.03 * fabs(rvsim_rng_gauss(r)), 0, 1);
    f.env_shift = clampf(0.1 * np + 0.02 * rvsim_rng_gauss(r), -1, 1);
    f.node_coherence = clampf(0.85 + 0.05 * rvsim_rng_gauss(r), 0, 1);
    size_t len = 0;
    if (rv_feature_state_encode(&f, out, PKT_CAP, &len) != RV_OK)
        return 0;
    return len;
}

static size_t make_vitals(rvsim_session *s, node_state *n, double t, uint8_t *out)
{
    rvsim_rng *r = &n->fs_rng;
    double br = 0;
    int act = dominant_at(s, t, &br);
    uint32_t np = people_present(s, t);
    double v = body_speed(s, t);
    int calm = act == RVSIM_ACT_STILL || act == RVSIM_ACT_LYING;
    rv_vitals vt;
    memset(&vt, 0, sizeof(vt));
    vt.node_id = (uint8_t)(n - s->nodes + 1);
    vt.flags = (uint8_t)((np ? 1u : 0u) | (act == RVSIM_ACT_FALL ? 2u : 0u) | (v > 0.2 ? 4u : 0u));
    if (calm && br > 0)
        vt.breathing_centi_bpm = (uint16_t)lround((br + 0.3 * rvsim_rng_gauss(r)) * 100);
    double hb = np ? s->people[0].heart_hz * 60 : 0;
    if (calm && hb > 0)
        vt.heart_rate_bpm_e4 = (uint32_t)llround((hb + rvsim_rng_gauss(r)) * 10000);
    vt.rssi = n->last_rssi;
    vt.n_persons = (uint8_t)np;
    vt.motion_energy = (float)(v * v);
    vt.presence_score = np ? 0.95f : 0.03f;
    vt.timestamp_ms = (uint32_t)llround(t * 1000);
    size_t len = 0;
    if (rv_vitals_encode(&vt, false, out, PKT_CAP, &len) != RV_OK)
        return 0;
    return len;
}

/* ---- session lifecycle ---- */
static void set_err(char *err, size_t n, const char *msg)
{
    if (err && n)
        snprintf(err, n, "%s", msg);
}

static int build_segments(rvsim_session *s)
{
    size_t total = 0;
    for (uint32_t i = 0; i < s->n_people; i++)
        total += s->people[i].n_seg;
    s->segs = calloc(total ? total : 1, sizeof(*s->segs));
    if (!s->segs)
        return -1;
    for (uint32_t i = 0; i < s->n_people; i++) {
        const rvsim_person *p = &s->people[i];
        for (size_t j = 0; j < p->n_seg; j++) {
            const rvsim_tseg *g = &p->seg[j];
            if (g->t0 >= s->cfg.duration_s)
                break;
            double end = g->t1 < s->cfg.duration_s ? g->t1 : s->cfg.duration_s;
            if (end <= g->t0)
                continue;
            rvsim_segment *last = s->n_segs ? &s->segs[s->n_segs - 1] : NULL;
            if (last && last->person == i && last->activity == g->act &&
                last->action == g->action && fabs(last->end - g->t0) < 1e-9) {
                last->end = end;
                continue;
            }
            rvsim_segment *o = &s->segs[s->n_segs++];
            o->person = i;
            o->activity = g->act;
            o->start = g->t0;
            o->end = end;
            int breathing = g->act != RVSIM_ACT_EMPTY && g->act != RVSIM_ACT_APNEA;
            o->breath_bpm = breathing ? p->breath_hz * 60 : 0;
            o->heart_bpm = g->act != RVSIM_ACT_EMPTY ? p->heart_hz * 60 : 0;
            o->action = g->action;
        }
    }
    return 0;
}

/* Per-event network jitter, |N(0, 1)| x node_jitter_ms; no draw when off. */
static double draw_jitter(rvsim_session *s, node_state *n)
{
    if (!(s->cfg.node_jitter_ms > 0))
        return 0.0;
    return fabs(rvsim_rng_gauss(&n->lat_rng)) * s->cfg.node_jitter_ms * 1e-3;
}

static void schedule_csi(rvsim_session *s, node_state *n)
{
    n->jit_csi = draw_jitter(s, n);
    if (s->cfg.receiver == RVSIM_RX_CALIBRATED) {
        n->next_csi = n->t_off + (double)n->csi_k / n->rx.rate_hz + rvsim_rx_jitter(&n->rx);
    } else {
        double per = 1.0 / s->cfg.rate_hz;
        n->next_csi = n->t_off + (double)n->csi_k * per +
                      rvsim_rng_range(&n->time_rng, -0.2, 0.2) * per;
    }
    n->csi_k++;
}

rvsim_session *rvsim_session_new(const rvsim_config *cfg, char *err, size_t err_len)
{
    if (!cfg) {
        set_err(err, err_len, "no configuration");
        return NULL;
    }
    if (cfg->n_nodes < 1 || cfg->n_nodes > 255) {
        set_err(err, err_len, "nodes must be 1..255");
        return NULL;
    }
    if (!(cfg->rate_hz >= 1.0 && cfg->rate_hz <= 1000.0)) {
        set_err(err, err_len, "rate must be 1..1000 Hz");
        return NULL;
    }
    if (!(cfg->duration_s > 0 && cfg->duration_s <= 7 * 86400.0)) {
        set_err(err, err_len, "duration must be > 0 and at most a week");
        return NULL;
    }
    if (!(cfg->loss >= 0 && cfg->loss <= 1) || !(cfg->dup >= 0 && cfg->dup <= 1) ||
        !(cfg->reorder >= 0 && cfg->reorder <= 1)) {
        set_err(err, err_len, "loss, dup and reorder are probabilities in 0..1");
        return NULL;
    }
    if (cfg->n_subcarriers != 64 && cfg->n_subcarriers != 192) {
        set_err(err, err_len, "subcarriers must be 64 or 192");
        return NULL;
    }
    if (cfg->receiver != RVSIM_RX_FIXED && cfg->receiver != RVSIM_RX_CALIBRATED) {
        set_err(err, err_len, "receiver must be fixed or calibrated");
        return NULL;
    }
    if (cfg->reboot_at_s >= 0 && (cfg->reboot_node < 1 || cfg->reboot_node > cfg->n_nodes)) {
        set_err(err, err_len, "reboot node must be one of the simulated nodes");
        return NULL;
    }
    if (!(cfg->crash_loop_s >= 0) || !(cfg->channel_hop_s >= 0) ||
        !(cfg->boot_time_s >= 0) ||
        (cfg->crash_loop_s > 0 && cfg->boot_time_s >= cfg->crash_loop_s)) {
        set_err(err, err_len, "crash loop, boot time and channel hop need 0 <= boot time "
                              "< crash-loop period");
        return NULL;
    }
    if (cfg->crash_loop_s > 0 && cfg->crash_loop_node > cfg->n_nodes) {
        set_err(err, err_len, "crash-loop node must be one of the simulated nodes (or 0: all)");
        return NULL;
    }
    if (cfg->placement != RVSIM_PLACE_PERIMETER && cfg->placement != RVSIM_PLACE_RANDOM) {
        set_err(err, err_len, "placement must be perimeter or random");
        return NULL;
    }
    if (!(cfg->node_skew_ms >= 0 && cfg->node_skew_ms <= 10000) ||
        !(cfg->node_jitter_ms >= 0 && cfg->node_jitter_ms <= 10000)) {
        set_err(err, err_len, "node skew and jitter must be 0..10000 ms");
        return NULL;
    }
    const char *sc = cfg->scenario ? cfg->scenario : "demo";
    if (!rvsim_scenario_description(sc)) {
        char msg[96];
        snprintf(msg, sizeof(msg), "unknown scenario '%.40s' (see --help)", sc);
        set_err(err, err_len, msg);
        return NULL;
    }
    rvsim_session *s = calloc(1, sizeof(*s));
    if (!s) {
        set_err(err, err_len, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    snprintf(s->scenario, sizeof(s->scenario), "%s", sc);
    s->cfg.scenario = s->scenario;
    rvsim_room_build(&s->room, s->scenario, cfg->seed);
    mirror_all(&s->room, s->room.ap, s->ap_img);
    for (int i = 0; i < 4; i++)
        s->gamma[i] = s->room.wall_gamma;
    s->gamma[4] = s->room.floor_gamma;
    s->gamma[5] = s->room.ceil_gamma;
    if (rvsim_timeline_build(s->scenario, cfg->seed, cfg->duration_s, &s->room, s->people,
                             MAX_PEOPLE, &s->n_people, err, err_len) != 0) {
        free(s);
        return NULL;
    }
    s->nodes = calloc(cfg->n_nodes, sizeof(*s->nodes));
    if (!s->nodes || build_segments(s) != 0) {
        set_err(err, err_len, "out of memory");
        rvsim_session_free(s);
        return NULL;
    }
    rvsim_rng place, place_rand;
    rvsim_rng_fork(&place, cfg->seed, 2);
    rvsim_rng_fork(&place_rand, cfg->seed, 3);
    for (uint32_t i = 0; i < cfg->n_nodes; i++) {
        node_state *n = &s->nodes[i];
        n->pos = cfg->placement == RVSIM_PLACE_RANDOM
                     ? node_position_random(&s->room, s->nodes, i, &place_rand)
                     : node_position(&s->room, i, cfg->n_nodes, &place);
        rvsim_rng_fork(&n->lat_rng, cfg->seed, 50000u + i);
        if (cfg->node_skew_ms > 0)
            n->latency = rvsim_rng_range(&n->lat_rng, 0, cfg->node_skew_ms * 1e-3);
        build_node_static(s, n);
        rvsim_rng_fork(&n->noise_rng, cfg->seed, 10000u + i);
        rvsim_rng_fork(&n->time_rng, cfg->seed, 20000u + i);
        rvsim_rng_fork(&n->imp_rng, cfg->seed, 30000u + i);
        rvsim_rng_fork(&n->fs_rng, cfg->seed, 40000u + i);
        if (cfg->receiver == RVSIM_RX_CALIBRATED)
            rvsim_rx_draw(&n->rx, cfg->seed, i, cfg->rate_hz);
        double per = 1.0 / (cfg->receiver == RVSIM_RX_CALIBRATED ? n->rx.rate_hz : cfg->rate_hz);
        n->t_off = rvsim_rng_range(&n->time_rng, 0.25, 1.0) * per;
        n->fs_off = rvsim_rng_range(&n->time_rng, 0.0, FS_PERIOD);
        n->vit_off = rvsim_rng_range(&n->time_rng, 0.0, VITALS_PERIOD);
        n->last_rssi = -60;
        schedule_csi(s, n);
        n->next_fs = cfg->feature_state ? n->fs_off : INFINITY;
        n->next_vit = cfg->vitals ? n->vit_off : INFINITY;
        n->jit_fs = cfg->feature_state ? draw_jitter(s, n) : 0;
        n->jit_vit = cfg->vitals ? draw_jitter(s, n) : 0;
    }
    return s;
}

void rvsim_session_free(rvsim_session *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->n_people; i++)
        rvsim_person_free(&s->people[i]);
    free(s->nodes);
    free(s->segs);
    free(s);
}

const rvsim_config *rvsim_session_config(const rvsim_session *s)
{
    return &s->cfg;
}

size_t rvsim_session_n_segments(const rvsim_session *s)
{
    return s->n_segs;
}

const rvsim_segment *rvsim_session_segment(const rvsim_session *s, size_t i)
{
    return i < s->n_segs ? &s->segs[i] : NULL;
}

uint32_t rvsim_session_n_people(const rvsim_session *s)
{
    return s->n_people;
}

static void q_push(rvsim_session *s, const qpkt *p)
{
    if (s->q_len == QUEUE_CAP)   /* cannot happen: at most 4 per event */
        return;
    s->queue[(s->q_head + s->q_len) % QUEUE_CAP] = *p;
    s->q_len++;
}

static int in_reboot(const rvsim_session *s, uint32_t node_idx, double t)
{
    return s->cfg.reboot_at_s >= 0 && node_idx + 1 == s->cfg.reboot_node &&
           t >= s->cfg.reboot_at_s && t < s->cfg.reboot_at_s + REBOOT_DOWN_S;
}

/* Crash loop: boot index of node_idx at t (-1: the node does not crash). */
static int64_t crash_boot(const rvsim_session *s, uint32_t node_idx, double t)
{
    if (!(s->cfg.crash_loop_s > 0) ||
        (s->cfg.crash_loop_node && node_idx + 1 != s->cfg.crash_loop_node))
        return -1;
    return (int64_t)floor(t / s->cfg.crash_loop_s);
}

/* Booting after a crash: nothing is sent. */
static int in_crash_boot(const rvsim_session *s, uint32_t node_idx, double t)
{
    int64_t k = crash_boot(s, node_idx, t);
    return k > 0 && t - (double)k * s->cfg.crash_loop_s < s->cfg.boot_time_s;
}

/* Produce the next event of the earliest node; 0 when the session is over. */
static int step(rvsim_session *s)
{
    double best = INFINITY;
    uint32_t bi = 0;
    int kind = 0;
    /* Earliest arrival; with skew and jitter off, arrival = measurement
     * (adding 0.0 keeps every comparison as it was). A node's events are
     * measured until duration_s; those still in flight then are dropped. */
    for (uint32_t i = 0; i < s->cfg.n_nodes; i++) {
        node_state *n = &s->nodes[i];
        double lat = n->latency;
        if (n->next_csi < s->cfg.duration_s && n->next_csi + lat + n->jit_csi < best) {
            best = n->next_csi + lat + n->jit_csi; bi = i; kind = 0;
        }
        if (n->next_fs < s->cfg.duration_s && n->next_fs + lat + n->jit_fs < best) {
            best = n->next_fs + lat + n->jit_fs; bi = i; kind = 1;
        }
        if (n->next_vit < s->cfg.duration_s && n->next_vit + lat + n->jit_vit < best) {
            best = n->next_vit + lat + n->jit_vit; bi = i; kind = 2;
        }
    }
    if (best == INFINITY) {
        /* end: release packets still held for reordering */
        if (!s->flushed) {
            s->flushed = 1;
            for (uint32_t i = 0; i < s->cfg.n_nodes; i++)
                if (s->nodes[i].has_held) {
                    s->nodes[i].has_held = 0;
                    q_push(s, &s->nodes[i].held);
                }
            return s->q_len > 0;
        }
        return 0;
    }
    node_state *n = &s->nodes[bi];
    const double arrival = best;
    const double t = kind == 0 ? n->next_csi : (kind == 1 ? n->next_fs : n->next_vit);
    if (kind == 0) {
        schedule_csi(s, n);
    } else if (kind == 1) {
        n->next_fs = n->fs_off + (double)(++n->fs_k) * FS_PERIOD;
        n->jit_fs = draw_jitter(s, n);
    } else {
        n->next_vit = n->vit_off + (double)(++n->vit_k) * VITALS_PERIOD;
        n->jit_vit = draw_jitter(s, n);
    }

    if (in_reboot(s, bi, t) || in_crash_boot(s, bi, t))
        return 1;                 /* node is down: nothing sent */
    uint32_t flags = 0;
    int64_t boot = crash_boot(s, bi, t);
    if (boot > n->boot) {
        n->boot = boot;
        n->seq = 0;
        n->fs_seq = 0;
        flags |= RVSIM_PKT_AFTER_REBOOT;
    }
    if (s->cfg.reboot_at_s >= 0 && bi + 1 == s->cfg.reboot_node && t >= s->cfg.reboot_at_s &&
        !n->rebooted) {
        n->rebooted = 1;
        n->seq = 0;
        n->fs_seq = 0;
        flags |= RVSIM_PKT_AFTER_REBOOT;
    }

    qpkt p;
    p.t = arrival;
    p.t_meas = t;
    p.node = (uint8_t)(bi + 1);
    p.flags = flags;
    p.label = dominant_at_act(s, t, &p.breath, &p.action);
    p.people = people_present(s, t);
    if (kind == 0) {
        p.magic = RV_MAGIC_CSI_RAW;
        p.len = make_csi(s, n, t, p.buf);
        n->seq++;
    } else if (kind == 1) {
        p.magic = RV_MAGIC_FEATURE_STATE;
        p.len = make_feature_state(s, n, t, p.buf);
        n->fs_seq++;
    } else {
        p.magic = RV_MAGIC_VITALS;
        p.len = make_vitals(s, n, t, p.buf);
    }
    if (p.len == 0)
        return 1;

    /* Impairments: loss, reordering (CSI only), duplication. */
    rvsim_rng *ir = &n->imp_rng;
    double u_loss = rvsim_rng_uniform(ir), u_re = rvsim_rng_uniform(ir), u_dup = rvsim_rng_uniform(ir);
    if (u_loss < s->cfg.loss)
        return 1;
    if (kind == 0 && !n->has_held && u_re < s->cfg.reorder) {
        n->held = p;
        n->held.flags |= RVSIM_PKT_REORDERED;
        n->has_held = 1;
        return 1;
    }
    q_push(s, &p);
    if (u_dup < s->cfg.dup) {
        qpkt d = p;
        d.t = arrival + 50e-6;
        d.flags |= RVSIM_PKT_DUPLICATE;
        q_push(s, &d);
    }
    if (kind == 0 && n->has_held) {
        n->has_held = 0;
        n->held.t = arrival + 100e-6;
        q_push(s, &n->held);
    }
    return 1;
}

int rvsim_session_next(rvsim_session *s, rvsim_packet *out)
{
    if (!s || !out)
        return 0;
    while (s->q_len == 0)
        if (!step(s))
            return 0;
    s->cur = s->queue[s->q_head];
    s->q_head = (s->q_head + 1) % QUEUE_CAP;
    s->q_len--;
    if (s->cur.t < s->last_t)
        s->cur.t = s->last_t;    /* emission order is time order */
    s->last_t = s->cur.t;
    out->t = s->cur.t;
    out->node = s->cur.node;
    out->magic = s->cur.magic;
    out->data = s->cur.buf;
    out->len = s->cur.len;
    out->label = s->cur.label;
    out->action = s->cur.action;
    out->people = s->cur.people;
    out->breath_bpm = s->cur.breath;
    out->flags = s->cur.flags;
    return 1;
}
