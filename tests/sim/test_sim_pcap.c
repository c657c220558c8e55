/*
 * test_sim_pcap.c — pcap writer and reader (round trip, every supported
 * link type and byte order, truncations and corruptions) and the labels
 * writer/reader.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rvsim.h"
#include "rvsim_labels.h"
#include "rvsim_pcap.h"
#include "check_main.h"

static char *tmp_path(void)
{
    static char path[64];
    strcpy(path, "/tmp/rvsim_pcap_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    return path;
}

START_TEST(test_roundtrip)
{
    rvsim_config c;
    rvsim_config_default(&c);
    c.n_nodes = 3;
    c.duration_s = 3;
    c.rate_hz = 40;
    c.feature_state = true;
    c.scenario = "walking";
    char *path = tmp_path();
    int st;
    rvsim_pcap_writer *w = rvsim_pcap_writer_open(path, &st);
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(st, RVSIM_PCAP_OK);
    rvsim_session *s = rvsim_session_new(&c, NULL, 0);
    rvsim_packet p;
    size_t n = 0;
    while (rvsim_session_next(s, &p)) {
        ck_assert_int_eq(rvsim_pcap_write_udp(w, p.t, p.node, p.data, p.len), RVSIM_PCAP_OK);
        n++;
    }
    rvsim_session_free(s);
    ck_assert_int_eq(rvsim_pcap_writer_close(w), RVSIM_PCAP_OK);

    rvsim_pcap_reader r;
    ck_assert_int_eq(rvsim_pcap_reader_open_file(&r, path), RVSIM_PCAP_OK);
    ck_assert_uint_eq(r.linktype, 1);
    s = rvsim_session_new(&c, NULL, 0);
    rvsim_udp_record u;
    size_t m = 0;
    while (rvsim_session_next(s, &p)) {
        ck_assert_int_eq(rvsim_pcap_next_udp(&r, &u), RVSIM_PCAP_OK);
        ck_assert_uint_eq(u.len, p.len);
        ck_assert_mem_eq(u.payload, p.data, p.len);
        ck_assert_int_eq(u.family, 4);
        const uint8_t src[4] = { 10, 0, 1, p.node }, dst[4] = { 10, 0, 0, 1 };
        ck_assert_mem_eq(u.src, src, 4);
        ck_assert_mem_eq(u.dst, dst, 4);
        ck_assert_uint_eq(u.sport, 5005);
        ck_assert_uint_eq(u.dport, 5005);
        uint64_t want = (uint64_t)RVSIM_PCAP_EPOCH * 1000000000ull + (uint64_t)llround(p.t * 1e6) * 1000ull;
        ck_assert_uint_eq(u.ts_ns, want);
        m++;
    }
    ck_assert_int_eq(rvsim_pcap_next_udp(&r, &u), RVSIM_PCAP_END);
    ck_assert_uint_eq(m, n);
    ck_assert_uint_eq(r.n_udp, n);
    rvsim_session_free(s);
    rvsim_pcap_reader_close(&r);
    unlink(path);
}
END_TEST

/* Independent one's-complement sum. */
static uint32_t ones_sum(const uint8_t *p, size_t n, uint32_t acc)
{
    for (size_t i = 0; i < n; i += 2)
        acc += (uint32_t)(p[i] << 8) + (i + 1 < n ? p[i + 1] : 0);
    while (acc >> 16)
        acc = (acc & 0xFFFF) + (acc >> 16);
    return acc;
}

START_TEST(test_frame_checksums)
{
    uint8_t payload[37], frame[128];
    for (int i = 0; i < 37; i++)
        payload[i] = (uint8_t)(i * 7 + 3);
    size_t n = rvsim_pcap_build_frame(9, 0x1234, payload, sizeof(payload), frame, sizeof(frame));
    ck_assert_uint_eq(n, 14 + 20 + 8 + 37);
    ck_assert_uint_eq(frame[12], 0x08);
    ck_assert_uint_eq(frame[13], 0x00);
    const uint8_t *ip = frame + 14, *udp = ip + 20;
    ck_assert_uint_eq(ones_sum(ip, 20, 0), 0xFFFF);        /* header checksum valid */
    ck_assert_uint_eq((ip[2] << 8) | ip[3], 20 + 8 + 37);
    ck_assert_uint_eq(ip[15], 9);
    uint8_t pseudo[12] = { ip[12], ip[13], ip[14], ip[15], ip[16], ip[17], ip[18], ip[19],
                           0, 17, 0, 8 + 37 };
    ck_assert_uint_eq(ones_sum(udp, 8 + 37, ones_sum(pseudo, 12, 0)), 0xFFFF);
    ck_assert_mem_eq(udp + 8, payload, sizeof(payload));
    ck_assert_uint_eq(rvsim_pcap_build_frame(1, 0, payload, 37, frame, 40), 0);
}
END_TEST

/* ---- hand-built captures ---- */
typedef struct {
    uint8_t b[8192];
    size_t n;
    int be;
} cap;

static void put32(cap *c, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        c->b[c->n++] = (uint8_t)(c->be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void put16(cap *c, uint16_t v)
{
    c->b[c->n++] = (uint8_t)(c->be ? v >> 8 : v);
    c->b[c->n++] = (uint8_t)(c->be ? v : v >> 8);
}

static void cap_header(cap *c, int be, int nsec, uint32_t linktype)
{
    memset(c, 0, sizeof(*c));
    c->be = be;
    put32(c, nsec ? 0xA1B23C4Du : 0xA1B2C3D4u);
    put16(c, 2);
    put16(c, 4);
    put32(c, 0);
    put32(c, 0);
    put32(c, 65535);
    put32(c, linktype);
}

static void cap_record(cap *c, uint32_t sec, uint32_t frac, const uint8_t *data, size_t len)
{
    put32(c, sec);
    put32(c, frac);
    put32(c, (uint32_t)len);
    put32(c, (uint32_t)len);
    memcpy(c->b + c->n, data, len);
    c->n += len;
}

/* IPv4 + UDP packet carrying payload "hello"+tag, written big-endian. */
static size_t ipv4_udp(uint8_t *o, uint8_t tag, uint8_t proto, uint16_t frag)
{
    const char *msg = "hello";
    size_t pl = 6, tot = 20 + 8 + pl;
    memset(o, 0, tot);
    o[0] = 0x45;
    o[2] = (uint8_t)(tot >> 8);
    o[3] = (uint8_t)tot;
    o[6] = (uint8_t)(frag >> 8);
    o[7] = (uint8_t)frag;
    o[8] = 64;
    o[9] = proto;
    o[12] = 192; o[13] = 168; o[14] = 1; o[15] = tag;
    o[16] = 192; o[17] = 168; o[18] = 1; o[19] = 1;
    o[20] = 0x13; o[21] = 0x8D;          /* 5005 */
    o[22] = 0x13; o[23] = 0x8D;
    o[24] = 0; o[25] = (uint8_t)(8 + pl);
    memcpy(o + 28, msg, 5);
    o[33] = tag;
    return tot;
}

static size_t ipv6_udp(uint8_t *o, uint8_t tag, int with_hbh)
{
    size_t pl = 6, ext = with_hbh ? 8 : 0, plen = ext + 8 + pl;
    memset(o, 0, 40 + plen);
    o[0] = 0x60;
    o[4] = (uint8_t)(plen >> 8);
    o[5] = (uint8_t)plen;
    o[6] = with_hbh ? 0 : 17;
    o[7] = 64;
    o[8] = 0xfe; o[9] = 0x80; o[23] = tag;
    o[24] = 0xfe; o[25] = 0x80; o[39] = 1;
    uint8_t *u = o + 40;
    if (with_hbh) {
        u[0] = 17;   /* next header */
        u[1] = 0;    /* 8 bytes */
        u += 8;
    }
    u[0] = 0x13; u[1] = 0x8D; u[2] = 0x13; u[3] = 0x8D;
    u[5] = (uint8_t)(8 + pl);
    memcpy(u + 8, "hello", 5);
    u[13] = tag;
    return 40 + plen;
}

static void expect_payload(rvsim_pcap_reader *r, uint8_t tag, int family)
{
    rvsim_udp_record u;
    ck_assert_int_eq(rvsim_pcap_next_udp(r, &u), RVSIM_PCAP_OK);
    ck_assert_uint_eq(u.len, 6);
    ck_assert_mem_eq(u.payload, "hello", 5);
    ck_assert_uint_eq(u.payload[5], tag);
    ck_assert_int_eq(u.family, family);
    ck_assert_uint_eq(u.sport, 5005);
}

START_TEST(test_link_types_and_byte_orders)
{
    uint8_t pkt[256], fr[300];
    for (int be = 0; be <= 1; be++)
        for (int nsec = 0; nsec <= 1; nsec++) {
            cap c;
            rvsim_pcap_reader r;
            rvsim_udp_record u;
            /* Ethernet: plain, VLAN-tagged, ARP (skipped), TCP (skipped),
             * fragment (skipped), IPv6 with hop-by-hop header */
            cap_header(&c, be, nsec, 1);
            size_t n = ipv4_udp(pkt, 1, 17, 0);
            memset(fr, 0, 14);
            fr[12] = 0x08;
            memcpy(fr + 14, pkt, n);
            cap_record(&c, 100, 999, fr, 14 + n);
            fr[12] = 0x81; fr[13] = 0x00; fr[16] = 0x08; fr[17] = 0x00;
            n = ipv4_udp(pkt, 2, 17, 0);
            memcpy(fr + 18, pkt, n);
            cap_record(&c, 101, 0, fr, 18 + n);
            fr[12] = 0x08; fr[13] = 0x06;
            cap_record(&c, 102, 0, fr, 42);
            fr[12] = 0x08; fr[13] = 0x00;
            n = ipv4_udp(pkt, 3, 6, 0);
            memcpy(fr + 14, pkt, n);
            cap_record(&c, 103, 0, fr, 14 + n);
            n = ipv4_udp(pkt, 4, 17, 0x2000);
            memcpy(fr + 14, pkt, n);
            cap_record(&c, 104, 0, fr, 14 + n);
            fr[12] = 0x86; fr[13] = 0xDD;
            n = ipv6_udp(pkt, 5, 1);
            memcpy(fr + 14, pkt, n);
            cap_record(&c, 105, 0, fr, 14 + n);
            ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_OK);
            ck_assert(r.swap == (be != 0));
            ck_assert(r.nsec == (nsec != 0));
            ck_assert_int_eq(rvsim_pcap_next_udp(&r, &u), RVSIM_PCAP_OK);
            ck_assert_uint_eq(u.ts_ns, 100ull * 1000000000ull + (nsec ? 999ull : 999000ull));
            ck_assert_uint_eq(u.payload[5], 1);
            expect_payload(&r, 2, 4);
            expect_payload(&r, 5, 6);
            ck_assert_int_eq(rvsim_pcap_next_udp(&r, &u), RVSIM_PCAP_END);
            ck_assert_uint_eq(r.n_skip_not_udp, 2);
            ck_assert_uint_eq(r.n_skip_fragment, 1);
            ck_assert_uint_eq(r.n_records, 6);

            /* raw IP (101): v4 and v6; LINKTYPE_IPV4 (228); LINKTYPE_IPV6 (229) */
            cap_header(&c, be, nsec, 101);
            n = ipv4_udp(pkt, 6, 17, 0);
            cap_record(&c, 1, 0, pkt, n);
            n = ipv6_udp(pkt, 7, 0);
            cap_record(&c, 1, 0, pkt, n);
            ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_OK);
            expect_payload(&r, 6, 4);
            expect_payload(&r, 7, 6);
            ck_assert_int_eq(rvsim_pcap_next_udp(&r, &u), RVSIM_PCAP_END);
            cap_header(&c, be, nsec, 228);
            n = ipv4_udp(pkt, 8, 17, 0);
            cap_record(&c, 1, 0, pkt, n);
            ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_OK);
            expect_payload(&r, 8, 4);
            cap_header(&c, be, nsec, 229);
            n = ipv6_udp(pkt, 9, 0);
            cap_record(&c, 1, 0, pkt, n);
            ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_OK);
            expect_payload(&r, 9, 6);

            /* Linux cooked v1 (protocol at 14) and v2 (protocol at 0) */
            cap_header(&c, be, nsec, 113);
            memset(fr, 0, 16);
            fr[14] = 0x08;
            n = ipv4_udp(pkt, 10, 17, 0);
            memcpy(fr + 16, pkt, n);
            cap_record(&c, 1, 0, fr, 16 + n);
            ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_OK);
            expect_payload(&r, 10, 4);
            cap_header(&c, be, nsec, 276);
            memset(fr, 0, 20);
            fr[0] = 0x86; fr[1] = 0xDD;
            n = ipv6_udp(pkt, 11, 0);
            memcpy(fr + 20, pkt, n);
            cap_record(&c, 1, 0, fr, 20 + n);
            ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_OK);
            expect_payload(&r, 11, 6);

            /* BSD loopback: family in the file's byte order */
            cap_header(&c, be, nsec, 0);
            size_t at = c.n;
            (void)at;
            cap tmp = c;
            tmp.n = 0;
            put32(&tmp, 2);
            memcpy(fr, tmp.b, 4);
            n = ipv4_udp(pkt, 12, 17, 0);
            memcpy(fr + 4, pkt, n);
            cap_record(&c, 1, 0, fr, 4 + n);
            ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_OK);
            expect_payload(&r, 12, 4);
        }
}
END_TEST

/* A valid 3-record capture and the status each truncation must give. */
START_TEST(test_truncations)
{
    cap c;
    uint8_t pkt[128], fr[160];
    cap_header(&c, 0, 0, 1);
    size_t bounds[4];
    bounds[0] = c.n;
    for (int i = 0; i < 3; i++) {
        size_t n = ipv4_udp(pkt, (uint8_t)i, 17, 0);
        memset(fr, 0, 14);
        fr[12] = 0x08;
        memcpy(fr + 14, pkt, n);
        cap_record(&c, 1, 0, fr, 14 + n);
        bounds[i + 1] = c.n;
    }
    for (size_t len = 0; len <= c.n; len++) {
        uint8_t *copy = malloc(len ? len : 1);     /* exact size: ASan sees over-reads */
        memcpy(copy, c.b, len);
        rvsim_pcap_reader r;
        int st = rvsim_pcap_reader_open_mem(&r, copy, len);
        if (len < 24) {
            ck_assert_int_eq(st, RVSIM_PCAP_ERR_SHORT_HEADER);
            free(copy);
            continue;
        }
        ck_assert_int_eq(st, RVSIM_PCAP_OK);
        int full = 0;
        while (full < 3 && bounds[full + 1] <= len)
            full++;
        rvsim_udp_record u;
        for (int i = 0; i < full; i++)
            ck_assert_int_eq(rvsim_pcap_next_udp(&r, &u), RVSIM_PCAP_OK);
        st = rvsim_pcap_next_udp(&r, &u);
        size_t rest = len - bounds[full];
        if (rest == 0)
            ck_assert_int_eq(st, RVSIM_PCAP_END);
        else if (rest < 16)
            ck_assert_int_eq(st, RVSIM_PCAP_ERR_RECORD_HEADER);
        else
            ck_assert_int_eq(st, RVSIM_PCAP_ERR_RECORD_TRUNC);
        /* errors are sticky */
        if (st < 0)
            ck_assert_int_eq(rvsim_pcap_next_udp(&r, &u), st);
        free(copy);
    }
}
END_TEST

START_TEST(test_corrupt_headers)
{
    cap c;
    rvsim_pcap_reader r;
    rvsim_udp_record u;
    uint8_t pkt[128];
    cap_header(&c, 0, 0, 1);
    c.b[0] = 0x0A; c.b[1] = 0x0D; c.b[2] = 0x0D; c.b[3] = 0x0A;   /* pcapng */
    ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_ERR_MAGIC);
    cap_header(&c, 0, 0, 1);
    c.b[4] = 3;
    ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_ERR_VERSION);
    cap_header(&c, 0, 0, 147);
    ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_ERR_LINKTYPE);
    ck_assert_int_eq(rvsim_pcap_reader_open_mem(NULL, c.b, c.n), RVSIM_PCAP_ERR_ARG);
    ck_assert_int_eq(rvsim_pcap_reader_open_file(&r, "/nonexistent/x.pcap"), RVSIM_PCAP_ERR_IO);

    /* caplen > orig_len */
    cap_header(&c, 0, 0, 228);
    size_t n = ipv4_udp(pkt, 1, 17, 0);
    cap_record(&c, 1, 0, pkt, n);
    c.b[24 + 12] = 1;
    ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_OK);
    ck_assert_int_eq(rvsim_pcap_next_udp(&r, &u), RVSIM_PCAP_ERR_CAPLEN);
    /* huge caplen */
    cap_header(&c, 0, 0, 228);
    put32(&c, 1); put32(&c, 0); put32(&c, 300000); put32(&c, 300000);
    ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_OK);
    ck_assert_int_eq(rvsim_pcap_next_udp(&r, &u), RVSIM_PCAP_ERR_CAPLEN);
    /* microseconds out of range */
    cap_header(&c, 0, 0, 228);
    cap_record(&c, 1, 1000000, pkt, n);
    ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_OK);
    ck_assert_int_eq(rvsim_pcap_next_udp(&r, &u), RVSIM_PCAP_ERR_TIMESTAMP);

    /* malformed datagrams are skipped, not fatal */
    cap_header(&c, 0, 0, 228);
    n = ipv4_udp(pkt, 1, 17, 0);
    pkt[3] = (uint8_t)(n + 10);               /* IP total length beyond record */
    cap_record(&c, 1, 0, pkt, n);
    n = ipv4_udp(pkt, 2, 17, 0);
    pkt[25] = 200;                            /* UDP length beyond IP payload */
    cap_record(&c, 1, 0, pkt, n);
    n = ipv4_udp(pkt, 3, 17, 0);
    pkt[0] = 0x43;                            /* IHL 3 */
    cap_record(&c, 1, 0, pkt, n);
    n = ipv4_udp(pkt, 4, 17, 0);
    cap_record(&c, 1, 0, pkt, 10);            /* cut by a snaplen */
    n = ipv4_udp(pkt, 5, 17, 0);
    cap_record(&c, 1, 0, pkt, n);
    ck_assert_int_eq(rvsim_pcap_reader_open_mem(&r, c.b, c.n), RVSIM_PCAP_OK);
    expect_payload(&r, 5, 4);
    ck_assert_int_eq(rvsim_pcap_next_udp(&r, &u), RVSIM_PCAP_END);
    ck_assert_uint_eq(r.n_skip_malformed, 4);

    /* random corruption never crashes and only yields known statuses */
    cap base;
    cap_header(&base, 0, 0, 1);
    for (int i = 0; i < 4; i++) {
        uint8_t fr[160];
        n = ipv4_udp(pkt, (uint8_t)i, 17, 0);
        memset(fr, 0, 14);
        fr[12] = 0x08;
        memcpy(fr + 14, pkt, n);
        cap_record(&base, 1, 0, fr, 14 + n);
    }
    uint32_t x = 2463534242u;
    for (int iter = 0; iter < 3000; iter++) {
        uint8_t *b = malloc(base.n);
        memcpy(b, base.b, base.n);
        for (int k = 0; k < 3; k++) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            b[x % base.n] = (uint8_t)(x >> 8);
        }
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        size_t len = base.n - (x % 8 == 0 ? x % 40 : 0);
        if (rvsim_pcap_reader_open_mem(&r, b, len) == RVSIM_PCAP_OK) {
            int st, guard = 0;
            while ((st = rvsim_pcap_next_udp(&r, &u)) == RVSIM_PCAP_OK) {
                ck_assert(u.payload >= b && u.payload + u.len <= b + len);
                ck_assert(++guard <= 4);
            }
            ck_assert(st == RVSIM_PCAP_END || (st <= -7 && st >= -10));
        }
        free(b);
    }
}
END_TEST

/* ---- labels ---- */
START_TEST(test_labels_roundtrip)
{
    rvsim_config c;
    rvsim_config_default(&c);
    c.n_nodes = 2;
    c.duration_s = 120;
    c.seed = 77;
    c.scenario = "mixed";
    c.reboot_at_s = 10;
    rvsim_session *s = rvsim_session_new(&c, NULL, 0);
    ck_assert_ptr_nonnull(s);
    char *path = tmp_path();
    FILE *f = fopen(path, "w");
    ck_assert_int_eq(rvsim_labels_write(f, s), RVSIM_LABELS_OK);
    fclose(f);
    rvsim_labels l;
    char err[128];
    ck_assert_int_eq(rvsim_labels_read_file(path, &l, err, sizeof(err)), RVSIM_LABELS_OK);
    ck_assert(l.have_meta);
    ck_assert_str_eq(l.scenario, "mixed");
    ck_assert_uint_eq(l.seed, 77);
    ck_assert_uint_eq(l.nodes, 2);
    ck_assert_uint_eq(l.people, 2);
    ck_assert_uint_eq(l.pcap_epoch, RVSIM_PCAP_EPOCH);
    ck_assert(fabs(l.duration_s - 120) < 1e-9);
    ck_assert_uint_eq(l.n_events, 1);
    size_t ns = rvsim_session_n_segments(s);
    ck_assert_uint_eq(l.n, 2 * ns);
    for (size_t i = 0; i < ns; i++) {
        const rvsim_segment *g = rvsim_session_segment(s, i);
        const rvsim_label *x = &l.v[ns + i];       /* node 2's copy */
        ck_assert_uint_eq(x->node, 2);
        ck_assert_uint_eq(x->person, g->person);
        ck_assert_int_eq(x->activity, g->activity);
        ck_assert(fabs(x->start - g->start) < 0.0006);
        ck_assert(fabs(x->end - g->end) < 0.0006);
        ck_assert(fabs(x->breath_bpm - g->breath_bpm) < 0.006);
    }
    /* the labelled activity matches the session's own truth away from edges */
    for (double t = 0.25; t < 120; t += 0.5) {
        int a = rvsim_labels_activity_at(&l, 1, t), b = rvsim_session_label_at(s, t);
        int near_edge = 0;
        for (size_t i = 0; i < ns; i++) {
            const rvsim_segment *g = rvsim_session_segment(s, i);
            near_edge |= fabs(g->start - t) < 0.002 || fabs(g->end - t) < 0.002;
        }
        if (!near_edge)
            ck_assert_int_eq(a, b);
    }
    ck_assert_int_eq(rvsim_labels_activity_at(&l, 3, 1.0), -1);
    rvsim_labels_free(&l);
    rvsim_session_free(s);
    unlink(path);
}
END_TEST

static int parse(const char *text, rvsim_labels *l, char *err)
{
    return rvsim_labels_parse(text, strlen(text), l, err, 128);
}

START_TEST(test_labels_malformed)
{
    rvsim_labels l;
    char err[128];
    ck_assert_int_eq(parse("", &l, err), RVSIM_LABELS_OK);
    ck_assert_uint_eq(l.n, 0);
    ck_assert_int_eq(parse("\n  \n{\"node\":1,\"start\":0,\"end\":1.5e0,\"activity\":\"walking\"}\n", &l, err),
                     RVSIM_LABELS_OK);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_int_eq(l.v[0].activity, RVSIM_ACT_WALKING);
    ck_assert(l.v[0].end == 1.5);
    rvsim_labels_free(&l);
    /* unknown keys, nested values and escapes are fine; unknown activity kept by name */
    ck_assert_int_eq(parse("{\"x\":{\"a\":[1,2,{\"b\":null}]},\"node\":3,\"start\":1,\"end\":2,"
                           "\"activity\":\"jump\\u00e9\\\"ing\",\"ok\":true}", &l, err),
                     RVSIM_LABELS_OK);
    ck_assert_int_eq(l.v[0].activity, -1);
    ck_assert_str_eq(l.v[0].activity_name, "jump?\"ing");
    rvsim_labels_free(&l);
    static const struct { const char *text; int st; const char *line; } bad[] = {
        { "{", RVSIM_LABELS_ERR_SYNTAX, "line 1" },
        { "{\"node\":1,\"start\":0,\"end\":1,\"activity\":\"still\"}\n[1]", RVSIM_LABELS_ERR_SYNTAX, "line 2" },
        { "{\"node\":1,\"start\":0,\"end\":1,\"activity\":\"still\"} x", RVSIM_LABELS_ERR_SYNTAX, "line 1" },
        { "{\"node\":1,\"start\":0,\"end\":1,\"activity\":\"still\",}", RVSIM_LABELS_ERR_SYNTAX, "line 1" },
        { "{\"node\":01,\"start\":0,\"end\":1,\"activity\":\"still\"}", RVSIM_LABELS_ERR_SYNTAX, "line 1" },
        { "{\"node\":1,\"start\":0,\"end\":1,\"activity\":\"st\\qill\"}", RVSIM_LABELS_ERR_SYNTAX, "line 1" },
        { "{\"node\":1,\"start\":0,\"end\":1,\"activity\":\"still", RVSIM_LABELS_ERR_SYNTAX, "line 1" },
        { "{\"node\":1,\"start\":0,\"activity\":\"still\"}", RVSIM_LABELS_ERR_FIELD, "line 1" },
        { "\n\n{\"node\":1,\"start\":2,\"end\":1,\"activity\":\"still\"}", RVSIM_LABELS_ERR_FIELD, "line 3" },
        { "{\"node\":1.5,\"start\":0,\"end\":1,\"activity\":\"still\"}", RVSIM_LABELS_ERR_FIELD, "line 1" },
        { "{\"node\":-1,\"start\":0,\"end\":1,\"activity\":\"still\"}", RVSIM_LABELS_ERR_FIELD, "line 1" },
        { "{\"node\":1,\"start\":1e999,\"end\":1,\"activity\":\"still\"}", RVSIM_LABELS_ERR_SYNTAX, "line 1" },
        { "{\"node\":1,\"start\":0,\"end\":1,\"activity\":7}", RVSIM_LABELS_ERR_FIELD, "line 1" },
        { "{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}", RVSIM_LABELS_ERR_SYNTAX, "line 1" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = 0;
        ck_assert_msg(parse(bad[i].text, &l, err) == bad[i].st, "case %zu", i);
        ck_assert_msg(strstr(err, bad[i].line) != NULL, "case %zu: %s", i, err);
        ck_assert_ptr_null(l.v);
    }
    /* every prefix of a valid file parses or fails cleanly */
    const char *good = "{\"type\":\"meta\",\"scenario\":\"demo\",\"seed\":1,\"activities\":[\"a\",\"b\"]}\n"
                       "{\"node\":1,\"person\":0,\"start\":0.000,\"end\":6.000,\"activity\":\"empty\"}\n";
    for (size_t n = 0; n <= strlen(good); n++) {
        char *cpy = malloc(n ? n : 1);
        memcpy(cpy, good, n);
        int st = rvsim_labels_parse(cpy, n, &l, err, sizeof(err));
        ck_assert(st == RVSIM_LABELS_OK || st == RVSIM_LABELS_ERR_SYNTAX || st == RVSIM_LABELS_ERR_FIELD);
        rvsim_labels_free(&l);
        free(cpy);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sim_pcap");
    TCase *tc = tcase_create("pcap");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_roundtrip);
    tcase_add_test(tc, test_frame_checksums);
    tcase_add_test(tc, test_link_types_and_byte_orders);
    tcase_add_test(tc, test_truncations);
    tcase_add_test(tc, test_corrupt_headers);
    tcase_add_test(tc, test_labels_roundtrip);
    tcase_add_test(tc, test_labels_malformed);
    suite_add_tcase(s, tc);
    return s;
}

RV_CHECK_MAIN(suite)
