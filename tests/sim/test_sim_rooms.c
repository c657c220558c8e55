/*
 * test_sim_rooms.c — multi-node rooms and fall truth in librvsim: node
 * latency skew and jitter, random placements, the hard-negative scenarios,
 * and the room / fall / node lines of the label files.
 */
#define _POSIX_C_SOURCE 200809L   /* open_memstream */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rvsim.h"
#include "rvsim_internal.h"   /* body kinematics of the hard negatives */
#include "rvsim_labels.h"
#include "check_main.h"

#define MAX_PKTS 20000

typedef struct {
    double  t;
    uint8_t node;
    uint32_t len;
    uint64_t hash;        /* FNV-1a of the bytes */
    int     label;
} pkt;

static rvsim_config cfg_of(const char *sc, uint64_t seed)
{
    rvsim_config c;
    rvsim_config_default(&c);
    c.scenario = sc;
    c.seed = seed;
    c.n_nodes = 3;
    c.rate_hz = 20;
    c.duration_s = 20;
    return c;
}

static size_t collect(const rvsim_config *c, pkt *out, rvsim_session **keep)
{
    char err[128];
    rvsim_session *s = rvsim_session_new(c, err, sizeof(err));
    ck_assert_msg(s != NULL, "%s", err);
    rvsim_packet p;
    size_t n = 0;
    while (rvsim_session_next(s, &p)) {
        ck_assert_uint_lt(n, MAX_PKTS);
        uint64_t h = 1469598103934665603ull;
        for (size_t i = 0; i < p.len; i++)
            h = (h ^ p.data[i]) * 1099511628211ull;
        /* per-packet room truth: someone there exactly when not empty */
        ck_assert_int_eq(p.people > 0, p.label != RVSIM_ACT_EMPTY);
        ck_assert(p.action >= 0 && p.action < RVSIM_N_ACTIONS);
        out[n++] = (pkt){ p.t, p.node, (uint32_t)p.len, h, p.label };
    }
    if (keep)
        *keep = s;
    else
        rvsim_session_free(s);
    return n;
}

static pkt *buf(void)
{
    pkt *b = calloc(MAX_PKTS, sizeof(pkt));
    ck_assert_ptr_nonnull(b);
    return b;
}

/* Walks node's packets in both runs side by side (a node's link is first
 * in, first out): same count, bytes and labels; delays[i] = b.t - a.t. */
static size_t node_delays(const pkt *pa, size_t na, const pkt *pb, size_t nb, uint8_t node,
                          double *delays)
{
    size_t ia = 0, ib = 0, k = 0;
    for (;;) {
        while (ia < na && pa[ia].node != node)
            ia++;
        while (ib < nb && pb[ib].node != node)
            ib++;
        if (ia == na || ib == nb)
            break;
        ck_assert_uint_eq(pa[ia].hash, pb[ib].hash);
        ck_assert_int_eq(pa[ia].label, pb[ib].label);
        delays[k++] = pb[ib].t - pa[ia].t;
        ia++;
        ib++;
    }
    ck_assert_uint_eq(ia, na);
    ck_assert_uint_eq(ib, nb);
    return k;
}

/* Options off, explicitly or by default: the same session bit for bit. */
START_TEST(test_defaults_unchanged)
{
    rvsim_config a = cfg_of("random", 5), b = a;
    a.feature_state = b.feature_state = true;
    b.placement = RVSIM_PLACE_PERIMETER;
    b.node_skew_ms = 0;
    b.node_jitter_ms = 0;
    pkt *pa = buf(), *pb = buf();
    size_t na = collect(&a, pa, NULL), nb = collect(&b, pb, NULL);
    ck_assert_uint_eq(na, nb);
    ck_assert_int_eq(memcmp(pa, pb, na * sizeof(pkt)), 0);
    free(pa);
    free(pb);
}
END_TEST

/* Skew delays every packet of a node by its latency and changes nothing
 * else: same bytes, same labels, per node in the same order. */
START_TEST(test_skew_applied)
{
    rvsim_config a = cfg_of("walking", 9), b = a;
    b.node_skew_ms = 300;
    pkt *pa = buf(), *pb = buf();
    rvsim_session *sb;
    size_t na = collect(&a, pa, NULL), nb = collect(&b, pb, &sb);
    ck_assert_uint_eq(na, nb);
    double lat[4] = { 0 }, *d = calloc(MAX_PKTS, sizeof(double));
    int distinct = 0;
    for (uint32_t node = 1; node <= 3; node++) {
        ck_assert_int_eq(rvsim_session_node(sb, node, NULL, &lat[node]), 0);
        ck_assert(lat[node] >= 0 && lat[node] <= 0.3);
        distinct += node > 1 && fabs(lat[node] - lat[node - 1]) > 0.01;
        size_t k = node_delays(pa, na, pb, nb, (uint8_t)node, d);
        ck_assert_uint_gt(k, 300);
        for (size_t i = 0; i < k; i++)
            ck_assert_double_eq_tol(d[i], lat[node], 1e-9);
    }
    free(d);
    ck_assert_int_ge(distinct, 1);
    for (size_t i = 1; i < nb; i++)
        ck_assert(pb[i].t >= pb[i - 1].t);
    ck_assert_int_eq(rvsim_session_node(sb, 4, NULL, NULL), -1);
    rvsim_session_free(sb);
    free(pa);
    free(pb);
}
END_TEST

/* Jitter: per-packet extra delay, half-normal with mean 0.8 x scale. */
START_TEST(test_jitter_applied)
{
    rvsim_config a = cfg_of("walking", 9), b = a;
    b.node_jitter_ms = 40;
    pkt *pa = buf(), *pb = buf();
    size_t na = collect(&a, pa, NULL), nb = collect(&b, pb, NULL);
    ck_assert_uint_eq(na, nb);
    /* each packet delayed by its jitter (or queued behind a later one) */
    double sum = 0, mx = 0, *d = calloc(MAX_PKTS, sizeof(double));
    size_t cnt = node_delays(pa, na, pb, nb, 1, d);
    ck_assert_uint_gt(cnt, 300);
    for (size_t i = 0; i < cnt; i++) {
        ck_assert(d[i] >= -1e-9);
        sum += d[i];
        mx = d[i] > mx ? d[i] : mx;
    }
    free(d);
    double mean = sum / (double)cnt;
    ck_assert_msg(mean > 0.025 && mean < 0.040, "mean jitter delay %.4f s", mean);
    ck_assert(mx > 0.06);
    for (size_t i = 1; i < nb; i++)
        ck_assert(pb[i].t >= pb[i - 1].t);
    free(pa);
    free(pb);
}
END_TEST

START_TEST(test_determinism_rooms)
{
    rvsim_config a = cfg_of("falls-hard", 21), c = cfg_of("falls-hard", 22);
    a.placement = c.placement = RVSIM_PLACE_RANDOM;
    a.node_skew_ms = c.node_skew_ms = 150;
    a.node_jitter_ms = c.node_jitter_ms = 20;
    a.feature_state = c.feature_state = true;
    pkt *p1 = buf(), *p2 = buf(), *p3 = buf();
    size_t n1 = collect(&a, p1, NULL), n2 = collect(&a, p2, NULL), n3 = collect(&c, p3, NULL);
    ck_assert_uint_eq(n1, n2);
    ck_assert_int_eq(memcmp(p1, p2, n1 * sizeof(pkt)), 0);
    ck_assert(n1 != n3 || memcmp(p1, p3, n1 * sizeof(pkt)) != 0);
    free(p1);
    free(p2);
    free(p3);
}
END_TEST

START_TEST(test_random_placement)
{
    rvsim_config a = cfg_of("empty", 3);
    a.n_nodes = 4;
    a.placement = RVSIM_PLACE_RANDOM;
    rvsim_config per = a, other = a;
    per.placement = RVSIM_PLACE_PERIMETER;
    other.seed = 4;
    rvsim_session *s = rvsim_session_new(&a, NULL, 0), *s2 = rvsim_session_new(&a, NULL, 0);
    rvsim_session *sp = rvsim_session_new(&per, NULL, 0), *so = rvsim_session_new(&other, NULL, 0);
    ck_assert(s && s2 && sp && so);
    double pos[5][3];
    int moved = 0, differs = 0;
    for (uint32_t n = 1; n <= 4; n++) {
        double q[3], pp[3], po[3];
        ck_assert_int_eq(rvsim_session_node(s, n, pos[n], NULL), 0);
        rvsim_session_node(s2, n, q, NULL);
        rvsim_session_node(sp, n, pp, NULL);
        rvsim_session_node(so, n, po, NULL);
        ck_assert_int_eq(memcmp(pos[n], q, sizeof(q)), 0);         /* seeded */
        moved += fabs(pos[n][0] - pp[0]) + fabs(pos[n][1] - pp[1]) > 0.05;
        differs += fabs(pos[n][0] - po[0]) + fabs(pos[n][1] - po[1]) > 0.05;
        ck_assert(pos[n][2] >= 0.3 && pos[n][2] <= 2.0);
        ck_assert(pos[n][0] >= 0.15 - 1e-9 && pos[n][1] >= 0.15 - 1e-9);
        for (uint32_t m = 1; m < n; m++) {
            double dx = pos[n][0] - pos[m][0], dy = pos[n][1] - pos[m][1], dz = pos[n][2] - pos[m][2];
            ck_assert(sqrt(dx * dx + dy * dy + dz * dz) >= 0.5);
        }
    }
    ck_assert_int_ge(moved, 3);
    ck_assert_int_ge(differs, 3);
    rvsim_session_free(s);
    rvsim_session_free(s2);
    rvsim_session_free(sp);
    rvsim_session_free(so);
}
END_TEST

static rvsim_session *long_session(const char *sc, uint64_t seed, double dur)
{
    rvsim_config c = cfg_of(sc, seed);
    c.n_nodes = 2;
    c.duration_s = dur;
    c.node_skew_ms = 100;
    c.node_jitter_ms = 10;
    rvsim_session *s = rvsim_session_new(&c, NULL, 0);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* Every hard negative and both fall kinds appear in an hour of falls-hard;
 * their segments have the documented shapes. */
START_TEST(test_hard_negatives)
{
    rvsim_session *s = long_session("falls-hard", 1, 3600);
    size_t seen[RVSIM_N_ACTIONS] = { 0 };
    for (size_t i = 0; i < rvsim_session_n_segments(s); i++) {
        const rvsim_segment *g = rvsim_session_segment(s, i);
        ck_assert(g->action >= 0 && g->action < RVSIM_N_ACTIONS);
        seen[g->action]++;
        if (g->action == RVSIM_ACTION_SIT_FAST && g->activity == RVSIM_ACT_SIT_DOWN && g->end < 3600)
            ck_assert(g->end - g->start >= 0.45 - 1e-9 && g->end - g->start <= 0.75 + 1e-9);
        if (g->action == RVSIM_ACTION_WALK_BY)
            ck_assert_uint_eq(g->person, 1);
        if (g->activity == RVSIM_ACT_FALL)
            ck_assert(g->action == RVSIM_ACTION_FALL || g->action == RVSIM_ACTION_FALL_RECOVER);
    }
    for (int a = 1; a < RVSIM_N_ACTIONS; a++)
        ck_assert_msg(seen[a] > 0, "falls-hard lacks %s", rvsim_action_name(a));
    rvsim_session_free(s);

    s = long_session("hard-negatives", 1, 3600);
    for (size_t i = 0; i < rvsim_session_n_segments(s); i++)
        ck_assert_int_ne(rvsim_session_segment(s, i)->activity, RVSIM_ACT_FALL);
    rvsim_session_free(s);
    ck_assert_int_eq(rvsim_action_from_name("kneel"), RVSIM_ACTION_KNEEL);
    ck_assert_int_eq(rvsim_action_from_name("dance"), -1);
    ck_assert_str_eq(rvsim_action_name(RVSIM_ACTION_NONE), "");
    ck_assert_ptr_null(rvsim_action_name(RVSIM_N_ACTIONS));
}
END_TEST

/* Chest height (body point 0) of person p at t; -1 when out of the room. */
static double chest_z(const rvsim_person *p, double t)
{
    rvsim_vec3 pts[RVSIM_BODY_POINTS];
    double rcs[RVSIM_BODY_POINTS];
    return rvsim_body_points(p, t, pts, rcs, NULL, NULL) ? pts[0].z : -1;
}

/* The hard negatives move the body as documented: a jump leaves the
 * floor, lying on a bed stays 0.45 m above lying on the floor, kneeling
 * and picking up go low, a fast sit ends seated within 0.75 s. */
START_TEST(test_hard_negative_bodies)
{
    rvsim_room room;
    rvsim_room_build(&room, "falls-hard", 4);
    rvsim_person people[2];
    uint32_t np = 0;
    char err[64];
    ck_assert_int_eq(rvsim_timeline_build("falls-hard", 4, 3600, &room, people, 2, &np, err,
                                          sizeof(err)), 0);
    ck_assert_uint_eq(np, 2);
    const rvsim_person *p = &people[0];
    int checked[RVSIM_N_ACTIONS] = { 0 };
    for (size_t i = 0; i < p->n_seg; i++) {
        const rvsim_tseg *g = &p->seg[i];
        double mid = 0.5 * (g->t0 + g->t1), z0 = chest_z(p, g->t0 + 1e-6);
        if (g->action == RVSIM_ACTION_JUMP) {
            /* highest chest over the segment: at least 80 % of jump_h up */
            double top = 0;
            for (double t = g->t0; t < g->t1; t += 0.01)
                top = fmax(top, chest_z(p, t) - 1.30);
            ck_assert_msg(top >= 0.8 * g->jump_h && g->jump_h >= 0.15, "jump %.3f of %.3f",
                          top, g->jump_h);
            checked[g->action]++;
        } else if (g->action == RVSIM_ACTION_LIE_BED && g->act == RVSIM_ACT_LYING) {
            ck_assert_double_eq_tol(chest_z(p, mid), 0.67, 0.02);
            checked[g->action]++;
        } else if (g->action == RVSIM_ACTION_FALL && g->act == RVSIM_ACT_LYING) {
            ck_assert_double_eq_tol(chest_z(p, mid), 0.22, 0.02);
            checked[g->action]++;
        } else if ((g->action == RVSIM_ACTION_KNEEL || g->action == RVSIM_ACTION_PICK_UP) &&
                   g->act == RVSIM_ACT_STILL) {
            ck_assert(chest_z(p, mid) < 1.0);
            checked[g->action]++;
        } else if (g->action == RVSIM_ACTION_SIT_FAST) {
            ck_assert(g->t1 - g->t0 <= 0.75 + 1e-9);
            ck_assert_double_eq_tol(z0, 1.30, 0.02);
            ck_assert_double_eq_tol(chest_z(p, g->t1 - 1e-6), 1.00, 0.02);
            /* accelerating like a fall: under a quarter of the drop by half time */
            ck_assert(z0 - chest_z(p, mid) < 0.3 * (1.30 - 1.00));
            checked[g->action]++;
        }
    }
    for (int a = RVSIM_ACTION_FALL; a <= RVSIM_ACTION_PICK_UP; a++)
        if (a != RVSIM_ACTION_FALL_RECOVER)
            ck_assert_msg(checked[a] > 0, "no %s segment checked", rvsim_action_name(a));
    rvsim_person_free(&people[0]);
    rvsim_person_free(&people[1]);
}
END_TEST

static char *write_labels(rvsim_session *s, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(rvsim_labels_write(f, s), RVSIM_LABELS_OK);
    fclose(f);
    return text;
}

/* The label file carries nodes, room truth over the whole session and every
 * fall onset, and they agree with the session. */
START_TEST(test_labels_room_and_falls)
{
    rvsim_session *s = long_session("falls-hard", 2, 900);
    size_t len;
    char *text = write_labels(s, &len), err[128];
    rvsim_labels l;
    ck_assert_msg(rvsim_labels_parse(text, len, &l, err, sizeof(err)) == RVSIM_LABELS_OK, "%s", err);
    ck_assert_uint_eq(l.n_events, 0);
    ck_assert_uint_eq(l.n_node_info, 2);
    for (uint32_t i = 0; i < 2; i++) {
        double xyz[3], lat;
        rvsim_session_node(s, i + 1, xyz, &lat);
        ck_assert_uint_eq(l.node_info[i].node, i + 1);
        ck_assert_double_eq_tol(l.node_info[i].latency_ms, lat * 1e3, 0.06);
        ck_assert_double_eq_tol(l.node_info[i].x, xyz[0], 6e-4);
        ck_assert_double_eq_tol(l.node_info[i].jitter_ms, 10, 1e-9);
    }
    /* room spans: contiguous over [0, 900), neighbours differ, truth agrees */
    ck_assert_uint_gt(l.n_room, 10);
    ck_assert_double_eq(l.room[0].start, 0);
    ck_assert_double_eq_tol(l.room[l.n_room - 1].end, 900, 1e-9);
    for (size_t i = 0; i < l.n_room; i++) {
        const rvsim_label_room *r = &l.room[i];
        if (i)
            ck_assert_double_eq(r->start, l.room[i - 1].end);
        ck_assert(r->activity >= 0 && r->action >= 0);
        ck_assert(r->occupied == (r->people > 0));
        ck_assert(r->occupied == (r->activity != RVSIM_ACT_EMPTY));
        rvsim_room_truth tr;
        double mid = 0.5 * (r->start + r->end);
        rvsim_session_room_at(s, mid, &tr);
        ck_assert_int_eq(tr.activity, r->activity);
        ck_assert_int_eq(tr.action, r->action);
        ck_assert_uint_eq(tr.people, r->people);
        ck_assert_ptr_eq(rvsim_labels_room_at(&l, mid), r);
        ck_assert_ptr_eq(rvsim_labels_room_at(&l, r->start), r);
    }
    ck_assert_ptr_null(rvsim_labels_room_at(&l, -1));
    ck_assert_ptr_null(rvsim_labels_room_at(&l, 900.5));
    /* falls: one per fall segment, in onset order, room says fall there */
    size_t n_fall_segs = 0;
    for (size_t i = 0; i < rvsim_session_n_segments(s); i++)
        n_fall_segs += rvsim_session_segment(s, i)->activity == RVSIM_ACT_FALL;
    ck_assert_uint_gt(l.n_falls, 0);
    ck_assert_uint_eq(l.n_falls, n_fall_segs);
    for (size_t i = 0; i < l.n_falls; i++) {
        const rvsim_label_fall *fl = &l.falls[i];
        if (i)
            ck_assert(fl->onset >= l.falls[i - 1].onset);
        ck_assert(fl->impact - fl->onset >= 0.5 - 1e-3 && fl->impact - fl->onset <= 0.9 + 1e-3);
        ck_assert(fl->up >= fl->impact);
        ck_assert(fl->action == RVSIM_ACTION_FALL || fl->action == RVSIM_ACTION_FALL_RECOVER);
        if (fl->action == RVSIM_ACTION_FALL_RECOVER && fl->up < 900)
            ck_assert(fl->up - fl->impact <= 2.0 + 1e-3);
        const rvsim_label_room *r = rvsim_labels_room_at(&l, fl->onset + 0.2);
        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(r->activity, RVSIM_ACT_FALL);
    }
    /* segment lines carry their action */
    size_t with_action = 0;
    for (size_t i = 0; i < l.n; i++)
        with_action += l.v[i].action > 0;
    ck_assert_uint_gt(with_action, 0);
    rvsim_labels_free(&l);
    free(text);
    rvsim_session_free(s);
}
END_TEST

START_TEST(test_labels_reject)
{
    static const char *const bad[] = {
        "{\"type\":\"room\",\"start\":0,\"end\":1,\"activity\":\"still\",\"people\":1}\n",
        "{\"type\":\"room\",\"start\":2,\"end\":1,\"activity\":\"still\",\"occupied\":true,\"people\":1}\n",
        "{\"type\":\"room\",\"start\":0,\"end\":1,\"activity\":\"still\",\"occupied\":maybe,\"people\":1}\n",
        /* two lines out of order, one file */
        ("{\"type\":\"room\",\"start\":5,\"end\":6,\"activity\":\"still\",\"occupied\":true,\"people\":1}\n"
         "{\"type\":\"room\",\"start\":1,\"end\":5,\"activity\":\"still\",\"occupied\":true,\"people\":1}\n"),
        "{\"type\":\"fall\",\"onset\":3}\n",
        "{\"type\":\"fall\",\"onset\":3,\"impact\":2}\n",
        "{\"type\":\"node\",\"x\":1}\n",
        "{\"type\":\"node\",\"node\":1.5}\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        rvsim_labels l;
        char err[128] = "";
        int st = rvsim_labels_parse(bad[i], strlen(bad[i]), &l, err, sizeof(err));
        ck_assert_msg(st == RVSIM_LABELS_ERR_FIELD || st == RVSIM_LABELS_ERR_SYNTAX,
                      "accepted: %s", bad[i]);
        ck_assert_msg(strncmp(err, "line ", 5) == 0, "no line in '%s'", err);
    }
    const char *ok = "{\"type\":\"room\",\"start\":0,\"end\":1,\"activity\":\"still\","
                     "\"action\":\"kneel\",\"occupied\":true,\"people\":1}\n"
                     "{\"type\":\"fall\",\"onset\":3,\"impact\":3.5}\n";
    rvsim_labels l;
    ck_assert_int_eq(rvsim_labels_parse(ok, strlen(ok), &l, NULL, 0), RVSIM_LABELS_OK);
    ck_assert_uint_eq(l.n_room, 1);
    ck_assert_int_eq(l.room[0].action, RVSIM_ACTION_KNEEL);
    ck_assert_uint_eq(l.n_falls, 1);
    ck_assert_int_eq(l.falls[0].action, RVSIM_ACTION_FALL);
    ck_assert_double_eq(l.falls[0].up, 3.5);
    rvsim_labels_free(&l);
}
END_TEST

START_TEST(test_bad_room_config)
{
    rvsim_config c = cfg_of("demo", 1);
    char err[128];
    c.node_skew_ms = -1;
    ck_assert_ptr_null(rvsim_session_new(&c, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "skew"));
    c = cfg_of("demo", 1);
    c.node_jitter_ms = NAN;
    ck_assert_ptr_null(rvsim_session_new(&c, err, sizeof(err)));
    c = cfg_of("demo", 1);
    c.placement = (rvsim_placement)7;
    ck_assert_ptr_null(rvsim_session_new(&c, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "placement"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sim_rooms");
    TCase *tc = tcase_create("rooms");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_defaults_unchanged);
    tcase_add_test(tc, test_skew_applied);
    tcase_add_test(tc, test_jitter_applied);
    tcase_add_test(tc, test_determinism_rooms);
    tcase_add_test(tc, test_random_placement);
    tcase_add_test(tc, test_hard_negatives);
    tcase_add_test(tc, test_hard_negative_bodies);
    tcase_add_test(tc, test_labels_room_and_falls);
    tcase_add_test(tc, test_labels_reject);
    tcase_add_test(tc, test_bad_room_config);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
