/*
 * rvsim_pcap.h — classic libpcap files, written and read without libpcap.
 *
 * Writer: LINKTYPE_ETHERNET, microsecond timestamps, little-endian, one
 * Ethernet + IPv4 + UDP frame per node packet (checksums computed), node n
 * sending from 10.0.1.n:5005 to 10.0.0.1:5005, timestamps = RVSIM_PCAP_EPOCH
 * + simulated time.
 *
 * Reader: both byte orders, microsecond and nanosecond variants; link types
 * Ethernet (with up to two 802.1Q/802.1ad tags), raw IP (101, 228, 229),
 * Linux cooked v1/v2 (113, 276) and BSD loopback (0); IPv4 and IPv6 (with
 * hop-by-hop/routing/destination-options headers) carrying UDP. It yields
 * UDP payloads in file order. Problems in the file structure end reading
 * with a specific error; records that are not complete UDP datagrams are
 * skipped and counted. Never reads outside the file.
 */
#ifndef RVSIM_PCAP_H
#define RVSIM_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RVSIM_PCAP_EPOCH      1700000000u   /* 2023-11-14T22:13:20Z */
#define RVSIM_PCAP_DST_PORT   5005u
#define RVSIM_PCAP_MAX_RECORD 262144u       /* larger captured records are an error */

typedef enum {
    RVSIM_PCAP_OK = 0,
    RVSIM_PCAP_END = 1,                /* no more records */
    RVSIM_PCAP_ERR_IO = -1,            /* cannot open/read/write the file */
    RVSIM_PCAP_ERR_NOMEM = -2,
    RVSIM_PCAP_ERR_SHORT_HEADER = -3,  /* shorter than the 24-byte global header */
    RVSIM_PCAP_ERR_MAGIC = -4,         /* not a classic pcap file (pcapng?) */
    RVSIM_PCAP_ERR_VERSION = -5,       /* major version is not 2 */
    RVSIM_PCAP_ERR_LINKTYPE = -6,      /* link type we cannot parse */
    RVSIM_PCAP_ERR_RECORD_HEADER = -7, /* file ends inside a 16-byte record header */
    RVSIM_PCAP_ERR_RECORD_TRUNC = -8,  /* file ends inside a record's data */
    RVSIM_PCAP_ERR_CAPLEN = -9,        /* caplen > orig_len or > RVSIM_PCAP_MAX_RECORD */
    RVSIM_PCAP_ERR_TIMESTAMP = -10,    /* fraction field >= 1 s */
    RVSIM_PCAP_ERR_ARG = -11
} rvsim_pcap_status;

const char *rvsim_pcap_status_str(int st);

/* ---- writer ---- */
typedef struct rvsim_pcap_writer rvsim_pcap_writer;

rvsim_pcap_writer *rvsim_pcap_writer_open(const char *path, int *status);
/* Append one UDP datagram from node `node` at simulated time t (s). */
int  rvsim_pcap_write_udp(rvsim_pcap_writer *w, double t, uint8_t node,
                          const uint8_t *payload, size_t len);
/* Flush and close; returns RVSIM_PCAP_OK or RVSIM_PCAP_ERR_IO. */
int  rvsim_pcap_writer_close(rvsim_pcap_writer *w);
/* Build the Ethernet/IPv4/UDP frame the writer stores (for tests).
 * Returns the frame length, 0 if cap is too small or len too large. */
size_t rvsim_pcap_build_frame(uint8_t node, uint16_t ip_id, const uint8_t *payload, size_t len,
                              uint8_t *out, size_t cap);

/* ---- reader ---- */
typedef struct {
    const uint8_t *buf;
    size_t   len, off;
    uint8_t *owned;            /* file contents when opened from a path */
    bool     swap, nsec;
    uint32_t linktype, snaplen;
    uint64_t n_records, n_udp;
    uint64_t n_skip_not_udp;   /* ARP, TCP, ICMP, unknown ethertypes ... */
    uint64_t n_skip_fragment;  /* IP fragments (not reassembled) */
    uint64_t n_skip_malformed; /* bad IP/UDP header or datagram cut by the snaplen */
} rvsim_pcap_reader;

typedef struct {
    uint64_t ts_ns;            /* since the Unix epoch */
    int      family;           /* 4 or 6 */
    uint8_t  src[16], dst[16]; /* IPv4 uses the first 4 bytes */
    uint16_t sport, dport;
    const uint8_t *payload;    /* points into the reader's buffer */
    size_t   len;
} rvsim_udp_record;

/* Open from memory (buf must outlive the reader) or from a file. */
int  rvsim_pcap_reader_open_mem(rvsim_pcap_reader *r, const uint8_t *buf, size_t len);
int  rvsim_pcap_reader_open_file(rvsim_pcap_reader *r, const char *path);
void rvsim_pcap_reader_close(rvsim_pcap_reader *r);
/* RVSIM_PCAP_OK with *out filled, RVSIM_PCAP_END, or an error (sticky). */
int  rvsim_pcap_next_udp(rvsim_pcap_reader *r, rvsim_udp_record *out);

#ifdef __cplusplus
}
#endif
#endif
