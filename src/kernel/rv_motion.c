/*
 * rv_motion.c — calibrated motion detector for one CSI stream (rv_motion.h;
 * algorithm and units in docs/features.md, "Motion detector").
 *
 * Per frame: amplitudes of the informative subcarriers (rv_csi_layout:
 * no guards, DC or pilots; nulls and flat tones found at run time), divided
 * by their mean (an AGC gain change or a gain-locked drift scales every
 * subcarrier alike and cancels), outlier frames dropped, then a moving
 * variance per subcarrier in stream time; the score is the trimmed mean of
 * those variances. The quiet level is the lowest block mean of the score,
 * learnt on the stream itself: it falls at once to a quieter block and rises
 * slowly, so a stream that starts in motion converges when it first goes
 * quiet. Only +, -, *, / and sqrtf: the firmware builds give the same bits.
 */
#include <math.h>
#include <string.h>

#include "rv_csi_layout.h"
#include "rv_motion.h"

#define RV_MOTION_MAGIC   0x6d6f7431u
#define BLOCKS_PER_CAL    6u          /* calibration blocks per calibration_ns */
#define NULL_LEVEL        0.1f        /* below this share of the mean: a null tone */
#define FLAT_FRAMES       16u         /* amplitude unchanged this many frames: flat */
#define OUTLIER_LOW       0.25f       /* a tone below this share of its level ... */
#define OUTLIER_SHARE     0.125f      /* ... on more than this share: outlier frame */
#define RUN_FRAMES        4u          /* consecutive deviating frames that count */
#define MIN_TONES         4u          /* fewer usable tones: the frame says nothing */
#define LEVEL_NS          2000000000ull   /* window of the per-tone level */
#define MAX_DT_NS         1000000000ull   /* a longer gap counts as 1 s */
#define SETTLE_WINDOWS    3u          /* a new layout's variances settle this long */
#define DRIFT_NS          30000000000ull  /* quiet level rising toward quiet blocks */
#define STUCK_NS          3600000000000ull /* ... and toward blocks held as motion */

typedef struct {
    uint16_t n_pairs;                     /* 0: slot unused */
    uint16_t n_tones;
    uint32_t frames;
    uint64_t first_ns, last_ns;
    uint16_t pair[RV_MOTION_MAX_TONES];   /* pair index in one antenna's buffer */
    uint16_t last_pow[RV_MOTION_MAX_TONES]; /* I^2 + Q^2 of the previous frame */
    uint8_t  same[RV_MOTION_MAX_TONES];   /* frames with that power unchanged */
    float    level[RV_MOTION_MAX_TONES];  /* slow mean of the normalised amplitude */
    float    mean[RV_MOTION_MAX_TONES];   /* reference level, reference_ns */
    float    prev[2][RV_MOTION_MAX_TONES]; /* the two frames before, normalised */
} rv_motion_slot;

struct rv_motion {
    uint32_t magic;
    rv_motion_cfg cfg;
    rv_motion_slot slot[RV_MOTION_SLOTS];
    /* the last window_ns of frame deviations (at most RV_MOTION_WINDOW_FRAMES) */
    float    win_e[RV_MOTION_WINDOW_FRAMES];
    uint64_t win_t[RV_MOTION_WINDOW_FRAMES];
    uint32_t win_head, win_n;
    uint64_t last_t;
    bool     have_t;
    /* calibration */
    bool     started, calibrated;
    uint64_t start_t, block_t;
    float    block_sum;
    uint32_t block_n;
    bool     block_motion;
    float    quiet;                       /* calibrated quiet score, 0 = none */
    /* decision */
    bool     motion, below;
    uint64_t below_t;
    float    score;
};

size_t rv_motion_state_size(void)
{
    return sizeof(struct rv_motion);
}

void rv_motion_cfg_default(rv_motion_cfg *cfg)
{
    if (cfg == NULL)
        return;
    memset(cfg, 0, sizeof *cfg);
    cfg->sensitivity = RV_MOTION_DEFAULT_SENSITIVITY;
    cfg->calibration_ns = RV_MOTION_DEFAULT_CALIBRATION_NS;
    cfg->tuning.window_ns = 200000000ull;
    cfg->tuning.reference_ns = 2000000000ull;
    cfg->tuning.hold_ns = 300000000ull;
    cfg->tuning.factor = 5.0f;
    cfg->tuning.exit_ratio = 0.7f;
    cfg->tuning.trim = 0.1f;
    cfg->tuning.rank = 0.2f;
}

static bool sensitivity_ok(float s)
{
    return s > 0.0f && s <= 100.0f;
}

static bool cfg_ok(const rv_motion_cfg *c)
{
    const rv_motion_tuning *t = &c->tuning;
    return sensitivity_ok(c->sensitivity) &&
           c->calibration_ns >= RV_MOTION_MIN_CALIBRATION_NS &&
           c->calibration_ns <= RV_MOTION_MAX_CALIBRATION_NS &&
           t->window_ns >= 10000000ull && t->window_ns <= 10000000000ull &&
           t->reference_ns >= t->window_ns && t->reference_ns <= 60000000000ull &&
           t->hold_ns <= 60000000000ull &&
           t->factor > 1.0f && t->factor <= 1000.0f &&
           t->exit_ratio > 0.0f && t->exit_ratio <= 1.0f &&
           t->trim >= 0.0f && t->trim <= 0.45f &&
           t->rank >= 0.0f && t->rank <= 0.9f;
}

static void clear_state(rv_motion *m)
{
    rv_motion_cfg cfg = m->cfg;
    memset(m, 0, sizeof *m);
    m->magic = RV_MOTION_MAGIC;
    m->cfg = cfg;
}

rv_motion *rv_motion_init(void *mem, size_t mem_size, const rv_motion_cfg *cfg)
{
    rv_motion_cfg def;
    if (cfg == NULL) {
        rv_motion_cfg_default(&def);
        cfg = &def;
    }
    if (mem == NULL || mem_size < sizeof(struct rv_motion) ||
        ((uintptr_t)mem % _Alignof(struct rv_motion)) != 0 || !cfg_ok(cfg))
        return NULL;
    rv_motion *m = mem;
    m->cfg = *cfg;
    clear_state(m);
    return m;
}

rv_status rv_motion_reset(rv_motion *m)
{
    if (m == NULL)
        return RV_ERR_NULL;
    if (m->magic != RV_MOTION_MAGIC)
        return RV_ERR_BAD_OBJECT;
    clear_state(m);
    return RV_OK;
}

rv_status rv_motion_set_sensitivity(rv_motion *m, float sensitivity)
{
    if (m == NULL)
        return RV_ERR_NULL;
    if (m->magic != RV_MOTION_MAGIC)
        return RV_ERR_BAD_OBJECT;
    if (!sensitivity_ok(sensitivity))
        return RV_ERR_ARG;
    m->cfg.sensitivity = sensitivity;
    return RV_OK;
}

/* The subcarriers a layout of n pairs offers: its non-pilot tones, or for a
 * count without a documented layout every pair but the first (DC in the
 * driver's order), evenly subsampled to RV_MOTION_MAX_TONES. Nulls left in
 * the list are found from the data (slot_valid). */
static void slot_setup(rv_motion_slot *s, uint16_t n_pairs, uint64_t t)
{
    rv_csi_layout lay;
    uint16_t cand[RV_CSI_LAYOUT_MAX_SC];
    uint32_t nc = 0;
    if (rv_csi_layout_get(n_pairs, &lay) == RV_OK) {
        for (uint32_t i = 0; i < lay.n_sc; i++)
            if (!lay.sc[i].pilot)
                cand[nc++] = lay.sc[i].index;
    }
    if (nc == 0) {
        uint32_t step = n_pairs > RV_CSI_LAYOUT_MAX_SC ? (n_pairs + RV_CSI_LAYOUT_MAX_SC - 1u) /
                                                             RV_CSI_LAYOUT_MAX_SC : 1u;
        for (uint32_t p = 1; p < n_pairs && nc < RV_CSI_LAYOUT_MAX_SC; p += step)
            cand[nc++] = (uint16_t)p;
    }
    memset(s, 0, sizeof *s);
    s->n_pairs = n_pairs;
    s->first_ns = t;
    uint32_t n = nc < RV_MOTION_MAX_TONES ? nc : RV_MOTION_MAX_TONES;
    for (uint32_t i = 0; i < n; i++)
        s->pair[i] = cand[(uint32_t)(((uint64_t)i * nc) / n)];
    s->n_tones = (uint16_t)n;
}

/* The slot for this frame's layout: the one holding it, else a free one,
 * else the least recently used one is replaced. */
static rv_motion_slot *slot_for(rv_motion *m, uint16_t n_pairs, uint64_t t)
{
    rv_motion_slot *lru = &m->slot[0];
    for (uint32_t i = 0; i < RV_MOTION_SLOTS; i++) {
        rv_motion_slot *s = &m->slot[i];
        if (s->n_pairs == n_pairs)
            return s;
        if (s->n_pairs == 0) {
            lru = s;
            break;
        }
        if (s->last_ns < lru->last_ns)
            lru = s;
    }
    slot_setup(lru, n_pairs, t);
    return lru;
}

static bool tone_usable(const rv_motion_slot *s, uint32_t k, uint32_t pow)
{
    if (s->same[k] >= FLAT_FRAMES)
        return false;
    return s->frames == 0 ? pow > 0 : s->level[k] >= NULL_LEVEL;
}

/* floor(x) for 0 <= x, at most max, without a float-to-integer conversion
 * (soft-float cores without an FPU do not all provide one). */
static uint32_t floor_count(float x, uint32_t max)
{
    uint32_t n = 0;
    while (n < max && (float)(n + 1u) <= x)
        n++;
    return n;
}

static float med3(float a, float b, float c)
{
    float lo = a < b ? a : b, hi = a < b ? b : a;
    return c < lo ? lo : c > hi ? hi : c;
}

static void sort_floats(float *v, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        float x = v[i];
        uint32_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* One frame into the slot's statistics. Returns false when the frame is
 * unusable (too few tones, an outlier, a layout still settling); *e is the
 * frame's deviation from the reference: the trimmed mean over subcarriers
 * of the squared difference of normalised amplitude and reference. */
static bool slot_update(rv_motion *m, rv_motion_slot *s, const int8_t *iq, uint64_t t, float *e)
{
    float amp[RV_MOTION_MAX_TONES];
    uint8_t use[RV_MOTION_MAX_TONES];
    float sum = 0.0f;
    uint32_t n_use = 0;
    for (uint32_t k = 0; k < s->n_tones; k++) {
        int32_t im = iq[2u * s->pair[k]], re = iq[2u * s->pair[k] + 1u];
        uint32_t pow = (uint32_t)(im * im + re * re);
        if (pow != s->last_pow[k])
            s->same[k] = 0;
        else if (s->same[k] < 255u)
            s->same[k]++;
        s->last_pow[k] = (uint16_t)pow;
        amp[k] = sqrtf((float)pow);
        use[k] = tone_usable(s, k, pow);
        if (use[k]) {
            sum += amp[k];
            n_use++;
        }
    }
    if (n_use < MIN_TONES || !(sum > 0.0f))
        return false;
    const float inv = (float)n_use / sum;
    if (s->frames > 0) {
        uint32_t low = 0;
        for (uint32_t k = 0; k < s->n_tones; k++)
            if (use[k] && amp[k] * inv < OUTLIER_LOW * s->level[k])
                low++;
        if ((float)low > OUTLIER_SHARE * (float)n_use)
            return false;
    }
    uint64_t dt = s->frames == 0 ? 0 : t - s->last_ns;
    if (dt > MAX_DT_NS)
        dt = MAX_DT_NS;
    const float ar = (float)dt / (float)(m->cfg.tuning.reference_ns + dt);
    const float al = (float)dt / (float)(LEVEL_NS + dt);
    float v[RV_MOTION_MAX_TONES];
    uint32_t nv = 0;
    for (uint32_t k = 0; k < s->n_tones; k++) {
        float raw = amp[k] * inv;
        if (s->frames == 0) {
            s->level[k] = raw;
            s->mean[k] = raw;
            s->prev[0][k] = s->prev[1][k] = raw;
            continue;
        }
        /* median of three frames per subcarrier: a lone frame of another
         * kind (some chips interleave two) cannot move it */
        float n = med3(raw, s->prev[0][k], s->prev[1][k]);
        s->prev[1][k] = s->prev[0][k];
        s->prev[0][k] = raw;
        s->level[k] += al * (n - s->level[k]);
        float d = n - s->mean[k];
        s->mean[k] += use[k] ? ar * d : d;
        if (use[k])
            v[nv++] = d * d;
    }
    s->frames++;
    s->last_ns = t;
    if (nv < MIN_TONES)
        return false;
    sort_floats(v, nv);
    uint32_t drop = floor_count(m->cfg.tuning.trim * (float)nv, nv / 2u);
    float acc = 0.0f;
    for (uint32_t i = drop; i < nv - drop; i++)
        acc += v[i];
    *e = acc / (float)(nv - 2u * drop);
    return t - s->first_ns >= SETTLE_WINDOWS * m->cfg.tuning.window_ns;
}

/* The score: a high rank of the frame deviations in the last window_ns,
 * so an isolated disturbed frame cannot raise it but a few frames of
 * motion do. */
static float window_score(rv_motion *m, float e, uint64_t t)
{
    uint32_t cap = RV_MOTION_WINDOW_FRAMES;
    m->win_e[m->win_head] = e;
    m->win_t[m->win_head] = t;
    m->win_head = (m->win_head + 1u) % cap;
    if (m->win_n < cap)
        m->win_n++;
    /* drop what fell out of the window (the oldest entries) */
    while (m->win_n > 1u) {
        uint32_t oldest = (m->win_head + cap - m->win_n) % cap;
        if (t - m->win_t[oldest] <= m->cfg.tuning.window_ns)
            break;
        m->win_n--;
    }
    float v[RV_MOTION_WINDOW_FRAMES];
    for (uint32_t i = 0; i < m->win_n; i++)
        v[i] = m->win_e[(m->win_head + cap - 1u - i) % cap];
    sort_floats(v, m->win_n);
    uint32_t rank = floor_count(m->cfg.tuning.rank * (float)m->win_n, m->win_n - 1u);
    float x = v[m->win_n - 1u - rank];
    /* fast path: the last RUN frames all deviating count at once */
    if (m->win_n >= RUN_FRAMES) {
        float run = m->win_e[(m->win_head + cap - 1u) % cap];
        for (uint32_t i = 1; i < RUN_FRAMES; i++) {
            float e_i = m->win_e[(m->win_head + cap - 1u - i) % cap];
            run = e_i < run ? e_i : run;
        }
        x = run > x ? run : x;
    }
    return x;
}

/* Calibration: block means of the score; the quiet level falls to a quieter
 * block at once and rises slowly (faster in blocks that were quiet). */
static void calibrate(rv_motion *m, float x, uint64_t t)
{
    if (!m->started) {
        m->started = true;
        m->start_t = t;
        m->block_t = t;
    }
    m->block_sum += x;
    m->block_n++;
    m->block_motion |= m->motion;
    uint64_t block_ns = m->cfg.calibration_ns / BLOCKS_PER_CAL;
    if (t - m->block_t < block_ns)
        return;
    float bm = m->block_sum / (float)m->block_n;
    if (m->quiet == 0.0f || bm < m->quiet) {
        m->quiet = bm;
    } else if (m->calibrated) {
        uint64_t tau = m->block_motion ? STUCK_NS : DRIFT_NS;
        uint64_t span = t - m->block_t;
        m->quiet += (bm - m->quiet) * ((float)span / (float)(span + tau));
    }
    if (t - m->start_t >= m->cfg.calibration_ns)
        m->calibrated = true;
    m->block_t = t;
    m->block_sum = 0.0f;
    m->block_n = 0;
    m->block_motion = false;
}

static bool decide(rv_motion *m, float x, float thr, uint64_t t)
{
    bool was = m->motion;
    if (!m->motion) {
        m->motion = x > thr;
        m->below = false;
    } else if (x < thr * m->cfg.tuning.exit_ratio) {
        if (!m->below) {
            m->below = true;
            m->below_t = t;
        }
        if (t - m->below_t >= m->cfg.tuning.hold_ns)
            m->motion = false;
    } else {
        m->below = false;
    }
    return m->motion != was;
}

rv_status rv_motion_push(rv_motion *m, const rv_csi_frame *f, uint8_t antenna,
                         uint64_t t_ns, rv_motion_out *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (m == NULL || f == NULL || out == NULL)
        return RV_ERR_NULL;
    if (m->magic != RV_MOTION_MAGIC)
        return RV_ERR_BAD_OBJECT;
    if (f->iq == NULL)
        return RV_ERR_NULL;
    if (f->n_antennas == 0 || f->n_antennas > RV_CSI_MAX_ANTENNAS)
        return RV_ERR_ANTENNAS;
    if (f->n_subcarriers == 0 || f->n_subcarriers > RV_CSI_MAX_SUBCARRIERS)
        return RV_ERR_SUBCARRIERS;
    if (antenna >= f->n_antennas)
        return RV_ERR_ARG;

    uint64_t t = m->have_t && t_ns < m->last_t ? m->last_t : t_ns;
    m->last_t = t;
    m->have_t = true;
    rv_motion_slot *s = slot_for(m, f->n_subcarriers, t);
    const int8_t *iq = f->iq + 2u * (size_t)antenna * f->n_subcarriers;
    float e;
    bool changed = false;
    if (slot_update(m, s, iq, t, &e)) {
        float x = window_score(m, e, t);
        out->used = true;
        m->score = x;
        calibrate(m, x, t);
        if (m->calibrated)
            changed = decide(m, x, m->quiet * m->cfg.tuning.factor / m->cfg.sensitivity, t);
    }
    out->motion = m->motion;
    out->changed = changed;
    out->calibrated = m->calibrated;
    out->score = m->score;
    out->threshold = m->quiet * m->cfg.tuning.factor / m->cfg.sensitivity;
    return RV_OK;
}
