/* test_seq.c — the time-based sequence tracker (rv_seq.h) at 1, 20 and
 * 100 Hz: crash loops, reboots, reordering, duplicates, wrap-around, loss
 * bursts, the firmware's send-rate gate and unknown arrival times. */
#include <check.h>
#include <stdlib.h>
#include "rv_seq.h"

static const unsigned rates[] = {1, 20, 100};

typedef struct {
    unsigned n[RV_SEQ_CLASS_COUNT];
    uint64_t skipped;
} tally;

static rv_seq_class feed(rv_seq_state *s, tally *t, uint32_t seq, uint64_t us)
{
    uint32_t skipped = 0;
    rv_seq_class c = rv_seq_track(s, seq, us, &skipped);
    ck_assert_int_lt(c, RV_SEQ_CLASS_COUNT);
    t->n[c]++;
    t->skipped += skipped;
    if (c != RV_SEQ_GAP)
        ck_assert_uint_eq(skipped, 0);
    return c;
}

/* A node that restarts every boot_us (no boot time: the next slot after a
 * crash carries sequence 0), for `boots` boots at `hz`. Every boot after
 * the first is one reboot; everything else is in order. */
static void crash_loop(unsigned bits, unsigned hz, uint64_t boot_us, unsigned boots,
                       uint64_t boot_silence_us)
{
    rv_seq_state s;
    tally t = {0};
    uint64_t period = 1000000u / hz, now = 5000000u;
    unsigned per_boot = (unsigned)(boot_us / period);

    if (per_boot == 0)
        per_boot = 1;
    ck_assert_int_eq(rv_seq_init(&s, bits), RV_OK);
    for (unsigned b = 0; b < boots; b++) {
        for (unsigned i = 0; i < per_boot; i++) {
            rv_seq_class c = feed(&s, &t, i, now);
            if (b == 0 && i == 0)
                ck_assert_int_eq(c, RV_SEQ_FIRST);
            else if (i == 0)
                ck_assert_msg(c == RV_SEQ_REBOOT, "%u Hz boot %llu us: boot %u got %s",
                              hz, (unsigned long long)boot_us, b, rv_seq_class_name(c));
            else
                ck_assert_msg(c == RV_SEQ_IN_ORDER, "%u Hz: boot %u seq %u got %s", hz,
                              b, i, rv_seq_class_name(c));
            now += period;
        }
        now += boot_silence_us;
    }
    ck_assert_uint_eq(t.n[RV_SEQ_REBOOT], boots - 1);
    ck_assert_uint_eq(t.skipped, 0);
}

START_TEST(test_crash_loops)
{
    /* 1-3 s boots at every rate; at 1 Hz a 1 s boot is a single packet
     * with sequence 0 each time: timing tells it from a duplicate. */
    for (unsigned r = 0; r < 3; r++)
        for (uint64_t boot = 1000000u; boot <= 3000000u; boot += 500000u) {
            crash_loop(32, rates[r], boot, 12, 0);
            crash_loop(16, rates[r], boot, 12, 0);
            crash_loop(32, rates[r], boot, 6, 2000000u);  /* with a boot time */
        }
}
END_TEST

START_TEST(test_reboot_after_2s_keeps_following_packets)
{
    for (unsigned r = 0; r < 3; r++) {
        rv_seq_state s;
        tally t = {0};
        uint64_t period = 1000000u / rates[r], now = 0;
        unsigned n2 = 2u * rates[r];

        rv_seq_init(&s, 32);
        for (unsigned i = 0; i < n2; i++, now += period)
            feed(&s, &t, 1000u + i, now);   /* joined mid-boot */
        ck_assert_int_eq(feed(&s, &t, 0, now), RV_SEQ_REBOOT);
        now += period;
        /* the next two seconds are the new boot, all in order */
        for (unsigned i = 1; i < n2; i++, now += period)
            ck_assert_int_eq(feed(&s, &t, i, now), RV_SEQ_IN_ORDER);
        ck_assert_uint_eq(t.n[RV_SEQ_REBOOT], 1);
        ck_assert_uint_eq(t.n[RV_SEQ_DUPLICATE] + t.n[RV_SEQ_REORDERED], 0);
    }
}
END_TEST

START_TEST(test_long_boot_at_1hz)
{
    /* 25 s of feature packets at 1 Hz, then a reboot: the 20 packets after
     * it are in order, not "backward". */
    rv_seq_state s;
    tally t = {0};
    uint64_t now = 0;

    rv_seq_init(&s, 16);
    for (unsigned i = 0; i < 25; i++, now += 1000000u)
        feed(&s, &t, i, now);
    ck_assert_int_eq(feed(&s, &t, 0, now), RV_SEQ_REBOOT);
    for (unsigned i = 1; i <= 20; i++) {
        now += 1000000u;
        ck_assert_int_eq(feed(&s, &t, i, now), RV_SEQ_IN_ORDER);
    }
}
END_TEST

START_TEST(test_reorder_and_duplicates)
{
    for (unsigned r = 0; r < 3; r++) {
        rv_seq_state s;
        tally t = {0};
        uint64_t period = 1000000u / rates[r], now = 0;
        uint32_t seq = 0;

        rv_seq_init(&s, 32);
        for (unsigned i = 0; i < 10; i++, now += period)
            feed(&s, &t, seq++, now);
        /* seq+1 overtakes seq; seq arrives 2 ms after it */
        ck_assert_int_eq(feed(&s, &t, seq + 1, now), RV_SEQ_GAP);
        ck_assert_int_eq(feed(&s, &t, seq, now + 2000u), RV_SEQ_REORDERED);
        ck_assert_int_eq(feed(&s, &t, seq, now + 3000u), RV_SEQ_DUPLICATE);
        seq += 2;
        now += period;
        ck_assert_int_eq(feed(&s, &t, seq, now), RV_SEQ_IN_ORDER);
        /* an immediate duplicate and a late one of the packet before */
        ck_assert_int_eq(feed(&s, &t, seq, now + 100u), RV_SEQ_DUPLICATE);
        ck_assert_int_eq(feed(&s, &t, seq - 1, now + 900u), RV_SEQ_DUPLICATE);
        seq++;
        now += period;
        /* three packets in reverse order */
        ck_assert_int_eq(feed(&s, &t, seq + 2, now), RV_SEQ_GAP);
        ck_assert_int_eq(feed(&s, &t, seq + 1, now + 1000u), RV_SEQ_REORDERED);
        ck_assert_int_eq(feed(&s, &t, seq, now + 2000u), RV_SEQ_REORDERED);
        ck_assert_int_eq(feed(&s, &t, seq + 3, now + period), RV_SEQ_IN_ORDER);
        ck_assert_uint_eq(t.n[RV_SEQ_REBOOT], 0);
        /* gaps opened by late packets: the reordered ones fill them */
        ck_assert_uint_eq(t.skipped, t.n[RV_SEQ_REORDERED]);
    }
}
END_TEST

START_TEST(test_deep_reorder_scales_with_rate)
{
    /* At 100 Hz a packet 20 numbers (200 ms) late is reordered; at 20 Hz
     * 20 numbers is a second: that is a restart, not a reorder. */
    rv_seq_state s;
    uint64_t now = 0;

    rv_seq_init(&s, 32);
    for (uint32_t i = 0; i < 100; i++, now += 10000u)
        if (i != 80)
            rv_seq_track(&s, i, now, NULL);
    ck_assert_int_eq(rv_seq_track(&s, 80, now, NULL), RV_SEQ_REORDERED);

    rv_seq_init(&s, 32);
    now = 0;
    for (uint32_t i = 100; i < 200; i++, now += 50000u)
        rv_seq_track(&s, i, now, NULL);
    ck_assert_int_eq(rv_seq_track(&s, 179, now, NULL), RV_SEQ_REBOOT);
}
END_TEST

START_TEST(test_wraparound)
{
    for (unsigned r = 0; r < 3; r++) {
        uint64_t period = 1000000u / rates[r];
        for (unsigned bits = 16; bits <= 32; bits += 16) {
            rv_seq_state s;
            tally t = {0};
            uint32_t top = bits == 16 ? 0xffffu : 0xffffffffu;
            uint32_t seq = top - 5u;
            uint64_t now = 0;

            rv_seq_init(&s, bits);
            for (unsigned i = 0; i < 12; i++, now += period, seq = (seq + 1u) & top)
                feed(&s, &t, seq, now);
            ck_assert_uint_eq(t.n[RV_SEQ_IN_ORDER], 11);
            /* a loss burst across the wrap is a gap */
            feed(&s, &t, (seq + 3u) & top, now);
            ck_assert_uint_eq(t.n[RV_SEQ_GAP], 1);
            ck_assert_uint_eq(t.skipped, 3);
            ck_assert_uint_eq(t.n[RV_SEQ_REBOOT], 0);
        }
    }
}
END_TEST

START_TEST(test_u16_reboot_reads_forward)
{
    /* u16 at 40000 -> 0 is 25536 "forward": a restart, not a gap */
    for (unsigned r = 0; r < 3; r++) {
        rv_seq_state s;
        uint64_t period = 1000000u / rates[r], now = 0;
        uint32_t skipped = 1;

        rv_seq_init(&s, 16);
        for (uint32_t i = 39990; i <= 40000; i++, now += period)
            rv_seq_track(&s, i, now, NULL);
        ck_assert_int_eq(rv_seq_track(&s, 0, now, &skipped), RV_SEQ_REBOOT);
        ck_assert_uint_eq(skipped, 0);
        ck_assert_int_eq(rv_seq_track(&s, 1, now + period, NULL), RV_SEQ_IN_ORDER);
    }
}
END_TEST

START_TEST(test_loss_bursts)
{
    for (unsigned r = 0; r < 3; r++) {
        rv_seq_state s;
        tally t = {0};
        uint64_t period = 1000000u / rates[r], now = 0;
        uint64_t lost = 0;
        uint32_t seq = 500;

        srand(7);
        rv_seq_init(&s, 32);
        for (unsigned i = 0; i < 40u * rates[r]; i++, seq++, now += period) {
            /* 30% random loss, and a 3 s outage in the middle */
            int drop = (rand() % 10) < 3 || (i >= 20u * rates[r] && i < 23u * rates[r]);
            if (drop && i > 0) {
                lost++;
                continue;
            }
            feed(&s, &t, seq, now);
        }
        /* the tail may have ended in dropped packets: they are not gaps yet */
        ck_assert_uint_le(t.skipped, lost);
        ck_assert_uint_ge(t.skipped + 12u, lost);
        ck_assert_uint_eq(t.n[RV_SEQ_REBOOT], 0);
        ck_assert_uint_eq(t.n[RV_SEQ_DUPLICATE] + t.n[RV_SEQ_REORDERED], 0);
    }
}
END_TEST

START_TEST(test_send_gate_steps)
{
    /* The firmware counts every CSI callback (100 Hz) but sends 20 Hz: the
     * sequence advances by 5. Those are gaps, and a reboot is still one. */
    rv_seq_state s;
    tally t = {0};
    uint64_t now = 0;
    uint32_t seq = 0;

    rv_seq_init(&s, 32);
    for (unsigned i = 0; i < 100; i++, seq += 5, now += 50000u)
        feed(&s, &t, seq, now);
    ck_assert_uint_eq(t.n[RV_SEQ_GAP], 99);
    ck_assert_uint_eq(t.skipped, 99u * 4u);
    ck_assert_int_eq(feed(&s, &t, seq + 5, now), RV_SEQ_GAP);
    ck_assert_int_eq(feed(&s, &t, seq, now + 1000u), RV_SEQ_REORDERED);
    ck_assert_int_eq(feed(&s, &t, 3, now + 50000u), RV_SEQ_REBOOT);
    ck_assert_uint_eq(rv_seq_interval_us(&s), 50000u);
}
END_TEST

START_TEST(test_interval_follows_rate)
{
    for (unsigned r = 0; r < 3; r++) {
        rv_seq_state s;
        uint64_t period = 1000000u / rates[r], now = 0;

        rv_seq_init(&s, 32);
        ck_assert_uint_eq(rv_seq_interval_us(&s), 0);
        for (uint32_t i = 0; i < 30; i++, now += period)
            rv_seq_track(&s, i, now, NULL);
        ck_assert_uint_eq(rv_seq_interval_us(&s), period);
        /* a 10 s outage does not make the node look slow */
        now += 10000000u;
        rv_seq_track(&s, 30 + (uint32_t)(10000000u / period), now, NULL);
        ck_assert_uint_le(rv_seq_interval_us(&s), period + period / 2);
    }
}
END_TEST

START_TEST(test_silence_then_back_is_reboot)
{
    rv_seq_state s;
    uint64_t now = 0;

    rv_seq_init(&s, 32);
    for (uint32_t i = 0; i < 50; i++, now += 50000u)
        rv_seq_track(&s, 100 + i, now, NULL);
    /* 2 s of nothing, then a number just behind: the node restarted */
    ck_assert_int_eq(rv_seq_track(&s, 148, now + 2000000u, NULL), RV_SEQ_REBOOT);
}
END_TEST

START_TEST(test_unknown_time_counts_only)
{
    rv_seq_state s;

    rv_seq_init(&s, 32);
    ck_assert_int_eq(rv_seq_track(&s, 10, RV_SEQ_TIME_NONE, NULL), RV_SEQ_FIRST);
    ck_assert_int_eq(rv_seq_track(&s, 11, RV_SEQ_TIME_NONE, NULL), RV_SEQ_IN_ORDER);
    ck_assert_int_eq(rv_seq_track(&s, 11, RV_SEQ_TIME_NONE, NULL), RV_SEQ_DUPLICATE);
    ck_assert_int_eq(rv_seq_track(&s, 13, RV_SEQ_TIME_NONE, NULL), RV_SEQ_GAP);
    ck_assert_int_eq(rv_seq_track(&s, 12, RV_SEQ_TIME_NONE, NULL), RV_SEQ_REORDERED);
    ck_assert_int_eq(rv_seq_track(&s, 0, RV_SEQ_TIME_NONE, NULL), RV_SEQ_REBOOT);
}
END_TEST

START_TEST(test_arguments)
{
    rv_seq_state s;

    ck_assert_int_eq(rv_seq_init(NULL, 32), RV_ERR_NULL);
    ck_assert_int_eq(rv_seq_init(&s, 8), RV_ERR_ARG);
    ck_assert_int_eq(rv_seq_init(&s, 16), RV_OK);
    ck_assert_int_eq(rv_seq_track(NULL, 1, 0, NULL), RV_SEQ_FIRST);
    ck_assert_uint_eq(rv_seq_interval_us(NULL), 0);
    ck_assert_str_eq(rv_seq_class_name(RV_SEQ_REBOOT), "reboot");
    ck_assert_str_eq(rv_seq_class_name(RV_SEQ_CLASS_COUNT), "unknown");
    /* u16 trackers ignore the upper bits */
    rv_seq_track(&s, 0x1ffffu, 0, NULL);
    ck_assert_int_eq(rv_seq_track(&s, 0, 10000, NULL), RV_SEQ_IN_ORDER);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("seq");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_crash_loops);
    tcase_add_test(tc, test_reboot_after_2s_keeps_following_packets);
    tcase_add_test(tc, test_long_boot_at_1hz);
    tcase_add_test(tc, test_reorder_and_duplicates);
    tcase_add_test(tc, test_deep_reorder_scales_with_rate);
    tcase_add_test(tc, test_wraparound);
    tcase_add_test(tc, test_u16_reboot_reads_forward);
    tcase_add_test(tc, test_loss_bursts);
    tcase_add_test(tc, test_send_gate_steps);
    tcase_add_test(tc, test_interval_follows_rate);
    tcase_add_test(tc, test_silence_then_back_is_reboot);
    tcase_add_test(tc, test_unknown_time_counts_only);
    tcase_add_test(tc, test_arguments);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
