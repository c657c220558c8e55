/* rvsim_pcap_write.c — classic pcap writer (Ethernet/IPv4/UDP). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rvsim_pcap.h"

#define ETH_LEN 14u
#define IP_LEN  20u
#define UDP_LEN 8u
#define MAX_PAYLOAD (65535u - IP_LEN - UDP_LEN)

struct rvsim_pcap_writer {
    FILE    *f;
    uint16_t ip_id[256];
    int      err;
};

static void put16le(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static void put16be(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* Internet checksum accumulation over 16-bit big-endian words. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1u)
        sum += (uint32_t)p[n - 1] << 8;
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xFFFFu) + (sum >> 16);
    return (uint16_t)~sum;
}

size_t rvsim_pcap_build_frame(uint8_t node, uint16_t ip_id, const uint8_t *payload, size_t len,
                              uint8_t *out, size_t cap)
{
    size_t total = ETH_LEN + IP_LEN + UDP_LEN + len;
    if (len > MAX_PAYLOAD || cap < total || (!payload && len))
        return 0;
    uint8_t *e = out, *ip = out + ETH_LEN, *udp = ip + IP_LEN;
    /* Ethernet: locally administered MACs; node n is 02:52:56:00:01:n. */
    const uint8_t dst_mac[6] = { 0x02, 0x52, 0x56, 0x00, 0x00, 0x01 };
    const uint8_t src_mac[6] = { 0x02, 0x52, 0x56, 0x00, 0x01, node };
    memcpy(e, dst_mac, 6);
    memcpy(e + 6, src_mac, 6);
    put16be(e + 12, 0x0800);
    /* IPv4 */
    memset(ip, 0, IP_LEN);
    ip[0] = 0x45;
    put16be(ip + 2, (uint32_t)(IP_LEN + UDP_LEN + len));
    put16be(ip + 4, ip_id);
    put16be(ip + 6, 0x4000);      /* DF */
    ip[8] = 64;
    ip[9] = 17;
    const uint8_t src_ip[4] = { 10, 0, 1, node }, dst_ip[4] = { 10, 0, 0, 1 };
    memcpy(ip + 12, src_ip, 4);
    memcpy(ip + 16, dst_ip, 4);
    put16be(ip + 10, csum_fold(csum_add(0, ip, IP_LEN)));
    /* UDP with checksum over the pseudo-header */
    put16be(udp, RVSIM_PCAP_DST_PORT);
    put16be(udp + 2, RVSIM_PCAP_DST_PORT);
    put16be(udp + 4, (uint32_t)(UDP_LEN + len));
    put16be(udp + 6, 0);
    if (len)
        memcpy(udp + UDP_LEN, payload, len);
    uint8_t pseudo[12];
    memcpy(pseudo, src_ip, 4);
    memcpy(pseudo + 4, dst_ip, 4);
    pseudo[8] = 0;
    pseudo[9] = 17;
    put16be(pseudo + 10, (uint32_t)(UDP_LEN + len));
    uint16_t c = csum_fold(csum_add(csum_add(0, pseudo, 12), udp, UDP_LEN + len));
    put16be(udp + 6, c ? c : 0xFFFFu);
    return total;
}

rvsim_pcap_writer *rvsim_pcap_writer_open(const char *path, int *status)
{
    int dummy;
    if (!status)
        status = &dummy;
    if (!path) {
        *status = RVSIM_PCAP_ERR_ARG;
        return NULL;
    }
    rvsim_pcap_writer *w = calloc(1, sizeof(*w));
    if (!w) {
        *status = RVSIM_PCAP_ERR_NOMEM;
        return NULL;
    }
    w->f = fopen(path, "wb");
    if (!w->f) {
        free(w);
        *status = RVSIM_PCAP_ERR_IO;
        return NULL;
    }
    uint8_t gh[24];
    put32le(gh, 0xA1B2C3D4u);     /* microsecond timestamps */
    put16le(gh + 4, 2);
    put16le(gh + 6, 4);
    put32le(gh + 8, 0);           /* thiszone */
    put32le(gh + 12, 0);          /* sigfigs */
    put32le(gh + 16, 65535);      /* snaplen */
    put32le(gh + 20, 1);          /* LINKTYPE_ETHERNET */
    if (fwrite(gh, 1, sizeof(gh), w->f) != sizeof(gh))
        w->err = 1;
    *status = w->err ? RVSIM_PCAP_ERR_IO : RVSIM_PCAP_OK;
    return w;
}

int rvsim_pcap_write_udp(rvsim_pcap_writer *w, double t, uint8_t node,
                         const uint8_t *payload, size_t len)
{
    if (!w || !(t >= 0))
        return RVSIM_PCAP_ERR_ARG;
    uint8_t frame[ETH_LEN + IP_LEN + UDP_LEN + 2048];
    size_t n = rvsim_pcap_build_frame(node, w->ip_id[node]++, payload, len, frame, sizeof(frame));
    if (!n)
        return RVSIM_PCAP_ERR_ARG;
    uint64_t us = (uint64_t)llround(t * 1e6);
    uint8_t rh[16];
    put32le(rh, (uint32_t)(RVSIM_PCAP_EPOCH + us / 1000000u));
    put32le(rh + 4, (uint32_t)(us % 1000000u));
    put32le(rh + 8, (uint32_t)n);
    put32le(rh + 12, (uint32_t)n);
    if (fwrite(rh, 1, 16, w->f) != 16 || fwrite(frame, 1, n, w->f) != n) {
        w->err = 1;
        return RVSIM_PCAP_ERR_IO;
    }
    return RVSIM_PCAP_OK;
}

int rvsim_pcap_writer_close(rvsim_pcap_writer *w)
{
    if (!w)
        return RVSIM_PCAP_ERR_ARG;
    int err = w->err;
    if (fclose(w->f) != 0)
        err = 1;
    free(w);
    return err ? RVSIM_PCAP_ERR_IO : RVSIM_PCAP_OK;
}
