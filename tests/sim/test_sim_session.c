/*
 * test_sim_session.c — librvsim sessions: packets are valid node packets,
 * determinism, impairments, reboot, timelines and configuration errors.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv_wire.h"
#include "rvsim.h"
#include "check_main.h"

static rvsim_config base_cfg(const char *sc, uint64_t seed)
{
    rvsim_config c;
    rvsim_config_default(&c);
    c.scenario = sc;
    c.seed = seed;
    c.n_nodes = 3;
    c.rate_hz = 50;
    c.duration_s = 10;
    return c;
}

/* FNV-1a over every packet's time, node and bytes. */
static uint64_t session_hash(const rvsim_config *c, size_t *count)
{
    rvsim_session *s = rvsim_session_new(c, NULL, 0);
    ck_assert_ptr_nonnull(s);
    uint64_t h = 1469598103934665603ull;
    rvsim_packet p;
    size_t n = 0;
    while (rvsim_session_next(s, &p)) {
        uint8_t hdr[9];
        memcpy(hdr, &p.t, 8);
        hdr[8] = p.node;
        for (size_t i = 0; i < 9; i++)
            h = (h ^ hdr[i]) * 1099511628211ull;
        for (size_t i = 0; i < p.len; i++)
            h = (h ^ p.data[i]) * 1099511628211ull;
        n++;
    }
    rvsim_session_free(s);
    if (count)
        *count = n;
    return h;
}

START_TEST(test_determinism)
{
    rvsim_config a = base_cfg("random", 42), b = base_cfg("random", 43);
    a.feature_state = b.feature_state = true;
    size_t na, nb;
    uint64_t h1 = session_hash(&a, &na), h2 = session_hash(&a, NULL), h3 = session_hash(&b, &nb);
    ck_assert_uint_eq(h1, h2);
    ck_assert_uint_ne(h1, h3);
    ck_assert_uint_gt(na, 0);
}
END_TEST

START_TEST(test_packets_valid)
{
    const char *const *names = rvsim_scenario_names();
    for (size_t si = 0; names[si]; si++) {
        rvsim_config c = base_cfg(names[si], 7);
        c.feature_state = true;
        c.vitals = true;
        rvsim_session *s = rvsim_session_new(&c, NULL, 0);
        ck_assert_ptr_nonnull(s);
        uint32_t next_seq[4] = { 0 };
        size_t n_csi[4] = { 0 }, n_fs = 0, n_vit = 0;
        double last_t = 0;
        rvsim_packet p;
        while (rvsim_session_next(s, &p)) {
            ck_assert(p.t >= last_t);
            ck_assert(p.t < c.duration_s + 0.01);
            last_t = p.t;
            ck_assert(p.node >= 1 && p.node <= 3);
            ck_assert(p.label >= 0 && p.label < RVSIM_N_ACTIVITIES);
            ck_assert_int_eq(p.label, rvsim_session_label_at(s, p.t) >= 0 ? p.label : -1);
            rv_pkt pk;
            ck_assert_int_eq(rv_pkt_decode(p.data, p.len, &pk), RV_OK);
            ck_assert_uint_eq(pk.magic, p.magic);
            ck_assert_uint_eq(rv_pkt_node_id(&pk), p.node);
            if (pk.kind == RV_PKT_CSI_RAW) {
                ck_assert_uint_eq(pk.u.csi.n_subcarriers, 64);
                ck_assert_uint_eq(pk.u.csi.n_antennas, 1);
                ck_assert_uint_eq(pk.u.csi.freq_mhz, 2437);
                ck_assert_uint_eq(p.len, 148);
                ck_assert_uint_eq(pk.u.csi.seq, next_seq[p.node]);
                next_seq[p.node]++;
                ck_assert(pk.u.csi.rssi < -10 && pk.u.csi.rssi > -100);
                /* nulls at DC and guards, energy elsewhere, int8 range used */
                int peak = 0;
                for (int k = 0; k < 64; k++) {
                    int ak = k < 32 ? k : 64 - k;
                    int im = pk.u.csi.iq[2 * k], re = pk.u.csi.iq[2 * k + 1];
                    if (ak == 0 || ak > 26)
                        ck_assert(im == 0 && re == 0);
                    peak = abs(im) > peak ? abs(im) : peak;
                    peak = abs(re) > peak ? abs(re) : peak;
                }
                ck_assert(peak > 80 && peak <= 100);
                n_csi[p.node]++;
            } else if (pk.kind == RV_PKT_FEATURE_STATE) {
                ck_assert(pk.u.state.presence >= 0 && pk.u.state.presence <= 1);
                n_fs++;
            } else {
                ck_assert_int_eq(pk.kind, RV_PKT_VITALS);
                n_vit++;
            }
        }
        for (int nd = 1; nd <= 3; nd++)
            ck_assert(n_csi[nd] >= 495 && n_csi[nd] <= 501);
        ck_assert(n_fs >= 3 * 49 && n_fs <= 3 * 50);
        ck_assert(n_vit >= 3 * 9 && n_vit <= 3 * 10);
        rvsim_session_free(s);
    }
}
END_TEST

START_TEST(test_192_subcarriers)
{
    rvsim_config c = base_cfg("walking", 3);
    c.n_subcarriers = 192;
    c.duration_s = 1;
    rvsim_session *s = rvsim_session_new(&c, NULL, 0);
    ck_assert_ptr_nonnull(s);
    rvsim_packet p;
    ck_assert_int_eq(rvsim_session_next(s, &p), 1);
    ck_assert_uint_eq(p.len, 404);
    rv_csi_frame f;
    ck_assert_int_eq(rv_csi_frame_decode(p.data, p.len, &f), RV_OK);
    ck_assert_uint_eq(f.n_subcarriers, 192);
    /* HT-LTF (second field) carries |k| = 27, 28 too; LLTF does not */
    ck_assert(f.iq[2 * 27] == 0 && f.iq[2 * 27 + 1] == 0);
    ck_assert(f.iq[2 * (64 + 27)] != 0 || f.iq[2 * (64 + 27) + 1] != 0);
    rvsim_session_free(s);
}
END_TEST

/* Number of CSI frames of an empty room whose I/Q bytes differ from the
 * previous frame's; *n_frames gets the count of CSI frames. */
static size_t empty_room_changes(bool ideal, size_t *n_frames)
{
    rvsim_config c = base_cfg("empty", 11);
    c.n_nodes = 1;
    c.duration_s = 4;
    c.ideal_receiver = ideal;
    rvsim_session *s = rvsim_session_new(&c, NULL, 0);
    ck_assert_ptr_nonnull(s);
    int8_t prev[128];
    size_t changed = 0, n = 0;
    rvsim_packet p;
    while (rvsim_session_next(s, &p)) {
        rv_csi_frame f;
        if (p.magic != RV_MAGIC_CSI_RAW)
            continue;
        ck_assert_int_eq(rv_csi_frame_decode(p.data, p.len, &f), RV_OK);
        ck_assert_uint_eq(f.n_subcarriers, 64);
        if (n > 0 && memcmp(prev, f.iq, sizeof prev) != 0)
            changed++;
        memcpy(prev, f.iq, sizeof prev);
        n++;
    }
    rvsim_session_free(s);
    *n_frames = n;
    return changed;
}

/* Without noise and per-packet offsets a static room gives the same bytes
 * every frame; a real receiver changes them on every packet. The packet
 * stream (times, count) is the same either way. */
START_TEST(test_ideal_receiver)
{
    size_t n_ideal, n_real;
    ck_assert_uint_eq(empty_room_changes(true, &n_ideal), 0);
    ck_assert_uint_eq(empty_room_changes(false, &n_real), n_real - 1);
    ck_assert_uint_eq(n_ideal, n_real);
    ck_assert_uint_gt(n_ideal, 100);
}
END_TEST

START_TEST(test_impairments)
{
    rvsim_config c = base_cfg("walking", 5);
    c.n_nodes = 1;
    c.duration_s = 20;
    size_t clean;
    session_hash(&c, &clean);
    ck_assert_uint_eq(clean, 1000);

    c.loss = 0.2;
    size_t lossy;
    session_hash(&c, &lossy);
    ck_assert(lossy > 740 && lossy < 860);

    c.loss = 0;
    c.dup = 0.1;
    rvsim_session *s = rvsim_session_new(&c, NULL, 0);
    rvsim_packet p;
    uint8_t prev[512];
    size_t prev_len = 0, dups = 0;
    while (rvsim_session_next(s, &p)) {
        if (p.flags & RVSIM_PKT_DUPLICATE) {
            ck_assert_uint_eq(p.len, prev_len);
            ck_assert_mem_eq(p.data, prev, p.len);
            dups++;
        }
        memcpy(prev, p.data, p.len);
        prev_len = p.len;
    }
    rvsim_session_free(s);
    ck_assert(dups > 60 && dups < 140);

    c.dup = 0;
    c.reorder = 0.1;
    s = rvsim_session_new(&c, NULL, 0);
    uint32_t last = 0, inversions = 0, total = 0;
    int first = 1;
    while (rvsim_session_next(s, &p)) {
        rv_csi_frame f;
        ck_assert_int_eq(rv_csi_frame_decode(p.data, p.len, &f), RV_OK);
        if (!first && f.seq < last) {
            inversions++;
            ck_assert(p.flags & RVSIM_PKT_REORDERED);
        }
        first = 0;
        last = f.seq;
        total++;
    }
    rvsim_session_free(s);
    ck_assert_uint_eq(total, 1000);        /* reordering loses nothing */
    ck_assert(inversions > 50 && inversions < 130);
}
END_TEST

START_TEST(test_reboot)
{
    rvsim_config c = base_cfg("empty", 9);
    c.n_nodes = 2;
    c.reboot_at_s = 4.0;
    c.reboot_node = 2;
    rvsim_session *s = rvsim_session_new(&c, NULL, 0);
    ck_assert_ptr_nonnull(s);
    rvsim_packet p;
    uint32_t max_before = 0, after_first = UINT32_MAX;
    int silent_ok = 1;
    while (rvsim_session_next(s, &p)) {
        rv_csi_frame f;
        ck_assert_int_eq(rv_csi_frame_decode(p.data, p.len, &f), RV_OK);
        if (p.node != 2)
            continue;
        if (p.t < 4.0)
            max_before = f.seq;
        else if (p.t < 6.0)
            silent_ok = 0;
        else if (after_first == UINT32_MAX) {
            after_first = f.seq;
            ck_assert(p.flags & RVSIM_PKT_AFTER_REBOOT);
        }
    }
    rvsim_session_free(s);
    ck_assert(silent_ok);
    ck_assert_uint_gt(max_before, 150);
    ck_assert_uint_eq(after_first, 0);
}
END_TEST

START_TEST(test_timelines)
{
    const char *const *names = rvsim_scenario_names();
    int seen[RVSIM_N_ACTIVITIES] = { 0 };
    for (size_t si = 0; names[si]; si++) {
        rvsim_config c = base_cfg(names[si], 11);
        c.duration_s = 300;
        rvsim_session *s = rvsim_session_new(&c, NULL, 0);
        ck_assert_ptr_nonnull(s);
        /* per person: contiguous cover of [0, duration) */
        for (uint32_t person = 0; person < rvsim_session_n_people(s); person++) {
            double t = 0;
            for (size_t i = 0; i < rvsim_session_n_segments(s); i++) {
                const rvsim_segment *g = rvsim_session_segment(s, i);
                if (g->person != person)
                    continue;
                ck_assert(fabs(g->start - t) < 1e-9);
                ck_assert(g->end > g->start);
                ck_assert(g->activity >= 0 && g->activity < RVSIM_N_ACTIVITIES);
                if (g->activity == RVSIM_ACT_FALL && g->end < c.duration_s)
                    ck_assert(g->end - g->start >= 0.5 - 1e-9 && g->end - g->start <= 0.9 + 1e-9);
                if (g->activity == RVSIM_ACT_APNEA || g->activity == RVSIM_ACT_EMPTY)
                    ck_assert(g->breath_bpm == 0);
                else
                    ck_assert(g->breath_bpm >= 8 && g->breath_bpm <= 25);
                seen[g->activity]++;
                t = g->end;
            }
            ck_assert(fabs(t - c.duration_s) < 1e-9);
        }
        if (strcmp(names[si], "demo") == 0) {
            /* the demo tours every activity */
            for (int a = 0; a < RVSIM_N_ACTIVITIES; a++)
                ck_assert_msg(seen[a] > 0, "demo lacks %s", rvsim_activity_name(a));
        }
        if (strcmp(names[si], "mixed") == 0)
            ck_assert_uint_eq(rvsim_session_n_people(s), 2);
        rvsim_session_free(s);
    }
}
END_TEST

START_TEST(test_bad_config)
{
    char err[128];
    rvsim_config c = base_cfg("demo", 1);
    ck_assert_ptr_null(rvsim_session_new(NULL, err, sizeof(err)));
    c.n_nodes = 0;
    ck_assert_ptr_null(rvsim_session_new(&c, err, sizeof(err)));
    ck_assert(strstr(err, "nodes") != NULL);
    c = base_cfg("demo", 1);
    c.rate_hz = 0.5;
    ck_assert_ptr_null(rvsim_session_new(&c, err, sizeof(err)));
    ck_assert(strstr(err, "rate") != NULL);
    c = base_cfg("nonsense", 1);
    ck_assert_ptr_null(rvsim_session_new(&c, err, sizeof(err)));
    ck_assert(strstr(err, "scenario") != NULL);
    c = base_cfg("demo", 1);
    c.loss = 1.5;
    ck_assert_ptr_null(rvsim_session_new(&c, err, sizeof(err)));
    c = base_cfg("demo", 1);
    c.duration_s = NAN;
    ck_assert_ptr_null(rvsim_session_new(&c, err, sizeof(err)));
    c = base_cfg("demo", 1);
    c.n_subcarriers = 128;
    ck_assert_ptr_null(rvsim_session_new(&c, err, sizeof(err)));
    c = base_cfg("demo", 1);
    c.reboot_at_s = 1;
    c.reboot_node = 9;
    ck_assert_ptr_null(rvsim_session_new(&c, err, sizeof(err)));
    ck_assert_int_eq(rvsim_activity_from_name("walking"), RVSIM_ACT_WALKING);
    ck_assert_int_eq(rvsim_activity_from_name("dancing"), -1);
    ck_assert_ptr_null(rvsim_activity_name(RVSIM_N_ACTIVITIES));
    ck_assert_ptr_null(rvsim_scenario_description("nope"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sim_session");
    TCase *tc = tcase_create("session");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_determinism);
    tcase_add_test(tc, test_packets_valid);
    tcase_add_test(tc, test_192_subcarriers);
    tcase_add_test(tc, test_impairments);
    tcase_add_test(tc, test_ideal_receiver);
    tcase_add_test(tc, test_reboot);
    tcase_add_test(tc, test_timelines);
    tcase_add_test(tc, test_bad_config);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
