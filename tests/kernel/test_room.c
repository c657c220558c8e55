/* test_room.c — room fusion and fall events (rv_room.h): a single link,
 * links skewed by arrival, a link that goes missing or offline, a weak
 * link outvoted, the room filter (blips, changes), the motion vote, fall
 * alarms confirmed, dropped and cancelled. */
#include <check.h>
#include <string.h>
#include "check_main.h"
#include "rv_room.h"

enum { EMPTY, STILL, WALKING, FALL, LYING, NC };
#define MS 1000000ull
#define S  1000000000ull

static _Alignas(8) unsigned char mem[65536];

static rv_room *make_with(uint64_t tol, uint64_t cancel)
{
    rv_room_config c;
    rv_room *r = NULL;
    rv_room_config_default(&c, NC);
    c.roles[EMPTY] = RV_ROOM_ROLE_PRESENCE | RV_ROOM_ROLE_EMPTY;
    c.roles[STILL] = RV_ROOM_ROLE_PRESENCE;
    c.roles[WALKING] = RV_ROOM_ROLE_UP;
    c.roles[FALL] = RV_ROOM_ROLE_FALL;
    c.roles[LYING] = RV_ROOM_ROLE_PRESENCE | RV_ROOM_ROLE_DOWN;
    c.tolerance_ns = tol;
    c.fall_cancel_ns = cancel;
    ck_assert_uint_le(rv_room_mem_size(), sizeof mem);
    ck_assert_int_eq(rv_room_init(&r, mem, sizeof mem, &c), RV_OK);
    return r;
}

static rv_room *make(uint64_t tol)
{
    return make_with(tol, RV_ROOM_DEFAULT_FALL_CANCEL_NS);
}

/* Probabilities leaning p on class k, the rest shared. */
static void lean(float *lv, int k, float p)
{
    for (int i = 0; i < NC; i++)
        lv[i] = (1.0f - p) / (NC - 1);
    lv[k] = p;
}

typedef struct {
    rv_room_state st;
    int alarms, cancels, changes;
    rv_room_fall last;
} tally;

static void push(rv_room *r, tally *t, uint8_t node, uint64_t ts, int k, float p,
                 int motion)
{
    float lv[NC];
    rv_room_obs o = {0};
    rv_room_fall f;
    int changed;
    lean(lv, k, p);
    o.node = node;
    o.t_ns = ts;
    o.levels = lv;
    o.decision = k;
    o.has_motion = 1;
    o.calibrated = 1;
    o.motion = motion;
    o.threshold = 1.0f;
    o.score = motion ? 4.0f : 0.25f;   /* threshold 1 */
    ck_assert_int_eq(rv_room_push(r, &o, &t->st, &changed, &f), RV_OK);
    t->changes += changed;
    if (f.kind == RV_ROOM_FALL_ALARM)
        t->alarms++;
    if (f.kind == RV_ROOM_FALL_CANCEL)
        t->cancels++;
    if (f.kind != RV_ROOM_FALL_NONE)
        t->last = f;
}

/* n links at 100 Hz from t0 for dur, link i delayed by i * skew. */
static uint64_t run(rv_room *r, tally *t, int nlinks, uint64_t skew, uint64_t t0,
                    uint64_t dur, int k, float p, int motion)
{
    uint64_t ts;
    for (ts = t0; ts < t0 + dur; ts += 10 * MS)
        for (int i = 0; i < nlinks; i++)
            if (ts >= i * skew)
                push(r, t, (uint8_t)(i + 1), ts - i * skew, k, p, motion);
    return ts;
}

START_TEST(single_link)
{
    rv_room *r = make(RV_ROOM_DEFAULT_TOLERANCE_NS);
    tally t = {0};
    run(r, &t, 1, 0, 0, 2 * S, WALKING, 0.8f, 1);
    ck_assert_int_eq(t.st.label, WALKING);
    ck_assert_uint_eq(t.st.links, 1);
    ck_assert(t.st.occupied);
    ck_assert_float_gt(t.st.confidence, 0.5f);
    run(r, &t, 1, 0, 2 * S, 2 * S, EMPTY, 0.8f, 0);
    ck_assert_int_eq(t.st.label, EMPTY);
    ck_assert(!t.st.occupied);
    ck_assert_uint_eq(t.st.t_ns, 4 * S - 10 * MS);
}
END_TEST

START_TEST(skewed_links_aligned)
{
    /* 200 ms between the nodes' arrival: inside 300 ms, all three count;
     * with a 100 ms tolerance only the newest. */
    rv_room *r = make(300 * MS);
    tally t = {0};
    run(r, &t, 3, 100 * MS, 0, 2 * S, STILL, 0.7f, 0);
    ck_assert_uint_eq(t.st.links, 3);
    ck_assert_int_eq(t.st.label, STILL);
    r = make(100 * MS);
    memset(&t, 0, sizeof t);
    run(r, &t, 3, 100 * MS, 0, 2 * S, STILL, 0.7f, 0);
    ck_assert_uint_lt(t.st.links, 3);
}
END_TEST

START_TEST(missing_link_degrades)
{
    rv_room *r = make(RV_ROOM_DEFAULT_TOLERANCE_NS);
    tally t = {0};
    uint64_t ts = run(r, &t, 3, 0, 0, 2 * S, WALKING, 0.7f, 1);
    ck_assert_uint_eq(t.st.links, 3);
    /* node 3 stops sending: gone once past the tolerance */
    ts = run(r, &t, 2, 0, ts, S, WALKING, 0.7f, 1);
    ck_assert_uint_eq(t.st.links, 2);
    ck_assert_int_eq(t.st.label, WALKING);
    /* node 2 reported offline: out at once */
    rv_room_set_node_online(r, 2, 0);
    push(r, &t, 1, ts, WALKING, 0.7f, 1);
    ck_assert_uint_eq(t.st.links, 1);
    ck_assert_int_eq(t.st.label, WALKING);
    ck_assert_uint_eq(rv_room_n_links(r), 3);
}
END_TEST

START_TEST(weak_link_outvoted)
{
    /* Two confident links say walking; one unsure link leans empty. */
    rv_room *r = make(RV_ROOM_DEFAULT_TOLERANCE_NS);
    tally t = {0};
    for (uint64_t ts = 0; ts < 3 * S; ts += 10 * MS) {
        push(r, &t, 1, ts, WALKING, 0.9f, 1);
        push(r, &t, 2, ts, WALKING, 0.9f, 1);
        push(r, &t, 3, ts, EMPTY, 0.3f, 1);
    }
    ck_assert_int_eq(t.st.label, WALKING);
}
END_TEST

START_TEST(filter_ignores_blips_follows_changes)
{
    /* 30 ms of another class does not move the room; a lasting change
     * does, within a fraction of the switch time. */
    rv_room *r = make(RV_ROOM_DEFAULT_TOLERANCE_NS);
    tally t = {0};
    uint64_t ts = run(r, &t, 3, 0, 0, 2 * S, WALKING, 0.7f, 1);
    ck_assert_int_eq(t.st.label, WALKING);
    t.changes = 0;
    ts = run(r, &t, 3, 0, ts, 30 * MS, FALL, 0.8f, 1);
    ts = run(r, &t, 3, 0, ts, S, WALKING, 0.7f, 1);
    ck_assert_int_eq(t.st.label, WALKING);
    ck_assert_int_eq(t.changes, 0);
    uint64_t t0 = ts;
    while (t.st.label != STILL && ts < t0 + 2 * S)
        ts = run(r, &t, 3, 0, ts, 10 * MS, STILL, 0.7f, 0);
    ck_assert_int_eq(t.st.label, STILL);
    ck_assert_uint_le(ts - t0, 500 * MS);
    ck_assert_float_gt(t.st.confidence, 0.5f);
}
END_TEST

START_TEST(motion_vote_gates_room)
{
    /* Every link's detector quiet: presence classes, whatever the models
     * say (on real CSI the models read motion in quiet rooms). */
    rv_room *r = make(RV_ROOM_DEFAULT_TOLERANCE_NS);
    tally t = {0};
    uint64_t ts = run(r, &t, 3, 0, 0, 2 * S, WALKING, 0.7f, 0);
    ck_assert(t.st.label == STILL || t.st.label == EMPTY || t.st.label == LYING);
    /* Two moving links of three (equal quality) carry the vote... */
    for (uint64_t end = ts + S; ts < end; ts += 10 * MS) {
        push(r, &t, 1, ts, WALKING, 0.7f, 1);
        push(r, &t, 2, ts, WALKING, 0.7f, 1);
        push(r, &t, 3, ts, WALKING, 0.7f, 0);
    }
    ck_assert_int_eq(t.st.label, WALKING);
    /* ...one does not. */
    for (uint64_t end = ts + S; ts < end; ts += 10 * MS) {
        push(r, &t, 1, ts, WALKING, 0.7f, 1);
        push(r, &t, 2, ts, WALKING, 0.7f, 0);
        push(r, &t, 3, ts, WALKING, 0.7f, 0);
    }
    ck_assert(t.st.label == STILL || t.st.label == EMPTY || t.st.label == LYING);
}
END_TEST

/* n links: still 2 s, fall 0.7 s, lying `lie`, then walking. */
static void fall_session_n(rv_room *r, tally *t, int n, uint64_t lie)
{
    uint64_t ts = run(r, t, n, 0, 0, 2 * S, STILL, 0.8f, 0);
    ts = run(r, t, n, 0, ts, 700 * MS, FALL, 0.9f, 1);
    ts = run(r, t, n, 0, ts, lie, LYING, 0.8f, 0);
    run(r, t, n, 0, ts, 3 * S, WALKING, 0.8f, 1);
}

static void fall_session(rv_room *r, tally *t, uint64_t lie)
{
    fall_session_n(r, t, 2, lie);
}

START_TEST(fall_confirmed_once)
{
    rv_room *r = make(RV_ROOM_DEFAULT_TOLERANCE_NS);
    tally t = {0};
    fall_session(r, &t, 10 * S);
    ck_assert_int_eq(t.alarms, 1);
    ck_assert_int_eq(t.cancels, 0);
    /* onset: the first frame the room's fall probability crossed */
    ck_assert_uint_ge(t.last.onset_ns, 2 * S);
    ck_assert_uint_le(t.last.onset_ns, 2 * S + 300 * MS);
    ck_assert_uint_ge(t.last.delay_ns, RV_ROOM_DEFAULT_FALL_CONFIRM_NS);
    ck_assert_uint_le(t.last.delay_ns, 5 * S);
    ck_assert_int_ge(t.last.node, 1);
    ck_assert_int_le(t.last.node, 2);
    ck_assert_float_gt(t.last.confidence, 0.5f);
}
END_TEST

START_TEST(fall_survives_up_blip)
{
    /* 150 ms of walking between the impact and lying is not getting up */
    rv_room *r = make(RV_ROOM_DEFAULT_TOLERANCE_NS);
    tally t = {0};
    uint64_t ts = run(r, &t, 2, 0, 0, 2 * S, STILL, 0.8f, 0);
    ts = run(r, &t, 2, 0, ts, 700 * MS, FALL, 0.9f, 1);
    ts = run(r, &t, 2, 0, ts, 150 * MS, WALKING, 0.95f, 1);
    ck_assert_int_eq(t.st.label, WALKING);
    ts = run(r, &t, 2, 0, ts, 10 * S, LYING, 0.8f, 0);
    ck_assert_int_eq(t.alarms, 1);
    ck_assert_int_eq(t.cancels, 0);
}
END_TEST

START_TEST(fall_single_link)
{
    /* a room of one link raises the fall on its own */
    rv_room *r = make(RV_ROOM_DEFAULT_TOLERANCE_NS);
    tally t = {0};
    fall_session_n(r, &t, 1, 10 * S);
    ck_assert_int_eq(t.alarms, 1);
    ck_assert_int_eq(t.last.node, 1);
}
END_TEST

START_TEST(fall_got_up_at_once)
{
    /* up before the confirmation: no alarm at all */
    rv_room *r = make(RV_ROOM_DEFAULT_TOLERANCE_NS);
    tally t = {0};
    fall_session(r, &t, 1 * S);
    ck_assert_int_eq(t.alarms, 0);
    /* up soon after the alarm (within a 2 s cancel window): cancelled
     * with the same onset */
    r = make_with(RV_ROOM_DEFAULT_TOLERANCE_NS, 2 * S);
    memset(&t, 0, sizeof t);
    fall_session(r, &t, 4 * S);
    ck_assert_int_eq(t.alarms, 1);
    ck_assert_int_eq(t.cancels, 1);
    ck_assert_int_eq(t.last.kind, RV_ROOM_FALL_CANCEL);
    ck_assert_uint_ge(t.last.onset_ns, 2 * S);
}
END_TEST

START_TEST(bad_input)
{
    rv_room_config c;
    rv_room *r;
    float lv[NC] = {0};
    rv_room_obs o = {0};
    rv_room_state st;
    rv_room_fall f;
    int ch;
    rv_room_config_default(&c, 0);
    ck_assert_int_eq(rv_room_init(&r, mem, sizeof mem, &c), RV_ERR_ARG);
    rv_room_config_default(&c, RV_ROOM_MAX_CLASSES + 1);
    ck_assert_int_eq(rv_room_init(&r, mem, sizeof mem, &c), RV_ERR_ARG);
    rv_room_config_default(&c, NC);
    ck_assert_int_eq(rv_room_init(&r, mem, 16, &c), RV_ERR_MEM);
    c.fall_confirm_ns = c.fall_window_ns + 1;
    ck_assert_int_eq(rv_room_init(&r, mem, sizeof mem, &c), RV_ERR_ARG);
    r = make(RV_ROOM_DEFAULT_TOLERANCE_NS);
    lv[0] = 0.0f / 0.0f;
    o.levels = lv;
    ck_assert_int_eq(rv_room_push(r, &o, &st, &ch, &f), RV_ERR_NOT_FINITE);
    ck_assert_int_eq(rv_room_push(r, NULL, &st, &ch, &f), RV_ERR_NULL);
    lv[0] = 1.0f;
    for (unsigned i = 0; i < RV_ROOM_MAX_LINKS; i++) {
        o.node = (uint8_t)i;
        ck_assert_int_eq(rv_room_push(r, &o, &st, &ch, &f), RV_OK);
    }
    o.node = 200;
    ck_assert_int_eq(rv_room_push(r, &o, &st, &ch, &f), RV_ERR_FULL);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("room");
    TCase *tc = tcase_create("room");
    tcase_add_test(tc, single_link);
    tcase_add_test(tc, skewed_links_aligned);
    tcase_add_test(tc, missing_link_degrades);
    tcase_add_test(tc, weak_link_outvoted);
    tcase_add_test(tc, filter_ignores_blips_follows_changes);
    tcase_add_test(tc, motion_vote_gates_room);
    tcase_add_test(tc, fall_confirmed_once);
    tcase_add_test(tc, fall_survives_up_blip);
    tcase_add_test(tc, fall_single_link);
    tcase_add_test(tc, fall_got_up_at_once);
    tcase_add_test(tc, bad_input);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(make_suite)
