/*
 * fuzz_cidr.c — libFuzzer target for the address / CIDR list parser
 * (rv_net.h), which reads the allowed-sources property.
 *
 * The input is the property text (not NUL-terminated: the parser must stay
 * within size, ASan watches). Accepted entries must be normalised (prefix
 * within the family, host bits clear, a network matching itself); a
 * refused list must locate its bad entry inside the input.
 */
#include <stdlib.h>
#include <string.h>
#include "rv_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define CAP 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    rv_net_cidr list[CAP];
    size_t n = CAP + 1, off = SIZE_MAX, len = SIZE_MAX;
    rv_status st = rv_net_cidr_list_parse(s, size, list, CAP, &n, &off, &len);
    rv_net_addr a;

    CHECK(rv_status_str(st) != NULL);
    CHECK(n <= CAP);
    if (st != RV_OK) {
        CHECK(st == RV_ERR_NET_ADDRESS || st == RV_ERR_NET_PREFIX ||
              st == RV_ERR_SHORT_OUTPUT);
        CHECK(off <= size && len <= size - off);
    }
    for (size_t i = 0; i < n; i++) {
        const rv_net_cidr *c = &list[i];
        unsigned bits = c->net.family == RV_NET_IPV4 ? 32u : 128u;
        CHECK(c->net.family == RV_NET_IPV4 || c->net.family == RV_NET_IPV6);
        CHECK(c->prefix <= bits);
        for (unsigned b = c->prefix; b < 128u; b++)
            CHECK(!(c->net.addr[b / 8u] & (0x80u >> (b % 8u))));
        CHECK(rv_net_cidr_match(c, &c->net));
        CHECK(rv_net_cidr_list_match(list, n, &c->net));
    }

    st = rv_net_addr_parse(s, size, &a);
    if (st == RV_OK) {
        rv_net_cidr host;
        CHECK(a.family == RV_NET_IPV4 || a.family == RV_NET_IPV6);
        CHECK(rv_net_cidr_parse(s, size, &host) == RV_OK);
        CHECK(rv_net_cidr_match(&host, &a));
        CHECK(host.prefix == (a.family == RV_NET_IPV4 ? 32u : 128u));
    } else {
        CHECK(st == RV_ERR_NET_ADDRESS);
    }
    return 0;
}
