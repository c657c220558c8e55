/* test_net.c — address and CIDR parsing and matching (rv_net.h): the text
 * forms accepted, every malformed form refused with its status, IPv4-mapped
 * IPv6, list errors located. */
#include <check.h>
#include "check_main.h"
#include <stdlib.h>
#include <string.h>
#include "rv_net.h"

static rv_net_addr addr(const char *s)
{
    rv_net_addr a;
    ck_assert_msg(rv_net_addr_parse(s, strlen(s), &a) == RV_OK, "%s", s);
    return a;
}

/* the address as a pointer to a compound literal, for match calls */
#define A(text) (&(rv_net_addr[1]){addr(text)}[0])

static rv_status cidr(const char *s, rv_net_cidr *c)
{
    return rv_net_cidr_parse(s, strlen(s), c);
}

START_TEST(test_ipv4)
{
    rv_net_addr a = addr("192.168.1.20");
    const uint8_t want[16] = {192, 168, 1, 20};

    ck_assert_int_eq(a.family, RV_NET_IPV4);
    ck_assert_mem_eq(a.addr, want, 16);
    a = addr("0.0.0.0");
    ck_assert_int_eq(a.family, RV_NET_IPV4);
    addr("255.255.255.255");
}
END_TEST

START_TEST(test_ipv6)
{
    static const struct { const char *text; uint8_t bytes[16]; } ok[] = {
        {"::", {0}},
        {"::1", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
        {"fe80::1", {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
        {"2001:DB8:0:0:1:2:3:4", {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4}},
        {"2001:db8::", {0x20, 0x01, 0x0d, 0xb8}},
        {"1:2:3:4:5:6::8", {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 0, 0, 8}},
        {"64:ff9b::10.0.0.1", {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1}},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        rv_net_addr a = addr(ok[i].text);
        ck_assert_int_eq(a.family, RV_NET_IPV6);
        ck_assert_mem_eq(a.addr, ok[i].bytes, 16);
    }
}
END_TEST

START_TEST(test_mapped_is_ipv4)
{
    rv_net_addr a = addr("::ffff:10.1.2.3"), b = addr("10.1.2.3");
    rv_net_cidr c;

    ck_assert_int_eq(a.family, RV_NET_IPV4);
    ck_assert_mem_eq(&a, &b, sizeof a);
    /* a mapped /104 is the IPv4 /8 */
    ck_assert_int_eq(cidr("::ffff:10.0.0.0/104", &c), RV_OK);
    ck_assert_int_eq(c.net.family, RV_NET_IPV4);
    ck_assert_int_eq(c.prefix, 8);
    ck_assert(rv_net_cidr_match(&c, &b));
    /* a socket's mapped address unmaps to the same */
    memset(&a, 0, sizeof a);
    a.family = RV_NET_IPV6;
    a.addr[10] = a.addr[11] = 0xff;
    a.addr[12] = 10, a.addr[13] = 1, a.addr[14] = 2, a.addr[15] = 3;
    rv_net_addr_unmap(&a);
    ck_assert_mem_eq(&a, &b, sizeof a);
}
END_TEST

START_TEST(test_bad_addresses)
{
    static const char *bad[] = {
        "", "1", "1.2.3", "1.2.3.4.5", "1.2.3.256", "01.2.3.4", "1..2.3",
        "1.2.3.4.", " 1.2.3.4", "1.2.3.-4", "a.b.c.d", "1.2.3.4 ",
        ":", ":::", "1:::2", ":1::2", "1::2:", "1::2::3", "12345::",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7::8", "g::1",
        "::1.2.3", "1.2.3.4::", "::1.2.3.4:5", "fe80::1%eth0", "[::1]",
        "1:2:3:4:5:6:7:1.2.3.4", "localhost",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rv_net_addr a;
        ck_assert_msg(rv_net_addr_parse(bad[i], strlen(bad[i]), &a) ==
                      RV_ERR_NET_ADDRESS, "accepted \"%s\"", bad[i]);
    }
    ck_assert_int_eq(rv_net_addr_parse(NULL, 0, NULL), RV_ERR_NULL);
}
END_TEST

START_TEST(test_cidr_parse_and_match)
{
    rv_net_cidr c;

    ck_assert_int_eq(cidr("10.1.2.3/8", &c), RV_OK);    /* host bits cleared */
    ck_assert_int_eq(c.prefix, 8);
    ck_assert(rv_net_cidr_match(&c, &(rv_net_addr){RV_NET_IPV4, {10, 200, 0, 1}}));
    ck_assert(!rv_net_cidr_match(&c, &(rv_net_addr){RV_NET_IPV4, {11, 0, 0, 1}}));
    ck_assert_int_eq(c.net.addr[1], 0);

    ck_assert_int_eq(cidr("192.168.1.0/25", &c), RV_OK);
    ck_assert(rv_net_cidr_match(&c, &(rv_net_addr){RV_NET_IPV4, {192, 168, 1, 127}}));
    ck_assert(!rv_net_cidr_match(&c, &(rv_net_addr){RV_NET_IPV4, {192, 168, 1, 128}}));

    ck_assert_int_eq(cidr("10.0.0.7", &c), RV_OK);      /* a host */
    ck_assert_int_eq(c.prefix, 32);
    ck_assert(!rv_net_cidr_match(&c, &(rv_net_addr){RV_NET_IPV4, {10, 0, 0, 8}}));

    ck_assert_int_eq(cidr("0.0.0.0/0", &c), RV_OK);     /* every IPv4 ... */
    ck_assert(rv_net_cidr_match(&c, &(rv_net_addr){RV_NET_IPV4, {1, 2, 3, 4}}));
    ck_assert(!rv_net_cidr_match(&c, &(rv_net_addr){RV_NET_IPV6, {0}})); /* ... only */

    ck_assert_int_eq(cidr("fd00:1::/32", &c), RV_OK);
    ck_assert_int_eq(c.prefix, 32);
    ck_assert(rv_net_cidr_match(&c, &(rv_net_addr){RV_NET_IPV6, {0xfd, 0, 0, 1, 0xab}}));
    ck_assert(!rv_net_cidr_match(&c, &(rv_net_addr){RV_NET_IPV6, {0xfd, 0, 0, 2}}));
    ck_assert_int_eq(cidr("fd00::1/127", &c), RV_OK);
    ck_assert(rv_net_cidr_match(&c, A("fd00::")));
    ck_assert(!rv_net_cidr_match(&c, A("fd00::2")));
    ck_assert_int_eq(cidr("::1/128", &c), RV_OK);
    ck_assert(rv_net_cidr_match(&c, A("::1")));
}
END_TEST

START_TEST(test_bad_cidrs)
{
    static const struct { const char *text; rv_status st; } bad[] = {
        {"10.0.0.0/33", RV_ERR_NET_PREFIX}, {"10.0.0.0/", RV_ERR_NET_PREFIX},
        {"10.0.0.0/08", RV_ERR_NET_PREFIX}, {"10.0.0.0/8/8", RV_ERR_NET_PREFIX},
        {"10.0.0.0/x", RV_ERR_NET_PREFIX}, {"::/129", RV_ERR_NET_PREFIX},
        {"::/-1", RV_ERR_NET_PREFIX}, {"/8", RV_ERR_NET_ADDRESS},
        {"10.0.0/8", RV_ERR_NET_ADDRESS}, {"host.lan/24", RV_ERR_NET_ADDRESS},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rv_net_cidr c;
        ck_assert_msg(cidr(bad[i].text, &c) == bad[i].st, "%s", bad[i].text);
    }
}
END_TEST

START_TEST(test_lists)
{
    rv_net_cidr c[4];
    size_t n = 99, off = 99, len = 99;
    const char *ok = " 10.0.0.0/8 ,fd00::/8,192.168.1.7";
    const char *bad = "10.0.0.0/8, 10.1.2.300 ,::1";

    ck_assert_int_eq(rv_net_cidr_list_parse("", 0, c, 4, &n, NULL, NULL), RV_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(rv_net_cidr_list_parse(ok, strlen(ok), c, 4, &n, NULL, NULL),
                     RV_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert(rv_net_cidr_list_match(c, n, A("10.9.9.9")));
    ck_assert(rv_net_cidr_list_match(c, n, A("fd12::5")));
    ck_assert(rv_net_cidr_list_match(c, n, A("192.168.1.7")));
    ck_assert(!rv_net_cidr_list_match(c, n, A("192.168.1.8")));
    ck_assert(!rv_net_cidr_list_match(c, 0, A("10.9.9.9")));

    ck_assert_int_eq(rv_net_cidr_list_parse(bad, strlen(bad), c, 4, &n, &off, &len),
                     RV_ERR_NET_ADDRESS);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(off, 12);
    ck_assert_uint_eq(len, 10);                         /* "10.1.2.300" */
    ck_assert_int_eq(rv_net_cidr_list_parse("::1,", 4, c, 4, &n, &off, &len),
                     RV_ERR_NET_ADDRESS);               /* empty entry */
    ck_assert_uint_eq(off, 4);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(rv_net_cidr_list_parse(ok, strlen(ok), c, 2, &n, &off, &len),
                     RV_ERR_SHORT_OUTPUT);
    ck_assert_uint_eq(n, 2);
    /* exactly `len` bytes are read: no NUL needed */
    ck_assert_int_eq(rv_net_cidr_list_parse("10.0.0.1,x", 8, c, 4, &n, NULL, NULL),
                     RV_OK);
    ck_assert_uint_eq(n, 1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("net");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_ipv4);
    tcase_add_test(tc, test_ipv6);
    tcase_add_test(tc, test_mapped_is_ipv4);
    tcase_add_test(tc, test_bad_addresses);
    tcase_add_test(tc, test_cidr_parse_and_match);
    tcase_add_test(tc, test_bad_cidrs);
    tcase_add_test(tc, test_lists);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
