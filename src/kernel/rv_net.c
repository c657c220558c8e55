/* rv_net.c — IPv4/IPv6 address and CIDR text parsing, prefix matching. */
#include "rv_net.h"

#include <string.h>

#include "rv_csi_text_lex.h"

static const uint8_t v4_mapped_prefix[12] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Decimal 0..max with 1..max_digits digits and no leading zero. */
static bool parse_dec(const char *s, size_t len, unsigned max,
                      size_t max_digits, unsigned *out)
{
    unsigned v = 0;

    if (len == 0 || len > max_digits || (len > 1 && s[0] == '0'))
        return false;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i]))
            return false;
        v = v * 10u + (unsigned)(s[i] - '0');
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_ipv4(const char *s, size_t len, uint8_t out[4])
{
    size_t start = 0;

    for (unsigned part = 0; part < 4; part++) {
        size_t end = start;
        unsigned v;

        while (end < len && s[end] != '.')
            end++;
        if ((part < 3) != (end < len))
            return false;       /* too few or too many dots */
        if (!parse_dec(s + start, end - start, 255, 3, &v))
            return false;
        out[part] = (uint8_t)v;
        start = end + 1;
    }
    return true;
}

/* Groups before "::" go to head, after it to tail. */
static bool parse_ipv6(const char *s, size_t len, uint8_t out[16])
{
    uint16_t head[8], tail[8];
    size_t nh = 0, nt = 0, i = 0;
    bool dbl = false;

    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        dbl = true;
        i = 2;
    } else if (len >= 1 && s[0] == ':') {
        return false;
    }
    while (i < len) {
        size_t j = i;
        uint16_t *g = dbl ? tail : head;
        size_t *ng = dbl ? &nt : &nh;

        while (j < len && s[j] != ':')
            j++;
        if (memchr(s + i, '.', j - i)) {
            uint8_t v4[4];
            if (j != len || nh + nt + 2 > 8 || !parse_ipv4(s + i, j - i, v4))
                return false;
            g[(*ng)++] = (uint16_t)(v4[0] << 8 | v4[1]);
            g[(*ng)++] = (uint16_t)(v4[2] << 8 | v4[3]);
            break;
        }
        if (j == i || j - i > 4 || nh + nt >= 8)
            return false;
        {
            unsigned v = 0;
            for (size_t k = i; k < j; k++) {
                int h = rv_lex_hex(s[k]);
                if (h < 0)
                    return false;
                v = v << 4 | (unsigned)h;
            }
            g[(*ng)++] = (uint16_t)v;
        }
        i = j;
        if (i == len)
            break;
        i++;                    /* the ':' */
        if (i < len && s[i] == ':') {
            if (dbl)
                return false;   /* "::" twice */
            dbl = true;
            i++;
        } else if (i == len) {
            return false;       /* trailing single ':' */
        }
    }
    if (dbl ? nh + nt > 7 : nh != 8)
        return false;
    memset(out, 0, 16);
    for (size_t k = 0; k < nh; k++) {
        out[2 * k] = (uint8_t)(head[k] >> 8);
        out[2 * k + 1] = (uint8_t)head[k];
    }
    for (size_t k = 0; k < nt; k++) {
        size_t at = 8 - nt + k;
        out[2 * at] = (uint8_t)(tail[k] >> 8);
        out[2 * at + 1] = (uint8_t)tail[k];
    }
    return true;
}

static bool is_mapped(const rv_net_addr *a)
{
    return a->family == RV_NET_IPV6 &&
           memcmp(a->addr, v4_mapped_prefix, sizeof v4_mapped_prefix) == 0;
}

void rv_net_addr_unmap(rv_net_addr *a)
{
    if (!a || !is_mapped(a))
        return;
    memmove(a->addr, a->addr + 12, 4);
    memset(a->addr + 4, 0, 12);
    a->family = RV_NET_IPV4;
}

/* Without unmapping: a CIDR needs the raw form to adjust its prefix. */
static rv_status parse_addr_raw(const char *s, size_t len, rv_net_addr *out)
{
    memset(out, 0, sizeof *out);
    if (memchr(s, ':', len)) {
        if (!parse_ipv6(s, len, out->addr))
            return RV_ERR_NET_ADDRESS;
        out->family = RV_NET_IPV6;
    } else {
        if (!parse_ipv4(s, len, out->addr))
            return RV_ERR_NET_ADDRESS;
        out->family = RV_NET_IPV4;
    }
    return RV_OK;
}

rv_status rv_net_addr_parse(const char *s, size_t len, rv_net_addr *out)
{
    rv_status st;

    if (!s || !out)
        return RV_ERR_NULL;
    st = parse_addr_raw(s, len, out);
    if (st == RV_OK)
        rv_net_addr_unmap(out);
    return st;
}

static unsigned family_bits(uint8_t family)
{
    return family == RV_NET_IPV4 ? 32u : 128u;
}

static void clear_host_bits(rv_net_cidr *c)
{
    for (unsigned bit = c->prefix; bit < 128u; bit++)
        c->net.addr[bit / 8u] &= (uint8_t)~(0x80u >> (bit % 8u));
}

rv_status rv_net_cidr_parse(const char *s, size_t len, rv_net_cidr *out)
{
    const char *slash;
    size_t alen;
    unsigned prefix;
    rv_status st;

    if (!s || !out)
        return RV_ERR_NULL;
    slash = memchr(s, '/', len);
    alen = slash ? (size_t)(slash - s) : len;
    st = parse_addr_raw(s, alen, &out->net);
    if (st != RV_OK)
        return st;
    prefix = family_bits(out->net.family);
    if (slash && !parse_dec(slash + 1, len - alen - 1, prefix, 3, &prefix))
        return RV_ERR_NET_PREFIX;
    if (is_mapped(&out->net) && prefix >= 96u) {
        rv_net_addr_unmap(&out->net);
        prefix -= 96u;
    }
    out->prefix = (uint8_t)prefix;
    clear_host_bits(out);
    return RV_OK;
}

rv_status rv_net_cidr_list_parse(const char *s, size_t len, rv_net_cidr *out,
                                 size_t cap, size_t *n, size_t *bad_off,
                                 size_t *bad_len)
{
    size_t count = 0, start = 0;
    rv_status st = RV_OK;

    if (!s || !n || (!out && cap))
        return RV_ERR_NULL;
    *n = 0;
    if (len == 0)
        return RV_OK;
    while (start <= len) {
        size_t end = start, a, b;
        rv_net_cidr c;

        while (end < len && s[end] != ',')
            end++;
        a = start;
        b = end;
        while (a < b && s[a] == ' ')
            a++;
        while (b > a && s[b - 1] == ' ')
            b--;
        st = RV_OK;
        if (a == b)
            st = RV_ERR_NET_ADDRESS;
        else if (count == cap)
            st = RV_ERR_SHORT_OUTPUT;
        else
            st = rv_net_cidr_parse(s + a, b - a, &c);
        if (st != RV_OK) {
            if (bad_off)
                *bad_off = a;
            if (bad_len)
                *bad_len = b - a;
            *n = count;
            return st;
        }
        out[count++] = c;
        start = end + 1;
    }
    *n = count;
    return RV_OK;
}

bool rv_net_cidr_match(const rv_net_cidr *c, const rv_net_addr *a)
{
    unsigned full, rest;

    if (!c || !a || c->net.family != a->family)
        return false;
    full = c->prefix / 8u;
    rest = c->prefix % 8u;
    if (memcmp(c->net.addr, a->addr, full) != 0)
        return false;
    if (rest) {
        uint8_t mask = (uint8_t)(0xffu << (8u - rest));
        if ((a->addr[full] & mask) != c->net.addr[full])
            return false;
    }
    return true;
}

bool rv_net_cidr_list_match(const rv_net_cidr *list, size_t n,
                            const rv_net_addr *a)
{
    for (size_t i = 0; i < n; i++)
        if (rv_net_cidr_match(&list[i], a))
            return true;
    return false;
}
