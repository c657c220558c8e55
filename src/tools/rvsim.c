/*
 * rvsim — simulated ESP32 CSI nodes in a room, live over UDP and/or into a
 * pcap file, with ground-truth labels. A thin main() over librvsim; the
 * physics and formats are in src/sim/ and docs/simulator.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "rvsim.h"
#include "rvsim_labels.h"
#include "rvsim_pcap.h"
#include "rvtool_args.h"

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: rvsim [options] --udp HOST:PORT | --pcap FILE | --labels FILE ...\n"
        "\n"
        "Simulates ESP32 CSI nodes (RuView esp32-csi-node packets) observing people in a room.\n"
        "\n"
        "Session:\n"
        "  --nodes N            receiving nodes, ids 1..N (1..255, default 1)\n"
        "  --rate HZ            CSI frames per second per node (1..1000, default 100)\n"
        "  --duration SECONDS   simulated time (default 60)\n"
        "  --seed S             PRNG seed, unsigned 64-bit (default 1); same seed, same output\n"
        "  --scenario NAME      activity script (default demo), one of:\n");
    for (const char *const *n = rvsim_scenario_names(); *n; n++)
        fprintf(f, "      %-10s %s\n", *n, rvsim_scenario_description(*n));
    fprintf(f,
        "  --subcarriers N      64 (LLTF, 148-byte frames) or 192 (LLTF+HT-LTF+STBC, 404 bytes)\n"
        "  --receiver MODEL     fixed (default): one idealised ESP32 receiver for every node;\n"
        "                       calibrated: each node draws its noise, gain behaviour (locked,\n"
        "                       hunting, glitching), filled subcarriers, rate (x 0.7..1.45 of\n"
        "                       --rate) and jitter over ranges measured on real recordings\n"
        "  --feature-state      also send feature-state packets (0xC5110006) at 5 Hz per node\n"
        "  --vitals             also send vitals packets (0xC5110002) at 1 Hz per node\n"
        "Impairments:\n"
        "  --loss P             drop each packet with probability P (0..1)\n"
        "  --dup P              send each packet twice with probability P\n"
        "  --reorder P          hold a CSI frame back behind the next one with probability P\n"
        "  --reboot-at S[:NODE] node NODE (default 1) goes silent for 2 s at S, then restarts\n"
        "                       its sequence numbers from 0\n"
        "  --crash-loop S[:NODE] node NODE (default 1; 0 = every node) restarts every S\n"
        "                       seconds (sequences back to 0), a crash-looping firmware\n"
        "  --boot-time S        silence at each crash-loop restart (default 0, < the period)\n"
        "  --channel-hop S      every node moves channel 1 -> 6 -> 11 every S seconds\n"
        "  --ideal-receiver     analysis: no receiver noise and no per-packet phase or\n"
        "                       timing offset (gain steps and int8 quantisation stay)\n"
        "Multi-node rooms:\n"
        "  --placement MODE     perimeter (default): nodes evenly along the walls; random:\n"
        "                       anywhere on the walls, 0.3-2.0 m high, drawn from the seed\n"
        "  --node-skew MS       each node's packets arrive a fixed U(0, MS) ms late (its\n"
        "                       latency offset, in the labels; 0..10000, default 0)\n"
        "  --node-jitter MS     plus, per packet, |N(0,1)| x MS ms (0..10000, default 0)\n"
        "Outputs (at least one):\n"
        "  --udp HOST:PORT      send live datagrams (e.g. 127.0.0.1:5005, [::1]:5005),\n"
        "                       paced in real time\n"
        "  --speed X            pacing factor for --udp (2 = twice real time, default 1)\n"
        "  --fast               no pacing: send as fast as possible\n"
        "  --pcap FILE          write a classic pcap (Ethernet/IPv4/UDP, node n = 10.0.1.n:5005\n"
        "                       -> 10.0.0.1:5005, timestamps from %u + simulated time)\n"
        "  --labels FILE        write ground truth as JSON lines (see docs/simulator.md)\n"
        "Other:\n"
        "  --quiet              no summary on stderr\n"
        "  --help               this text\n"
        "\n"
        "Activities in labels: ",
        RVSIM_PCAP_EPOCH);
    for (int a = 0; a < RVSIM_N_ACTIVITIES; a++)
        fprintf(f, "%s%s", a ? ", " : "", rvsim_activity_name(a));
    fprintf(f, "\n");
}

#define die(...) rvtool_usage_error("rvsim", __VA_ARGS__)

static int open_udp(const char *spec, int *fd, struct sockaddr_storage *addr, socklen_t *alen)
{
    char host[256], port[16];
    const char *colon;
    if (spec[0] == '[') {
        const char *rb = strchr(spec, ']');
        if (!rb || rb[1] != ':' || (size_t)(rb - spec - 1) >= sizeof(host))
            return -1;
        memcpy(host, spec + 1, (size_t)(rb - spec - 1));
        host[rb - spec - 1] = 0;
        colon = rb + 1;
    } else {
        colon = strrchr(spec, ':');
        if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof(host))
            return -1;
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = 0;
    }
    uint64_t pn;
    if (rvtool_parse_u64(colon + 1, 65535, &pn) || pn == 0)
        return -1;
    snprintf(port, sizeof(port), "%u", (unsigned)pn);
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    if (getaddrinfo(host, port, &hints, &res) != 0 || !res)
        return -1;
    *fd = socket(res->ai_family, SOCK_DGRAM, 0);
    if (*fd < 0) {
        freeaddrinfo(res);
        return -1;
    }
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *alen = (socklen_t)res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

static void sleep_until(const struct timespec *start, double t)
{
    struct timespec d = *start;
    double whole = floor(t);
    d.tv_sec += (time_t)whole;
    d.tv_nsec += (long)((t - whole) * 1e9);
    if (d.tv_nsec >= 1000000000L) {
        d.tv_sec++;
        d.tv_nsec -= 1000000000L;
    }
    while (!g_stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &d, NULL) == EINTR)
        ;
}

/* Values that need more than a range check: NAME, S[:NODE], fixed lists. */
static int on_option(void *ctx, const char *name, const char *v)
{
    rvsim_config *cfg = ctx;
    uint64_t u;
    if (strcmp(name, "scenario") == 0) {
        if (!rvsim_scenario_description(v))
            return die("--scenario: unknown scenario '%s'", v);
        cfg->scenario = v;
    } else if (strcmp(name, "reboot-at") == 0 || strcmp(name, "crash-loop") == 0) {
        /* SECONDS[:NODE]; a reboot names a node 1..255, a crash loop 0 (all) too */
        const bool reboot = name[1] == 'e';
        char buf[64];
        snprintf(buf, sizeof(buf), "%s", v);
        char *c = strchr(buf, ':');
        u = 1;
        if (c) {
            *c = 0;
            if (rvtool_parse_u64(c + 1, 255, &u) || (reboot && u == 0))
                return die("--%s: bad node in '%s'", name, v);
        }
        double *at = reboot ? &cfg->reboot_at_s : &cfg->crash_loop_s;
        if (rvtool_parse_double(buf, reboot ? 0 : 0.001, 7 * 86400.0, at))
            return die("--%s: '%s' is not SECONDS[:NODE]", name, v);
        *(reboot ? &cfg->reboot_node : &cfg->crash_loop_node) = (uint32_t)u;
    } else if (strcmp(name, "subcarriers") == 0) {
        if (rvtool_parse_u64(v, 192, &u) || (u != 64 && u != 192))
            return die("--subcarriers: '%s' must be 64 or 192", v);
        cfg->n_subcarriers = (uint16_t)u;
    } else if (strcmp(name, "receiver") == 0) {
        if (strcmp(v, "fixed") == 0)
            cfg->receiver = RVSIM_RX_FIXED;
        else if (strcmp(v, "calibrated") == 0)
            cfg->receiver = RVSIM_RX_CALIBRATED;
        else
            return die("--receiver: '%s' must be fixed or calibrated", v);
    } else if (strcmp(name, "placement") == 0) {
        if (strcmp(v, "perimeter") == 0)
            cfg->placement = RVSIM_PLACE_PERIMETER;
        else if (strcmp(v, "random") == 0)
            cfg->placement = RVSIM_PLACE_RANDOM;
        else
            return die("--placement: '%s' must be perimeter or random", v);
    }
    return 0;
}

/* Where the packets go and how fast. */
typedef struct {
    const char *udp, *pcap, *labels;
    double speed;
    bool fast, quiet;
} outputs;

/* Fills cfg and out from argv; -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, rvsim_config *cfg, outputs *out)
{
    const double week = 7 * 86400.0;
    const rvtool_opt opts[] = {
        { "nodes", RVTOOL_U32, &cfg->n_nodes, 1, 255 },
        { "rate", RVTOOL_DOUBLE, &cfg->rate_hz, 1, 1000 },
        { "duration", RVTOOL_DOUBLE, &cfg->duration_s, 1e-3, week },
        { "seed", RVTOOL_U64, &cfg->seed, 0, 0 },
        { "scenario", RVTOOL_CALL, NULL, 0, 0 },
        { "subcarriers", RVTOOL_CALL, NULL, 0, 0 },
        { "receiver", RVTOOL_CALL, NULL, 0, 0 },
        { "feature-state", RVTOOL_FLAG, &cfg->feature_state, 0, 0 },
        { "vitals", RVTOOL_FLAG, &cfg->vitals, 0, 0 },
        { "loss", RVTOOL_DOUBLE, &cfg->loss, 0, 1 },
        { "dup", RVTOOL_DOUBLE, &cfg->dup, 0, 1 },
        { "reorder", RVTOOL_DOUBLE, &cfg->reorder, 0, 1 },
        { "reboot-at", RVTOOL_CALL, NULL, 0, 0 },
        { "crash-loop", RVTOOL_CALL, NULL, 0, 0 },
        { "boot-time", RVTOOL_DOUBLE, &cfg->boot_time_s, 0, week },
        { "channel-hop", RVTOOL_DOUBLE, &cfg->channel_hop_s, 0.001, week },
        { "ideal-receiver", RVTOOL_FLAG, &cfg->ideal_receiver, 0, 0 },
        { "placement", RVTOOL_CALL, NULL, 0, 0 },
        { "node-skew", RVTOOL_DOUBLE, &cfg->node_skew_ms, 0, 10000 },
        { "node-jitter", RVTOOL_DOUBLE, &cfg->node_jitter_ms, 0, 10000 },
        { "udp", RVTOOL_STRING, &out->udp, 0, 0 },
        { "speed", RVTOOL_DOUBLE, &out->speed, 0.01, 1000 },
        { "fast", RVTOOL_FLAG, &out->fast, 0, 0 },
        { "pcap", RVTOOL_STRING, &out->pcap, 0, 0 },
        { "labels", RVTOOL_STRING, &out->labels, 0, 0 },
        { "quiet", RVTOOL_FLAG, &out->quiet, 0, 0 },
    };
    int first = argc;
    int pst = rvtool_parse("rvsim", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), on_option,
                           cfg, usage, &first);
    if (pst >= 0)
        return pst;
    if (first < argc)
        return die("unexpected argument '%s'", argv[first]);
    if (!out->udp && !out->pcap && !out->labels)
        return die("no output given: use --udp HOST:PORT, --pcap FILE and/or --labels FILE");
    return -1;
}

/* Opens what out asks for; on failure says why, closes what it opened and
 * returns the exit status (0: all open). */
static int open_outputs(const outputs *out, rvsim_session *s, int *fd,
                        struct sockaddr_storage *addr, socklen_t *alen,
                        rvsim_pcap_writer **pw)
{
    *fd = -1;
    *pw = NULL;
    if (out->udp && open_udp(out->udp, fd, addr, alen) != 0)
        return die("--udp: cannot resolve or open '%s' (want HOST:PORT)", out->udp);
    if (out->labels) {
        FILE *lf = fopen(out->labels, "w");
        int rc = lf ? rvsim_labels_write(lf, s) : RVSIM_LABELS_ERR_IO;
        if (lf && fclose(lf) != 0)
            rc = RVSIM_LABELS_ERR_IO;
        if (rc != RVSIM_LABELS_OK) {
            fprintf(stderr, "rvsim: cannot write labels to '%s': %s\n", out->labels,
                    strerror(errno));
            goto fail;
        }
    }
    if (out->pcap) {
        int st;
        *pw = rvsim_pcap_writer_open(out->pcap, &st);
        if (!*pw || st != RVSIM_PCAP_OK) {
            fprintf(stderr, "rvsim: cannot write pcap '%s': %s\n", out->pcap,
                    rvsim_pcap_status_str(st));
            goto fail;
        }
    }
    return 0;
fail:
    if (*pw)
        rvsim_pcap_writer_close(*pw);
    *pw = NULL;
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
    return 1;
}

/* The one-line summary on stderr. */
static void print_summary(const rvsim_session *s, const struct timespec *start,
                          uint64_t n_pkts, uint64_t n_send_err)
{
    const rvsim_config *cfg = rvsim_session_config(s);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double el = (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) * 1e-9;
    fprintf(stderr, "rvsim: %llu packets, %u node(s), scenario %s, seed %llu, %.2f s wall%s",
            (unsigned long long)n_pkts, cfg->n_nodes, cfg->scenario,
            (unsigned long long)cfg->seed, el, g_stop ? " (interrupted)" : "");
    if (n_send_err)
        fprintf(stderr, ", %llu send errors", (unsigned long long)n_send_err);
    fprintf(stderr, "\n");
}

int main(int argc, char **argv)
{
    rvsim_config cfg;
    rvsim_config_default(&cfg);
    outputs out = { .speed = 1.0 };
    int rc = parse_args(argc, argv, &cfg, &out);
    if (rc >= 0)
        return rc;

    char err[160];
    rvsim_session *s = rvsim_session_new(&cfg, err, sizeof(err));
    if (!s)
        return die("%s", err);
    int fd;
    struct sockaddr_storage addr;
    socklen_t alen = 0;
    rvsim_pcap_writer *pw;
    rc = open_outputs(&out, s, &fd, &addr, &alen, &pw);
    if (rc) {
        rvsim_session_free(s);
        return rc;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    const bool pace = out.udp && !out.fast;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    uint64_t n_pkts = 0, n_send_err = 0;
    rvsim_packet p;
    while (!g_stop && rvsim_session_next(s, &p)) {
        if (pace)
            sleep_until(&start, p.t / out.speed);
        if (g_stop)
            break;
        if (fd >= 0 && sendto(fd, p.data, p.len, 0, (struct sockaddr *)&addr, alen) < 0)
            n_send_err++;      /* e.g. ENOBUFS or ICMP-refused: a lossy network, go on */
        if (pw && rvsim_pcap_write_udp(pw, p.t, p.node, p.data, p.len) != RVSIM_PCAP_OK) {
            fprintf(stderr, "rvsim: write error on '%s'\n", out.pcap);
            rc = 1;
            break;
        }
        n_pkts++;
    }
    if (pw && rvsim_pcap_writer_close(pw) != RVSIM_PCAP_OK) {
        fprintf(stderr, "rvsim: write error on '%s'\n", out.pcap);
        rc = 1;
    }
    if (fd >= 0)
        close(fd);
    if (!out.quiet)
        print_summary(s, &start, n_pkts, n_send_err);
    rvsim_session_free(s);
    return rc;
}
