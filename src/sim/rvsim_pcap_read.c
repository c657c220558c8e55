/*
 * rvsim_pcap_read.c — classic pcap reader yielding UDP payloads. Every read
 * is bounds-checked against the record (and the record against the file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rvsim_pcap.h"

const char *rvsim_pcap_status_str(int st)
{
    switch (st) {
    case RVSIM_PCAP_OK: return "ok";
    case RVSIM_PCAP_END: return "end of capture";
    case RVSIM_PCAP_ERR_IO: return "cannot read or write the file";
    case RVSIM_PCAP_ERR_NOMEM: return "out of memory";
    case RVSIM_PCAP_ERR_SHORT_HEADER: return "file shorter than the 24-byte pcap header";
    case RVSIM_PCAP_ERR_MAGIC: return "not a classic pcap file (bad magic; pcapng is not supported)";
    case RVSIM_PCAP_ERR_VERSION: return "unsupported pcap version";
    case RVSIM_PCAP_ERR_LINKTYPE: return "unsupported link type";
    case RVSIM_PCAP_ERR_RECORD_HEADER: return "file ends inside a record header";
    case RVSIM_PCAP_ERR_RECORD_TRUNC: return "file ends inside a record";
    case RVSIM_PCAP_ERR_CAPLEN: return "record length invalid (caplen > orig_len or too large)";
    case RVSIM_PCAP_ERR_TIMESTAMP: return "record timestamp fraction out of range";
    case RVSIM_PCAP_ERR_ARG: return "invalid argument";
    }
    return "unknown pcap status";
}

static uint32_t rd32(const uint8_t *p, bool swap)
{
    uint32_t le = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    uint32_t be = (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
    return swap ? be : le;
}

static uint16_t rd16(const uint8_t *p, bool swap)
{
    return swap ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

#define LT_NULL     0u
#define LT_ETHERNET 1u
#define LT_RAW      101u
#define LT_SLL      113u
#define LT_IPV4     228u
#define LT_IPV6     229u
#define LT_SLL2     276u

int rvsim_pcap_reader_open_mem(rvsim_pcap_reader *r, const uint8_t *buf, size_t len)
{
    if (!r || (!buf && len))
        return RVSIM_PCAP_ERR_ARG;
    memset(r, 0, sizeof(*r));
    r->buf = buf;
    r->len = len;
    if (len < 24)
        return RVSIM_PCAP_ERR_SHORT_HEADER;
    uint32_t m = rd32(buf, false);
    switch (m) {
    case 0xA1B2C3D4u: break;
    case 0xD4C3B2A1u: r->swap = true; break;
    case 0xA1B23C4Du: r->nsec = true; break;
    case 0x4D3CB2A1u: r->swap = true; r->nsec = true; break;
    default: return RVSIM_PCAP_ERR_MAGIC;
    }
    if (rd16(buf + 4, r->swap) != 2)
        return RVSIM_PCAP_ERR_VERSION;
    r->snaplen = rd32(buf + 16, r->swap);
    /* The upper bits of the link-type field carry FCS info; the type is the low 16. */
    r->linktype = rd32(buf + 20, r->swap) & 0xFFFFu;
    switch (r->linktype) {
    case LT_NULL: case LT_ETHERNET: case LT_RAW: case LT_SLL:
    case LT_IPV4: case LT_IPV6: case LT_SLL2:
        break;
    default:
        return RVSIM_PCAP_ERR_LINKTYPE;
    }
    r->off = 24;
    return RVSIM_PCAP_OK;
}

int rvsim_pcap_reader_open_file(rvsim_pcap_reader *r, const char *path)
{
    if (!r || !path)
        return RVSIM_PCAP_ERR_ARG;
    memset(r, 0, sizeof(*r));
    FILE *f = fopen(path, "rb");
    if (!f)
        return RVSIM_PCAP_ERR_IO;
    size_t cap = 1 << 16, n = 0;
    uint8_t *b = malloc(cap);
    if (!b) {
        fclose(f);
        return RVSIM_PCAP_ERR_NOMEM;
    }
    for (;;) {
        if (n == cap) {
            uint8_t *nb = cap > SIZE_MAX / 2 ? NULL : realloc(b, cap * 2);
            if (!nb) {
                free(b);
                fclose(f);
                return RVSIM_PCAP_ERR_NOMEM;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        free(b);
        return RVSIM_PCAP_ERR_IO;
    }
    int st = rvsim_pcap_reader_open_mem(r, b, n);
    r->owned = b;
    return st;
}

void rvsim_pcap_reader_close(rvsim_pcap_reader *r)
{
    if (!r)
        return;
    free(r->owned);
    memset(r, 0, sizeof(*r));
}

typedef enum { PARSE_UDP, PARSE_NOT_UDP, PARSE_FRAGMENT, PARSE_MALFORMED } parse_result;

static parse_result parse_udp(const uint8_t *p, size_t n, rvsim_udp_record *o)
{
    if (n < 8)
        return PARSE_MALFORMED;
    uint16_t ulen = be16(p + 4);
    if (ulen < 8 || ulen > n)
        return PARSE_MALFORMED;
    o->sport = be16(p);
    o->dport = be16(p + 2);
    o->payload = p + 8;
    o->len = (size_t)ulen - 8u;
    return PARSE_UDP;
}

static parse_result parse_ipv4(const uint8_t *p, size_t n, rvsim_udp_record *o)
{
    if (n < 20 || (p[0] >> 4) != 4)
        return PARSE_MALFORMED;
    size_t ihl = (size_t)(p[0] & 0x0F) * 4u;
    uint16_t tot = be16(p + 2);
    if (ihl < 20 || tot < ihl || tot > n)
        return PARSE_MALFORMED;
    uint16_t frag = be16(p + 6);
    if ((frag & 0x2000u) || (frag & 0x1FFFu))
        return PARSE_FRAGMENT;
    if (p[9] != 17)
        return PARSE_NOT_UDP;
    o->family = 4;
    memset(o->src, 0, 16);
    memset(o->dst, 0, 16);
    memcpy(o->src, p + 12, 4);
    memcpy(o->dst, p + 16, 4);
    return parse_udp(p + ihl, tot - ihl, o);
}

static parse_result parse_ipv6(const uint8_t *p, size_t n, rvsim_udp_record *o)
{
    if (n < 40 || (p[0] >> 4) != 6)
        return PARSE_MALFORMED;
    size_t plen = be16(p + 4);
    if (plen > n - 40)
        return PARSE_MALFORMED;
    uint8_t nh = p[6];
    const uint8_t *q = p + 40;
    size_t left = plen;
    for (int hops = 0; hops < 8; hops++) {
        if (nh == 17) {
            o->family = 6;
            memcpy(o->src, p + 8, 16);
            memcpy(o->dst, p + 24, 16);
            return parse_udp(q, left, o);
        }
        if (nh == 44)
            return PARSE_FRAGMENT;
        if (nh != 0 && nh != 43 && nh != 60)
            return PARSE_NOT_UDP;
        if (left < 8)
            return PARSE_MALFORMED;
        size_t hl = ((size_t)q[1] + 1u) * 8u;
        if (hl > left)
            return PARSE_MALFORMED;
        nh = q[0];
        q += hl;
        left -= hl;
    }
    return PARSE_MALFORMED;
}

static parse_result parse_ethertype(uint16_t et, const uint8_t *p, size_t n, rvsim_udp_record *o)
{
    if (et == 0x0800)
        return parse_ipv4(p, n, o);
    if (et == 0x86DD)
        return parse_ipv6(p, n, o);
    return PARSE_NOT_UDP;
}

static parse_result parse_ip_by_version(const uint8_t *p, size_t n, rvsim_udp_record *o)
{
    if (n < 1)
        return PARSE_MALFORMED;
    if ((p[0] >> 4) == 4)
        return parse_ipv4(p, n, o);
    if ((p[0] >> 4) == 6)
        return parse_ipv6(p, n, o);
    return PARSE_NOT_UDP;
}

static parse_result parse_link(const rvsim_pcap_reader *r, const uint8_t *p, size_t n,
                               rvsim_udp_record *o)
{
    switch (r->linktype) {
    case LT_ETHERNET: {
        if (n < 14)
            return PARSE_MALFORMED;
        size_t off = 12;
        uint16_t et = be16(p + off);
        for (int tags = 0; tags < 2 && (et == 0x8100 || et == 0x88A8); tags++) {
            off += 4;
            if (n < off + 2)
                return PARSE_MALFORMED;
            et = be16(p + off);
        }
        off += 2;
        return parse_ethertype(et, p + off, n - off, o);
    }
    case LT_RAW:
        return parse_ip_by_version(p, n, o);
    case LT_IPV4:
        return parse_ipv4(p, n, o);
    case LT_IPV6:
        return parse_ipv6(p, n, o);
    case LT_SLL:
        if (n < 16)
            return PARSE_MALFORMED;
        return parse_ethertype(be16(p + 14), p + 16, n - 16, o);
    case LT_SLL2:
        if (n < 20)
            return PARSE_MALFORMED;
        return parse_ethertype(be16(p), p + 20, n - 20, o);
    case LT_NULL: {
        if (n < 4)
            return PARSE_MALFORMED;
        /* address family in the capturing host's byte order: 2 = IPv4,
         * 24/28/30 = IPv6 on the BSDs */
        uint32_t fam = rd32(p, r->swap);
        if (fam == 2)
            return parse_ipv4(p + 4, n - 4, o);
        if (fam == 24 || fam == 28 || fam == 30)
            return parse_ipv6(p + 4, n - 4, o);
        return PARSE_NOT_UDP;
    }
    }
    return PARSE_NOT_UDP;
}

int rvsim_pcap_next_udp(rvsim_pcap_reader *r, rvsim_udp_record *out)
{
    if (!r || !out || !r->buf)
        return RVSIM_PCAP_ERR_ARG;
    for (;;) {
        if (r->off == r->len)
            return RVSIM_PCAP_END;
        if (r->len - r->off < 16)
            return RVSIM_PCAP_ERR_RECORD_HEADER;
        const uint8_t *h = r->buf + r->off;
        uint32_t sec = rd32(h, r->swap), frac = rd32(h + 4, r->swap);
        uint32_t caplen = rd32(h + 8, r->swap), orig = rd32(h + 12, r->swap);
        if (caplen > RVSIM_PCAP_MAX_RECORD || caplen > orig)
            return RVSIM_PCAP_ERR_CAPLEN;
        if (frac >= (r->nsec ? 1000000000u : 1000000u))
            return RVSIM_PCAP_ERR_TIMESTAMP;
        if (r->len - r->off - 16 < caplen)
            return RVSIM_PCAP_ERR_RECORD_TRUNC;
        const uint8_t *p = h + 16;
        r->off += 16u + caplen;
        r->n_records++;
        memset(out, 0, sizeof(*out));
        out->ts_ns = (uint64_t)sec * 1000000000u + (r->nsec ? frac : (uint64_t)frac * 1000u);
        switch (parse_link(r, p, caplen, out)) {
        case PARSE_UDP:
            r->n_udp++;
            return RVSIM_PCAP_OK;
        case PARSE_NOT_UDP:
            r->n_skip_not_udp++;
            break;
        case PARSE_FRAGMENT:
            r->n_skip_fragment++;
            break;
        case PARSE_MALFORMED:
            r->n_skip_malformed++;
            break;
        }
    }
}
