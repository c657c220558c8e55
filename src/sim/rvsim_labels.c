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
    for (uint32_t node = 1; node <= c->n_nodes; node++)
        for (size_t i = 0; i < rvsim_session_n_segments(s); i++) {
            const rvsim_segment *g = rvsim_session_segment(s, i);
            fprintf(f, "{\"node\":%u,\"person\":%u,\"start\":%.3f,\"end\":%.3f,"
                       "\"activity\":\"%s\",\"breath_bpm\":%.2f,\"heart_bpm\":%.2f}\n",
                    node, g->person, g->start, g->end, rvsim_activity_name(g->activity),
                    g->breath_bpm, g->heart_bpm);
        }
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
    char   type[32], activity[32], scenario[32];
    double node, person, start, end, breath, heart, seed, nodes, people, rate, duration, epoch;
    unsigned have;    /* bit per field below */
} line_vals;

enum { H_TYPE = 1, H_ACT = 2, H_SCEN = 4, H_NODE = 8, H_PERSON = 16, H_START = 32, H_END = 64,
       H_BREATH = 128, H_HEART = 256, H_SEED = 512, H_NODES = 1024, H_PEOPLE = 2048,
       H_RATE = 4096, H_DUR = 8192, H_EPOCH = 16384 };

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
            struct { const char *k; unsigned bit; char *str; double *num; } map[] = {
                { "type", H_TYPE, v->type, NULL }, { "activity", H_ACT, v->activity, NULL },
                { "scenario", H_SCEN, v->scenario, NULL }, { "node", H_NODE, NULL, &v->node },
                { "person", H_PERSON, NULL, &v->person }, { "start", H_START, NULL, &v->start },
                { "end", H_END, NULL, &v->end }, { "breath_bpm", H_BREATH, NULL, &v->breath },
                { "heart_bpm", H_HEART, NULL, &v->heart }, { "seed", H_SEED, NULL, &v->seed },
                { "nodes", H_NODES, NULL, &v->nodes }, { "people", H_PEOPLE, NULL, &v->people },
                { "rate_hz", H_RATE, NULL, &v->rate }, { "duration_s", H_DUR, NULL, &v->duration },
                { "pcap_epoch", H_EPOCH, NULL, &v->epoch },
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
    memset(l, 0, sizeof(*l));
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
        if (out->n == out->cap) {
            size_t nc = out->cap ? out->cap * 2 : 64;
            rvsim_label *nv = realloc(out->v, nc * sizeof(*nv));
            if (!nv) {
                rvsim_labels_free(out);
                return fail(err, err_len, line, "out of memory", RVSIM_LABELS_ERR_NOMEM);
            }
            out->v = nv;
            out->cap = nc;
        }
        rvsim_label *l = &out->v[out->n++];
        memset(l, 0, sizeof(*l));
        l->node = (uint32_t)v.node;
        l->person = (v.have & H_PERSON) ? (uint32_t)v.person : 0;
        l->start = v.start;
        l->end = v.end;
        snprintf(l->activity_name, sizeof(l->activity_name), "%s", v.activity);
        l->activity = rvsim_activity_from_name(v.activity);
        l->breath_bpm = (v.have & H_BREATH) ? v.breath : 0;
        l->heart_bpm = (v.have & H_HEART) ? v.heart : 0;
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
