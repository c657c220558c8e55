/*
 * rvconvert — real CSI recordings (ESPectre .npz) to a pcap of ADR-018
 * raw CSI frames (0xC5110001), so every tool and pipeline can play them.
 * A thin main() over librvreal (reader, playback) and librvsim's pcap
 * writer; the format notes are in docs/real-csi.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rv_csi_text.h"
#include "rv_wire.h"
#include "rvreal_npz.h"
#include "rvreal_play.h"
#include "rvsim_pcap.h"
#include "rvtool_args.h"

typedef struct {
    const char *output, *truth;
    unsigned node, channel;
    double start_s;
    rvtool_playback play;
    int quiet;
} options;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: rvconvert [options] -o OUT.pcap FILE.npz [FILE.npz ...]\n"
        "\n"
        "Converts ESPectre CSI recordings (.npz: csi_data int8 [packets, 2*subcarriers],\n"
        "duration_ms) into a classic pcap of ADR-018 raw CSI frames (0xC5110001), one\n"
        "UDP datagram per packet from node N (10.0.1.N:5005 -> 10.0.0.1:5005).\n"
        "The files play back to back as one stream, in the order given (e.g. baseline\n"
        "then movement); the packets of each file are spread evenly over its duration\n"
        "(the recordings carry no per-packet times).\n"
        "\n"
        "  -o, --output FILE    pcap to write (required)\n"
        "  -t, --truth FILE     also write ground truth, one JSON object per packet:\n"
        "                       {\"t\":SECONDS,\"seq\":N,\"node\":N,\"file\":\"NAME\",\n"
        "                        \"label\":\"motion\"|\"quiet\"|\"unknown\"}\n"
        "                       (t as in the pcap, minus %u; label from the file's\n"
        "                       label: movement -> motion, baseline -> quiet)\n"
        "  -n, --node N         node id, 1..255 (default 1)\n"
        "  -c, --channel CH     WiFi channel for the frames' frequency, 1..14 or\n"
        "                       32..177 (default 6)\n"
        "  -s, --start SECONDS  time of the first packet, 0..1e6 (default 0)\n"
        "  -j, --jitter MS      add uniform timing jitter of +-MS ms per packet, 0..1000\n"
        "                       (default 0); packets keep their order\n"
        "      --seed S         jitter PRNG seed, unsigned 64-bit (default 1)\n"
        "  -q, --quiet          no summary on stderr\n"
        "  -h, --help           this text\n",
        RVSIM_PCAP_EPOCH);
}

#define PROG "rvconvert"
#define die(...) rvtool_usage_error(PROG, __VA_ARGS__)

/* Whole numbers given as digits in [lo, hi]. */
static int parse_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    return rvtool_parse_u64(s, hi, out) == 0 && *out >= lo ? 0 : -1;
}

static int parse_args(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' }, { "truth", required_argument, NULL, 't' },
        { "node", required_argument, NULL, 'n' },   { "channel", required_argument, NULL, 'c' },
        { "start", required_argument, NULL, 's' },  { "jitter", required_argument, NULL, 'j' },
        { "seed", required_argument, NULL, 'S' },   { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    *o = (options){ .node = 1, .channel = 6, .play.seed = 1 };
    uint64_t u;
    int c, rc;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:t:n:c:s:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->output = optarg; break;
        case 't': o->truth = optarg; break;
        case 'n':
            if (parse_uint(optarg, 1, 255, &u))
                return die("--node: '%s' is not a node id 1..255", optarg);
            o->node = (unsigned)u;
            break;
        case 'c':
            if (parse_uint(optarg, 1, 177, &u) || rv_csi_text_channel_mhz((uint8_t)u) == 0)
                return die("--channel: '%s' is not a WiFi channel (1..14, 32..177)", optarg);
            o->channel = (unsigned)u;
            break;
        case 's':
            if (rvtool_parse_double(optarg, 0, 1e6, &o->start_s))
                return die("--start: '%s' is not a time 0..1e6 s", optarg);
            break;
        case 'j':
        case 'S':
            if ((rc = rvtool_playback_opt(PROG, c, optarg, &o->play)) != 0)
                return rc;
            break;
        case 'q': o->quiet = 1; break;
        case 'h': usage(stdout); exit(0);
        default: return rvtool_opt_error(PROG, c, argv);
        }
    }
    if (o->output == NULL)
        return die("no output: give -o OUT.pcap");
    if (optind >= argc)
        return die("no input: give one or more .npz recordings");
    return 0;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* JSON string body: escape quotes, backslashes and control bytes. */
static void json_str(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
}

static const char *truth_label(const char *label)
{
    if (rvreal_label_is_motion(label))
        return "motion";
    return strcmp(label, "baseline") == 0 || strcmp(label, "quiet") == 0 ? "quiet" : "unknown";
}

static int convert(const options *o, char **paths, const rvreal_recording *recs, size_t n)
{
    int st;
    rvsim_pcap_writer *w = rvsim_pcap_writer_open(o->output, &st);
    if (w == NULL) {
        fprintf(stderr, "rvconvert: %s: %s\n", o->output, rvsim_pcap_status_str(st));
        return 1;
    }
    FILE *tf = NULL;
    if (o->truth != NULL && (tf = fopen(o->truth, "w")) == NULL) {
        fprintf(stderr, "rvconvert: %s: %s\n", o->truth, strerror(errno));
        rvsim_pcap_writer_close(w);
        return 1;
    }
    rvreal_player p;
    rvreal_player_init(&p, recs, n, (uint64_t)llround(o->start_s * 1e6),
                       (uint64_t)llround(o->play.jitter_ms * 1e3), o->play.seed);
    rvreal_packet pk;
    uint8_t buf[RV_CSI_HEADER_SIZE + 2u * RVREAL_NPZ_MAX_SUBCARRIERS];
    int rc = 0;
    while (rc == 0 && rvreal_player_next(&p, &pk)) {
        const rvreal_recording *r = &recs[pk.file];
        rv_csi_frame f = {
            .node_id = (uint8_t)o->node, .n_antennas = 1,
            .n_subcarriers = (uint16_t)r->n_subcarriers,
            .freq_mhz = rv_csi_text_channel_mhz((uint8_t)o->channel),
            .seq = (uint32_t)pk.seq, .iq = pk.iq,
        };
        size_t len;
        rv_status rs = rv_csi_frame_encode(&f, buf, sizeof buf, &len);
        if (rs != RV_OK) {
            fprintf(stderr, "rvconvert: %s: cannot encode packet %u: %s\n", paths[pk.file],
                    pk.packet, rv_status_str(rs));
            rc = 1;
        } else if ((st = rvsim_pcap_write_udp(w, (double)pk.t_us * 1e-6, (uint8_t)o->node,
                                              buf, len)) != RVSIM_PCAP_OK) {
            fprintf(stderr, "rvconvert: %s: cannot write a %zu-byte frame: %s\n", o->output,
                    len, rvsim_pcap_status_str(st));
            rc = 1;
        } else if (tf != NULL) {
            fprintf(tf, "{\"t\":%llu.%06llu,\"seq\":%llu,\"node\":%u,\"file\":\"",
                    (unsigned long long)(pk.t_us / 1000000u),
                    (unsigned long long)(pk.t_us % 1000000u), (unsigned long long)pk.seq,
                    o->node);
            json_str(tf, base_name(paths[pk.file]));
            fprintf(tf, "\",\"label\":\"%s\"}\n", truth_label(r->label));
        }
    }
    if (rvsim_pcap_writer_close(w) != RVSIM_PCAP_OK && rc == 0) {
        fprintf(stderr, "rvconvert: %s: write error\n", o->output);
        rc = 1;
    }
    if (tf != NULL && fclose(tf) != 0 && rc == 0) {
        fprintf(stderr, "rvconvert: %s: write error\n", o->truth);
        rc = 1;
    }
    if (rc == 0 && !o->quiet)
        fprintf(stderr, "rvconvert: %llu packets from %zu file(s), %.3f s, to %s\n",
                (unsigned long long)p.seq, n, (double)p.last_us * 1e-6 - o->start_s, o->output);
    return rc;
}

int main(int argc, char **argv)
{
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc;
    size_t n = (size_t)(argc - optind);
    rvreal_recording *recs = calloc(n, sizeof *recs);
    if (recs == NULL) {
        fprintf(stderr, "rvconvert: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        char err[512];
        if (rvreal_npz_load_file(argv[optind + (int)i], &recs[i], err, sizeof err) != 0) {
            fprintf(stderr, "rvconvert: %s\n", err);
            rc = 1;
        }
    }
    if (rc == 0)
        rc = convert(&o, argv + optind, recs, n);
    for (size_t i = 0; i < n; i++)
        rvreal_recording_free(&recs[i]);
    free(recs);
    return rc;
}
