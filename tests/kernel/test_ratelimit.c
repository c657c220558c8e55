/* test_ratelimit.c — per-source token buckets (rv_ratelimit.h): a flood
 * from one source is held to its rate while another source keeps all of
 * its packets, the table stays bounded under a spoofing flood, rate
 * changes, and argument checks. */
#include <check.h>
#include "check_main.h"
#include <stdlib.h>
#include <string.h>
#include "rv_ratelimit.h"

static rv_net_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    rv_net_addr x;
    memset(&x, 0, sizeof x);
    x.family = RV_NET_IPV4;
    x.addr[0] = a, x.addr[1] = b, x.addr[2] = c, x.addr[3] = d;
    return x;
}

static rv_ratelimit *make(uint32_t max_sources, uint32_t rate, uint32_t burst,
                          void **mem)
{
    rv_ratelimit_opts o = {max_sources, rate, burst, 0x1234abcdull};
    size_t size = rv_ratelimit_mem_size(&o);
    rv_ratelimit *rl;

    ck_assert_uint_gt(size, 0);
    *mem = malloc(size);
    rl = rv_ratelimit_init(*mem, size, &o);
    ck_assert_ptr_nonnull(rl);
    return rl;
}

/* 10 s of a 5000 pps flood from one host against a 100 pps limit, while a
 * node on another address sends at 100 Hz: the node loses nothing, the
 * flood gets burst + rate * time. */
START_TEST(test_flood_and_real_node)
{
    void *mem;
    rv_ratelimit *rl = make(64, 100, 50, &mem);
    rv_net_addr flood = v4(10, 0, 0, 66), node = v4(10, 0, 0, 1);
    unsigned flood_ok = 0, node_ok = 0, node_sent = 0;

    for (uint64_t us = 0; us < 10000000u; us += 200) {
        flood_ok += rv_ratelimit_allow(rl, &flood, us);
        if (us % 10000u == 0) {
            node_sent++;
            node_ok += rv_ratelimit_allow(rl, &node, us);
        }
    }
    ck_assert_uint_eq(node_ok, node_sent);
    ck_assert_uint_le(flood_ok, 50 + 100 * 10 + 1);
    ck_assert_uint_ge(flood_ok, 50 + 100 * 10 - 1);
    ck_assert_uint_eq(rv_ratelimit_sources(rl), 2);
    free(mem);
}
END_TEST

/* The default in the plugin: a gateway forwarding 200 nodes at 100 Hz is
 * one source, and it passes. */
START_TEST(test_gateway_passes)
{
    void *mem;
    rv_ratelimit *rl = make(16, 50000, 25000, &mem);
    rv_net_addr gw = v4(192, 168, 1, 2);
    unsigned ok = 0, sent = 0;

    /* 200 packets every 10 ms, all at the same instant (a burst) */
    for (uint64_t us = 0; us < 5000000u; us += 10000)
        for (unsigned n = 0; n < 200; n++, sent++)
            ok += rv_ratelimit_allow(rl, &gw, us);
    ck_assert_uint_eq(ok, sent);
    free(mem);
}
END_TEST

START_TEST(test_spoofing_flood_is_bounded)
{
    void *mem;
    rv_ratelimit *rl = make(32, 10, 5, &mem);
    rv_net_addr node = v4(10, 0, 0, 1);
    unsigned node_ok = 0, node_sent = 0;

    for (uint32_t i = 0; i < 100000; i++) {
        rv_net_addr spoof = v4(100, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i);
        uint64_t us = (uint64_t)i * 100u;
        ck_assert(rv_ratelimit_allow(rl, &spoof, us));  /* fresh bucket each */
        if (i % 1000u == 0) {                            /* 10 Hz node */
            node_sent++;
            node_ok += rv_ratelimit_allow(rl, &node, us);
        }
        ck_assert_uint_le(rv_ratelimit_sources(rl), 32);
    }
    ck_assert_uint_eq(node_ok, node_sent);
    ck_assert_uint_gt(rv_ratelimit_evictions(rl), 99000);
    free(mem);
}
END_TEST

START_TEST(test_lru_keeps_active_sources)
{
    void *mem;
    rv_ratelimit *rl = make(4, 1, 2, &mem);
    rv_net_addr a = v4(1, 1, 1, 1), b = v4(2, 2, 2, 2);

    /* a spends its bucket; b and two others fill the table; a stays
     * recent, so the newcomer evicts the least recent other one */
    ck_assert(rv_ratelimit_allow(rl, &a, 0));
    ck_assert(rv_ratelimit_allow(rl, &a, 0));
    ck_assert(!rv_ratelimit_allow(rl, &a, 0));
    ck_assert(rv_ratelimit_allow(rl, &b, 0));
    ck_assert(rv_ratelimit_allow(rl, &(rv_net_addr){RV_NET_IPV4, {3}}, 0));
    ck_assert(rv_ratelimit_allow(rl, &(rv_net_addr){RV_NET_IPV4, {4}}, 0));
    ck_assert(!rv_ratelimit_allow(rl, &a, 0));          /* a is newest now */
    ck_assert(rv_ratelimit_allow(rl, &(rv_net_addr){RV_NET_IPV4, {5}}, 0));
    ck_assert_uint_eq(rv_ratelimit_evictions(rl), 1);   /* b went */
    ck_assert(!rv_ratelimit_allow(rl, &a, 0));          /* a still empty */
    ck_assert(rv_ratelimit_allow(rl, &a, 1000000));     /* refilled 1/s */
    free(mem);
}
END_TEST

START_TEST(test_rate_change_and_time)
{
    void *mem;
    rv_ratelimit *rl = make(8, 1000, 1000, &mem);
    rv_net_addr a = v4(1, 2, 3, 4), a6;
    unsigned ok = 0;

    for (unsigned i = 0; i < 2000; i++)
        ok += rv_ratelimit_allow(rl, &a, 0);
    ck_assert_uint_eq(ok, 1000);
    ck_assert_int_eq(rv_ratelimit_set_rate(rl, 10, 3), RV_OK);
    ok = 0;
    for (unsigned i = 0; i < 100; i++)              /* a full minute later */
        ok += rv_ratelimit_allow(rl, &a, 60000000u);
    ck_assert_uint_eq(ok, 3);                       /* new depth */
    ck_assert(!rv_ratelimit_allow(rl, &a, 1));      /* time went back */
    ck_assert(rv_ratelimit_allow(rl, &a, 60100000u)); /* +100 ms at 10/s */
    /* the same bytes as IPv6 are another source */
    a6 = a;
    a6.family = RV_NET_IPV6;
    ck_assert(rv_ratelimit_allow(rl, &a6, 60100000u));
    rv_ratelimit_reset(rl);
    ck_assert_uint_eq(rv_ratelimit_sources(rl), 0);
    ck_assert(rv_ratelimit_allow(rl, &a, 60100000u));
    free(mem);
}
END_TEST

START_TEST(test_arguments)
{
    rv_ratelimit_opts o = {16, 10, 5, 1};
    size_t size = rv_ratelimit_mem_size(&o);
    void *mem = calloc(1, size);
    rv_net_addr a = v4(1, 1, 1, 1);

    ck_assert_ptr_null(rv_ratelimit_init(mem, size - 1, &o));
    ck_assert_ptr_null(rv_ratelimit_init(NULL, size, &o));
    o.rate = 0;
    ck_assert_uint_eq(rv_ratelimit_mem_size(&o), 0);
    o.rate = 10, o.burst = 0;
    ck_assert_uint_eq(rv_ratelimit_mem_size(&o), 0);
    o.burst = 5, o.max_sources = 0;
    ck_assert_uint_eq(rv_ratelimit_mem_size(&o), 0);
    o.max_sources = RV_RATELIMIT_MAX_SOURCES + 1;
    ck_assert_ptr_null(rv_ratelimit_init(mem, size, &o));
    ck_assert_uint_eq(rv_ratelimit_mem_size(NULL), 0);
    ck_assert(!rv_ratelimit_allow(NULL, &a, 0));
    ck_assert(!rv_ratelimit_allow((rv_ratelimit *)mem, &a, 0));
    ck_assert_int_eq(rv_ratelimit_set_rate(NULL, 1, 1), RV_ERR_BAD_OBJECT);
    o.max_sources = 16;
    ck_assert_int_eq(rv_ratelimit_set_rate(rv_ratelimit_init(mem, size, &o), 0, 1),
                     RV_ERR_ARG);
    free(mem);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ratelimit");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_flood_and_real_node);
    tcase_add_test(tc, test_gateway_passes);
    tcase_add_test(tc, test_spoofing_flood_is_bounded);
    tcase_add_test(tc, test_lru_keeps_active_sources);
    tcase_add_test(tc, test_rate_change_and_time);
    tcase_add_test(tc, test_arguments);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
