/* rvsim_labels.c — label JSON-lines writer and a small dedicated reader. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rvsim_internal.h"
#include "rvsim_labels.h"
#include "rvsim_pcap.h"

const char *rvsim_labels_status_str(int st)
{
    switch (st) {
    case RVSIM_LABELS_OK: return "ok";
    case RVSIM_LABELS_ERR_IO: return "cannot read or write the label file";
    case RVSIM_LABELS_ERR_NOMEM: return "out of memory";
    case RVSIM_LABELS_ERR_SYNTAX: return "label line is not a JSON object";
    case RVSIM_LABELS_ERR_FIELD: return "label line has a missing or invalid field";
    case RVSIM_LABELS_ERR_ARG: return "invalid argument";
    }
    return "unknown labels status";
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Room truth as spans: evaluated between consecutive segment boundaries,
 * equal neighbours merged. */
static int write_room(FILE *f, const rvsim_session *s)
{
    size_t n = rvsim_session_n_segments(s), nb = 0;
    double dur = rvsim_session_config(s)->duration_s;
    double *b = malloc((2 * n + 2) * sizeof(*b));
    if (!b)
        return RVSIM_LABELS_ERR_NOMEM;
    b[nb++] = 0;
    b[nb++] = dur;
    for (size_t i = 0; i < n; i++) {
        const rvsim_segment *g = rvsim_session_segment(s, i);
        b[nb++] = g->start;
        b[nb++] = g->end;
    }
    qsort(b, nb, sizeof(*b), cmp_double);
    double span0 = 0;
    rvsim_room_truth cur = { -1, 0, 0 };
    for (size_t i = 0; i + 1 < nb; i++) {
        if (!(b[i + 1] > b[i]) || b[i] >= dur)
            continue;
        rvsim_room_truth r;
        rvsim_session_room_at(s, 0.5 * (b[i] + b[i + 1]), &r);
        if (cur.activity >= 0 && (r.activity != cur.activity || r.action != cur.action ||
                                  r.people != cur.people)) {
            fprintf(f, "{\"type\":\"room\",\"start\":%.3f,\"end\":%.3f,\"activity\":\"%s\","
                       "\"action\":\"%s\",\"occupied\":%s,\"people\":%u}\n",
                    span0, b[i], rvsim_activity_name(cur.activity), rvsim_action_name(cur.action),
                    cur.people ? "true" : "false", cur.people);
            span0 = b[i];
        }
        cur = r;
    }
    if (cur.activity >= 0)
        fprintf(f, "{\"type\":\"room\",\"start\":%.3f,\"end\":%.3f,\"activity\":\"%s\","
                   "\"action\":\"%s\",\"occupied\":%s,\"people\":%u}\n",
                span0, dur, rvsim_activity_name(cur.activity), rvsim_action_name(cur.action),
                cur.people ? "true" : "false", cur.people);
    free(b);
    return RVSIM_LABELS_OK;
}

/* One line per fall segment; "up" is the start of that person's next
 * stand-up (segments of a person are in time order). */
static void write_falls(FILE *f, const rvsim_session *s)
{
    size_t n = rvsim_session_n_segments(s);
    double dur = rvsim_session_config(s)->duration_s;
    for (size_t i = 0; i < n; i++) {
        const rvsim_segment *g = rvsim_session_segment(s, i);
        if (g->activity != RVSIM_ACT_FALL)
            continue;
        double up = dur;
        for (size_t j = i + 1; j < n; j++) {
            const rvsim_segment *h = rvsim_session_segment(s, j);
            if (h->person == g->person && h->activity == RVSIM_ACT_STAND_UP) {
                up = h->start;
                break;
            }
        }
        int act = g->action == RVSIM_ACTION_FALL_RECOVER ? RVSIM_ACTION_FALL_RECOVER
                                                         : RVSIM_ACTION_FALL;
        fprintf(f, "{\"type\":\"fall\",\"person\":%u,\"onset\":%.3f,\"impact\":%.3f,"
                   "\"up\":%.3f,\"action\":\"%s\"}\n",
                g->person, g->start, g->end, up, rvsim_action_name(act));
    }
}

int rvsim_labels_write(FILE *f, const rvsim_session *s)
{
    if (!f || !s)
        return RVSIM_LABELS_ERR_ARG;
    const rvsim_config *c = rvsim_session_config(s);
    fprintf(f, "{\"type\":\"meta\",\"scenario\":\"%s\",\"seed\":%llu,\"nodes\":%u,"
               "\"rate_hz\":%.6g,\"duration_s\":%.6g,\"pcap_epoch\":%u,\"people\":%u,"
               "\"activities\":[",
            c->scenario, (unsigned long long)c->seed, c->n_nodes, c->rate_hz, c->duration_s,
            RVSIM_PCAP_EPOCH, rvsim_session_n_people(s));
    for (int a = 0; a < RVSIM_N_ACTIVITIES; a++)
        fprintf(f, "%s\"%s\"", a ? "," : "", rvsim_activity_name(a));
    fprintf(f, "]}\n");
    for (uint32_t node = 1; node <= c->n_nodes; node++) {
        double xyz[3], lat = 0;
        rvsim_session_node(s, node, xyz, &lat);
        fprintf(f, "{\"type\":\"node\",\"node\":%u,\"x\":%.3f,\"y\":%.3f,\"z\":%.3f,"
                   "\"latency_ms\":%.1f,\"jitter_ms\":%.1f}\n",
                node, xyz[0], xyz[1], xyz[2], lat * 1e3, c->node_jitter_ms);
    }
    for (uint32_t node = 1; node <= c->n_nodes; node++)
        for (size_t i = 0; i < rvsim_session_n_segments(s); i++) {
            const rvsim_segment *g = rvsim_session_segment(s, i);
            fprintf(f, "{\"node\":%u,\"person\":%u,\"start\":%.3f,\"end\":%.3f,"
                       "\"activity\":\"%s\",\"breath_bpm\":%.2f,\"heart_bpm\":%.2f",
                    node, g->person, g->start, g->end, rvsim_activity_name(g->activity),
                    g->breath_bpm, g->heart_bpm);
            if (g->action != RVSIM_ACTION_NONE)
                fprintf(f, ",\"action\":\"%s\"", rvsim_action_name(g->action));
            fprintf(f, "}\n");
        }
    int rc = write_room(f, s);
    if (rc != RVSIM_LABELS_OK)
        return rc;
    write_falls(f, s);
    if (c->reboot_at_s >= 0 && c->reboot_at_s < c->duration_s)
        fprintf(f, "{\"type\":\"reboot\",\"node\":%u,\"start\":%.3f,\"end\":%.3f}\n",
                c->reboot_node, c->reboot_at_s, c->reboot_at_s + 2.0);
    if (c->crash_loop_s > 0)
        fprintf(f, "{\"type\":\"crash-loop\",\"node\":%u,\"period\":%.3f,"
                   "\"boot_time\":%.3f}\n",
                c->crash_loop_node, c->crash_loop_s, c->boot_time_s);
    if (c->channel_hop_s > 0)
        fprintf(f, "{\"type\":\"channel-hop\",\"period\":%.3f}\n", c->channel_hop_s);
    return ferror(f) ? RVSIM_LABELS_ERR_IO : RVSIM_LABELS_OK;
}

/* ---- tiny JSON reader for one flat object per line ---- */
typedef struct {
    const char *p, *end;
} cur;

static void ws(cur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r'))
        c->p++;
}

static int hexd(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* String into out (truncated to cap-1; non-ASCII escapes become '?'). */
static int jstring(cur *c, char *out, size_t cap)
{
    size_t n = 0;
    if (c->p >= c->end || *c->p != '"')
        return -1;
    c->p++;
    while (c->p < c->end) {
        char ch = *c->p++;
        if (ch == '"') {
            if (cap)
                out[n < cap ? n : cap - 1] = 0;
            return 0;
        }
        if ((unsigned char)ch < 0x20)
            return -1;
        if (ch == '\\') {
            if (c->p >= c->end)
                return -1;
            char e = *c->p++;
            switch (e) {
            case '"': case '\\': case '/': ch = e; break;
            case 'b': ch = '\b'; break;
            case 'f': ch = '\f'; break;
            case 'n': ch = '\n'; break;
            case 'r': ch = '\r'; break;
            case 't': ch = '\t'; break;
            case 'u':
                if (c->end - c->p < 4 || !hexd(c->p[0]) || !hexd(c->p[1]) || !hexd(c->p[2]) ||
                    !hexd(c->p[3]))
                    return -1;
                c->p += 4;
                ch = '?';
                break;
            default:
                return -1;
            }
        }
        if (cap && n + 1 < cap)
            out[n] = ch;
        n++;
    }
    return -1;
}

static int jnumber(cur *c, double *v)
{
    const char *s = c->p;
    if (c->p < c->end && *c->p == '-')
        c->p++;
    if (c->p >= c->end || !(*c->p >= '0' && *c->p <= '9'))
        return -1;
    if (*c->p == '0')
        c->p++;
    else
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            c->p++;
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        if (c->p >= c->end || !(*c->p >= '0' && *c->p <= '9'))
            return -1;
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            c->p++;
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
            c->p++;
        if (c->p >= c->end || !(*c->p >= '0' && *c->p <= '9'))
            return -1;
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            c->p++;
    }
    char buf[64];
    size_t n = (size_t)(c->p - s);
    if (n >= sizeof(buf))
        return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    *v = strtod(buf, NULL);
    return isfinite(*v) ? 0 : -1;
}

static int jliteral(cur *c, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
        return -1;
    c->p += n;
    return 0;
}

/* Skip any value; depth-limited. */
static int jskip(cur *c, int depth)
{
    double d;
    ws(c);
    if (depth > 16 || c->p >= c->end)
        return -1;
    char ch = *c->p;
    if (ch == '"')
        return jstring(c, NULL, 0);
    if (ch == 't')
        return jliteral(c, "true");
    if (ch == 'f')
        return jliteral(c, "false");
    if (ch == 'n')
        return jliteral(c, "null");
    if (ch == '[' || ch == '{') {
        char close = ch == '[' ? ']' : '}';
        c->p++;
        ws(c);
        if (c->p < c->end && *c->p == close) {
            c->p++;
            return 0;
        }
        for (;;) {
            if (ch == '{') {
                ws(c);
                if (jstring(c, NULL, 0))
                    return -1;
                ws(c);
                if (c->p >= c->end || *c->p++ != ':')
                    return -1;
            }
            if (jskip(c, depth + 1))
                return -1;
            ws(c);
            if (c->p >= c->end)
                return -1;
            if (*c->p == ',') {
                c->p++;
                ws(c);
                continue;
            }
            if (*c->p == close) {
                c->p++;
                return 0;
            }
            return -1;
        }
    }
    return jnumber(c, &d);
}

/* Fields we care about in one line. */
typedef struct {
    char   type[32], activity[32], scenario[32], action[32];
    double node, person, start, end, breath, heart, seed, nodes, people, rate, duration, epoch;
    double onset, impact, up, x, y, z, latency, jitter;
    bool   occupied;
    unsigned have;    /* bit per field below */
} line_vals;

enum { H_TYPE = 1, H_ACT = 2, H_SCEN = 4, H_NODE = 8, H_PERSON = 16, H_START = 32, H_END = 64,
       H_BREATH = 128, H_HEART = 256, H_SEED = 512, H_NODES = 1024, H_PEOPLE = 2048,
       H_RATE = 4096, H_DUR = 8192, H_EPOCH = 16384, H_ACTION = 1u << 15, H_OCC = 1u << 16,
       H_ONSET = 1u << 17, H_IMPACT = 1u << 18, H_UP = 1u << 19, H_X = 1u << 20, H_Y = 1u << 21,
       H_Z = 1u << 22, H_LAT = 1u << 23, H_JIT = 1u << 24 };

static int parse_line(const char *s, const char *e, line_vals *v)
{
    cur c = { s, e };
    memset(v, 0, sizeof(*v));
    ws(&c);
    if (c.p >= c.end || *c.p++ != '{')
        return -1;
    ws(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
    } else {
        for (;;) {
            char key[32];
            ws(&c);
            if (jstring(&c, key, sizeof(key)))
                return -1;
            ws(&c);
            if (c.p >= c.end || *c.p++ != ':')
                return -1;
            ws(&c);
            if (strcmp(key, "occupied") == 0 && c.p < c.end && (*c.p == 't' || *c.p == 'f')) {
                v->occupied = *c.p == 't';
                if (jliteral(&c, v->occupied ? "true" : "false"))
                    return -1;
                v->have |= H_OCC;
                goto next;
            }
            struct { const char *k; unsigned bit; char *str; double *num; } map[] = {
                { "type", H_TYPE, v->type, NULL }, { "activity", H_ACT, v->activity, NULL },
                { "scenario", H_SCEN, v->scenario, NULL }, { "node", H_NODE, NULL, &v->node },
                { "person", H_PERSON, NULL, &v->person }, { "start", H_START, NULL, &v->start },
                { "end", H_END, NULL, &v->end }, { "breath_bpm", H_BREATH, NULL, &v->breath },
                { "heart_bpm", H_HEART, NULL, &v->heart }, { "seed", H_SEED, NULL, &v->seed },
                { "nodes", H_NODES, NULL, &v->nodes }, { "people", H_PEOPLE, NULL, &v->people },
                { "rate_hz", H_RATE, NULL, &v->rate }, { "duration_s", H_DUR, NULL, &v->duration },
                { "pcap_epoch", H_EPOCH, NULL, &v->epoch },
                { "action", H_ACTION, v->action, NULL }, { "onset", H_ONSET, NULL, &v->onset },
                { "impact", H_IMPACT, NULL, &v->impact }, { "up", H_UP, NULL, &v->up },
                { "x", H_X, NULL, &v->x }, { "y", H_Y, NULL, &v->y }, { "z", H_Z, NULL, &v->z },
                { "latency_ms", H_LAT, NULL, &v->latency }, { "jitter_ms", H_JIT, NULL, &v->jitter },
            };
            int done = 0;
            for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
                if (strcmp(key, map[i].k) != 0)
                    continue;
                if (map[i].str) {
                    if (c.p < c.end && *c.p == '"') {
                        if (jstring(&c, map[i].str, 32))
                            return -1;
                        v->have |= map[i].bit;
                        done = 1;
                    }
                } else if (c.p < c.end && (*c.p == '-' || (*c.p >= '0' && *c.p <= '9'))) {
                    if (jnumber(&c, map[i].num))
                        return -1;
                    v->have |= map[i].bit;
                    done = 1;
                }
                break;
            }
            if (!done && jskip(&c, 0))
                return -1;
        next:
            ws(&c);
            if (c.p >= c.end)
                return -1;
            if (*c.p == ',') {
                c.p++;
                continue;
            }
            if (*c.p == '}') {
                c.p++;
                break;
            }
            return -1;
        }
    }
    ws(&c);
    return c.p == c.end ? 0 : -1;
}

static int fail(char *err, size_t err_len, size_t line, const char *what, int code)
{
    if (err && err_len)
        snprintf(err, err_len, "line %zu: %s", line, what);
    return code;
}

void rvsim_labels_free(rvsim_labels *l)
{
    if (!l)
        return;
    free(l->v);
    free(l->room);
    free(l->falls);
    free(l->node_info);
    memset(l, 0, sizeof(*l));
}

/* Room on a slot at the end of *v (n, cap in elements); NULL when out of memory. */
static void *grow(void **v, size_t *n, size_t *cap, size_t elem)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        void *nv = realloc(*v, nc * elem);
        if (!nv)
            return NULL;
        *v = nv;
        *cap = nc;
    }
    return (char *)*v + (*n)++ * elem;
}

static int name_or_none(const line_vals *v)
{
    return (v->have & H_ACTION) ? rvsim_action_from_name(v->action) : RVSIM_ACTION_NONE;
}

/* Room, fall and node lines. 0, or the status with err filled. */
static int parse_typed(const line_vals *v, rvsim_labels *out, size_t line, char *err, size_t err_len)
{
    if (strcmp(v->type, "room") == 0) {
        unsigned need = H_START | H_END | H_ACT | H_OCC | H_PEOPLE;
        if ((v->have & need) != need || v->end < v->start || v->people < 0 || v->people > 65535)
            return fail(err, err_len, line, "room line needs start <= end, activity, occupied "
                        "and people", RVSIM_LABELS_ERR_FIELD);
        if (out->n_room && v->start < out->room[out->n_room - 1].start)
            return fail(err, err_len, line, "room lines must be in time order", RVSIM_LABELS_ERR_FIELD);
        rvsim_label_room *r = grow((void **)&out->room, &out->n_room, &out->cap_room, sizeof(*r));
        if (!r)
            return fail(err, err_len, line, "out of memory", RVSIM_LABELS_ERR_NOMEM);
        r->start = v->start;
        r->end = v->end;
        r->activity = rvsim_activity_from_name(v->activity);
        r->action = name_or_none(v);
        r->occupied = v->occupied;
        r->people = (uint32_t)v->people;
        return 0;
    }
    if (strcmp(v->type, "fall") == 0) {
        unsigned need = H_ONSET | H_IMPACT;
        if ((v->have & need) != need || v->impact < v->onset ||
            ((v->have & H_PERSON) && (v->person < 0 || v->person > 65535)))
            return fail(err, err_len, line, "fall line needs onset <= impact",
                        RVSIM_LABELS_ERR_FIELD);
        rvsim_label_fall *fl = grow((void **)&out->falls, &out->n_falls, &out->cap_falls, sizeof(*fl));
        if (!fl)
            return fail(err, err_len, line, "out of memory", RVSIM_LABELS_ERR_NOMEM);
        fl->person = (v->have & H_PERSON) ? (uint32_t)v->person : 0;
        fl->onset = v->onset;
        fl->impact = v->impact;
        fl->up = (v->have & H_UP) ? v->up : v->impact;
        fl->action = (v->have & H_ACTION) ? rvsim_action_from_name(v->action) : RVSIM_ACTION_FALL;
        return 0;
    }
    /* node */
    if (!(v->have & H_NODE) || v->node < 0 || v->node > 65535 || v->node != floor(v->node))
        return fail(err, err_len, line, "node line needs a node id", RVSIM_LABELS_ERR_FIELD);
    rvsim_label_node *nd = grow((void **)&out->node_info, &out->n_node_info, &out->cap_node_info,
                                sizeof(*nd));
    if (!nd)
        return fail(err, err_len, line, "out of memory", RVSIM_LABELS_ERR_NOMEM);
    nd->node = (uint32_t)v->node;
    nd->x = v->x;
    nd->y = v->y;
    nd->z = v->z;
    nd->latency_ms = (v->have & H_LAT) ? v->latency : 0;
    nd->jitter_ms = (v->have & H_JIT) ? v->jitter : 0;
    return 0;
}

int rvsim_labels_parse(const char *text, size_t len, rvsim_labels *out, char *err, size_t err_len)
{
    if (!out || (!text && len))
        return RVSIM_LABELS_ERR_ARG;
    memset(out, 0, sizeof(*out));
    const char *p = text, *end = text + len;
    size_t line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        line++;
        const char *q = p;
        while (q < le && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q == le) {            /* blank line */
            p = nl ? nl + 1 : end;
            continue;
        }
        line_vals v;
        if (parse_line(p, le, &v)) {
            rvsim_labels_free(out);
            return fail(err, err_len, line, "not a single JSON object", RVSIM_LABELS_ERR_SYNTAX);
        }
        p = nl ? nl + 1 : end;
        if ((v.have & H_TYPE) && strcmp(v.type, "meta") == 0) {
            out->have_meta = true;
            snprintf(out->scenario, sizeof(out->scenario), "%s", (v.have & H_SCEN) ? v.scenario : "");
            out->seed = (v.have & H_SEED) && v.seed >= 0 && v.seed < 1.8e19 ? (uint64_t)v.seed : 0;
            out->nodes = (v.have & H_NODES) && v.nodes >= 0 && v.nodes <= 65535 ? (uint32_t)v.nodes : 0;
            out->people = (v.have & H_PEOPLE) && v.people >= 0 && v.people <= 65535 ? (uint32_t)v.people : 0;
            out->rate_hz = (v.have & H_RATE) ? v.rate : 0;
            out->duration_s = (v.have & H_DUR) ? v.duration : 0;
            out->pcap_epoch = (v.have & H_EPOCH) && v.epoch >= 0 && v.epoch < 1.8e19 ? (uint64_t)v.epoch : 0;
            continue;
        }
        if ((v.have & H_TYPE) && (strcmp(v.type, "room") == 0 || strcmp(v.type, "fall") == 0 ||
                                  strcmp(v.type, "node") == 0)) {
            int st = parse_typed(&v, out, line, err, err_len);
            if (st) {
                rvsim_labels_free(out);
                return st;
            }
            continue;
        }
        if ((v.have & H_TYPE) && strcmp(v.type, "segment") != 0) {
            out->n_events++;
            continue;
        }
        unsigned need = H_NODE | H_START | H_END | H_ACT;
        if ((v.have & need) != need) {
            rvsim_labels_free(out);
            return fail(err, err_len, line, "segment needs node, start, end and activity",
                        RVSIM_LABELS_ERR_FIELD);
        }
        if (v.node < 0 || v.node > 65535 || v.node != floor(v.node) || v.end < v.start ||
            ((v.have & H_PERSON) && (v.person < 0 || v.person > 65535 || v.person != floor(v.person)))) {
            rvsim_labels_free(out);
            return fail(err, err_len, line, "node/person must be small integers and end >= start",
                        RVSIM_LABELS_ERR_FIELD);
        }
        rvsim_label *l = grow((void **)&out->v, &out->n, &out->cap, sizeof(*l));
        if (!l) {
            rvsim_labels_free(out);
            return fail(err, err_len, line, "out of memory", RVSIM_LABELS_ERR_NOMEM);
        }
        memset(l, 0, sizeof(*l));
        l->node = (uint32_t)v.node;
        l->person = (v.have & H_PERSON) ? (uint32_t)v.person : 0;
        l->start = v.start;
        l->end = v.end;
        snprintf(l->activity_name, sizeof(l->activity_name), "%s", v.activity);
        l->activity = rvsim_activity_from_name(v.activity);
        l->breath_bpm = (v.have & H_BREATH) ? v.breath : 0;
        l->heart_bpm = (v.have & H_HEART) ? v.heart : 0;
        l->action = name_or_none(&v);
    }
    return RVSIM_LABELS_OK;
}

int rvsim_labels_read_file(const char *path, rvsim_labels *out, char *err, size_t err_len)
{
    if (!path || !out)
        return RVSIM_LABELS_ERR_ARG;
    memset(out, 0, sizeof(*out));
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, err_len, 0, "cannot open the label file", RVSIM_LABELS_ERR_IO);
    size_t cap = 1 << 14, n = 0;
    char *b = malloc(cap);
    int rc = RVSIM_LABELS_OK;
    while (b) {
        if (n == cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (!b)
        rc = fail(err, err_len, 0, "out of memory", RVSIM_LABELS_ERR_NOMEM);
    else if (ferror(f))
        rc = fail(err, err_len, 0, "read error", RVSIM_LABELS_ERR_IO);
    fclose(f);
    if (rc == RVSIM_LABELS_OK)
        rc = rvsim_labels_parse(b, n, out, err, err_len);
    free(b);
    return rc;
}

int rvsim_labels_activity_at(const rvsim_labels *l, uint32_t node, double t)
{
    int best = -1, bp = -1;
    if (!l)
        return -1;
    for (size_t i = 0; i < l->n; i++) {
        const rvsim_label *x = &l->v[i];
        if (x->node != node || t < x->start || t >= x->end)
            continue;
        int p = x->activity >= 0 ? rvsim_activity_priority(x->activity) : 0;
        if (p > bp) {
            bp = p;
            best = x->activity;
        }
    }
    return best;
}

const rvsim_label_room *rvsim_labels_room_at(const rvsim_labels *l, double t)
{
    if (!l || l->n_room == 0 || t < l->room[0].start)
        return NULL;
    size_t lo = 0, hi = l->n_room;   /* last span with start <= t */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (l->room[mid].start <= t)
            lo = mid;
        else
            hi = mid;
    }
    return t < l->room[lo].end ? &l->room[lo] : NULL;
}
