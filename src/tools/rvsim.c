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

int main(int argc, char **argv)
{
    rvsim_config cfg;
    rvsim_config_default(&cfg);
    const char *udp = NULL, *pcap = NULL, *labels = NULL;
    double speed = 1.0;
    int fast = 0, quiet = 0;

    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t u;
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(o, "--fast") == 0) {
            fast = 1;
            continue;
        } else if (strcmp(o, "--quiet") == 0) {
            quiet = 1;
            continue;
        } else if (strcmp(o, "--feature-state") == 0) {
            cfg.feature_state = true;
            continue;
        } else if (strcmp(o, "--vitals") == 0) {
            cfg.vitals = true;
            continue;
        } else if (strcmp(o, "--ideal-receiver") == 0) {
            cfg.ideal_receiver = true;
            continue;
        }
        /* everything else takes a value */
        static const char *const with_value[] = {
            "--nodes", "--rate", "--duration", "--seed", "--scenario", "--udp", "--pcap",
            "--labels", "--speed", "--loss", "--dup", "--reorder", "--reboot-at",
            "--crash-loop", "--boot-time", "--channel-hop",
            "--subcarriers", "--receiver", "--placement", "--node-skew", "--node-jitter", NULL
        };
        int known = 0;
        for (const char *const *w = with_value; *w; w++)
            known |= strcmp(*w, o) == 0;
        if (!known)
            return die("unknown option '%s'", o);
        if (!v)
            return die("option %s needs a value", o);
        i++;
        if (strcmp(o, "--nodes") == 0) {
            if (rvtool_parse_u64(v, 255, &u) || u == 0)
                return die("--nodes: '%s' is not an integer in 1..255", v);
            cfg.n_nodes = (uint32_t)u;
        } else if (strcmp(o, "--rate") == 0) {
            if (rvtool_parse_double(v, 1.0, 1000.0, &cfg.rate_hz))
                return die("--rate: '%s' is not a number in 1..1000", v);
        } else if (strcmp(o, "--duration") == 0) {
            if (rvtool_parse_double(v, 1e-3, 7 * 86400.0, &cfg.duration_s))
                return die("--duration: '%s' is not a positive number of seconds (max a week)", v);
        } else if (strcmp(o, "--seed") == 0) {
            if (rvtool_parse_u64(v, UINT64_MAX, &cfg.seed))
                return die("--seed: '%s' is not an unsigned 64-bit integer", v);
        } else if (strcmp(o, "--scenario") == 0) {
            if (!rvsim_scenario_description(v))
                return die("--scenario: unknown scenario '%s'", v);
            cfg.scenario = v;
        } else if (strcmp(o, "--udp") == 0) {
            udp = v;
        } else if (strcmp(o, "--pcap") == 0) {
            pcap = v;
        } else if (strcmp(o, "--labels") == 0) {
            labels = v;
        } else if (strcmp(o, "--speed") == 0) {
            if (rvtool_parse_double(v, 0.01, 1000.0, &speed))
                return die("--speed: '%s' is not a number in 0.01..1000", v);
        } else if (strcmp(o, "--loss") == 0) {
            if (rvtool_parse_double(v, 0, 1, &cfg.loss))
                return die("--loss: '%s' is not a probability in 0..1", v);
        } else if (strcmp(o, "--dup") == 0) {
            if (rvtool_parse_double(v, 0, 1, &cfg.dup))
                return die("--dup: '%s' is not a probability in 0..1", v);
        } else if (strcmp(o, "--reorder") == 0) {
            if (rvtool_parse_double(v, 0, 1, &cfg.reorder))
                return die("--reorder: '%s' is not a probability in 0..1", v);
        } else if (strcmp(o, "--reboot-at") == 0) {
            char buf[64];
            snprintf(buf, sizeof(buf), "%s", v);
            char *c = strchr(buf, ':');
            cfg.reboot_node = 1;
            if (c) {
                *c = 0;
                if (rvtool_parse_u64(c + 1, 255, &u) || u == 0)
                    return die("--reboot-at: bad node in '%s'", v);
                cfg.reboot_node = (uint32_t)u;
            }
            if (rvtool_parse_double(buf, 0, 7 * 86400.0, &cfg.reboot_at_s))
                return die("--reboot-at: '%s' is not SECONDS[:NODE]", v);
        } else if (strcmp(o, "--crash-loop") == 0) {
            char buf[64];
            snprintf(buf, sizeof(buf), "%s", v);
            char *c = strchr(buf, ':');
            cfg.crash_loop_node = 1;
            if (c) {
                *c = 0;
                if (rvtool_parse_u64(c + 1, 255, &u))
                    return die("--crash-loop: bad node in '%s'", v);
                cfg.crash_loop_node = (uint32_t)u;
            }
            if (rvtool_parse_double(buf, 0.001, 7 * 86400.0, &cfg.crash_loop_s))
                return die("--crash-loop: '%s' is not SECONDS[:NODE]", v);
        } else if (strcmp(o, "--boot-time") == 0) {
            if (rvtool_parse_double(v, 0, 7 * 86400.0, &cfg.boot_time_s))
                return die("--boot-time: '%s' is not a number of seconds", v);
        } else if (strcmp(o, "--channel-hop") == 0) {
            if (rvtool_parse_double(v, 0.001, 7 * 86400.0, &cfg.channel_hop_s))
                return die("--channel-hop: '%s' is not a positive number of seconds", v);
        } else if (strcmp(o, "--subcarriers") == 0) {
            if (rvtool_parse_u64(v, 192, &u) || (u != 64 && u != 192))
                return die("--subcarriers: '%s' must be 64 or 192", v);
            cfg.n_subcarriers = (uint16_t)u;
        } else if (strcmp(o, "--placement") == 0) {
            if (strcmp(v, "perimeter") == 0)
                cfg.placement = RVSIM_PLACE_PERIMETER;
            else if (strcmp(v, "random") == 0)
                cfg.placement = RVSIM_PLACE_RANDOM;
            else
                return die("--placement: '%s' must be perimeter or random", v);
        } else if (strcmp(o, "--node-skew") == 0) {
            if (rvtool_parse_double(v, 0, 10000, &cfg.node_skew_ms))
                return die("--node-skew: '%s' is not a number of ms in 0..10000", v);
        } else if (strcmp(o, "--node-jitter") == 0) {
            if (rvtool_parse_double(v, 0, 10000, &cfg.node_jitter_ms))
                return die("--node-jitter: '%s' is not a number of ms in 0..10000", v);
        } else if (strcmp(o, "--receiver") == 0) {
            if (strcmp(v, "fixed") == 0)
                cfg.receiver = RVSIM_RX_FIXED;
            else if (strcmp(v, "calibrated") == 0)
                cfg.receiver = RVSIM_RX_CALIBRATED;
            else
                return die("--receiver: '%s' must be fixed or calibrated", v);
        }
    }
    if (!udp && !pcap && !labels)
        return die("no output given: use --udp HOST:PORT, --pcap FILE and/or --labels FILE");

    char err[160];
    rvsim_session *s = rvsim_session_new(&cfg, err, sizeof(err));
    if (!s)
        return die("%s", err);

    int fd = -1;
    struct sockaddr_storage addr;
    socklen_t alen = 0;
    if (udp && open_udp(udp, &fd, &addr, &alen) != 0) {
        rvsim_session_free(s);
        return die("--udp: cannot resolve or open '%s' (want HOST:PORT)", udp);
    }
    if (labels) {
        FILE *lf = fopen(labels, "w");
        int rc = lf ? rvsim_labels_write(lf, s) : RVSIM_LABELS_ERR_IO;
        if (lf && fclose(lf) != 0)
            rc = RVSIM_LABELS_ERR_IO;
        if (rc != RVSIM_LABELS_OK) {
            fprintf(stderr, "rvsim: cannot write labels to '%s': %s\n", labels, strerror(errno));
            rvsim_session_free(s);
            if (fd >= 0)
                close(fd);
            return 1;
        }
    }
    rvsim_pcap_writer *pw = NULL;
    if (pcap) {
        int st;
        pw = rvsim_pcap_writer_open(pcap, &st);
        if (!pw || st != RVSIM_PCAP_OK) {
            fprintf(stderr, "rvsim: cannot write pcap '%s': %s\n", pcap, rvsim_pcap_status_str(st));
            if (pw)
                rvsim_pcap_writer_close(pw);
            rvsim_session_free(s);
            if (fd >= 0)
                close(fd);
            return 1;
        }
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    const int pace = udp && !fast;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    uint64_t n_pkts = 0, n_send_err = 0;
    int rc = 0;
    rvsim_packet p;
    while (!g_stop && rvsim_session_next(s, &p)) {
        if (pace)
            sleep_until(&start, p.t / speed);
        if (g_stop)
            break;
        if (fd >= 0 && sendto(fd, p.data, p.len, 0, (struct sockaddr *)&addr, alen) < 0)
            n_send_err++;      /* e.g. ENOBUFS or ICMP-refused: a lossy network, go on */
        if (pw && rvsim_pcap_write_udp(pw, p.t, p.node, p.data, p.len) != RVSIM_PCAP_OK) {
            fprintf(stderr, "rvsim: write error on '%s'\n", pcap);
            rc = 1;
            break;
        }
        n_pkts++;
    }
    if (pw && rvsim_pcap_writer_close(pw) != RVSIM_PCAP_OK) {
        fprintf(stderr, "rvsim: write error on '%s'\n", pcap);
        rc = 1;
    }
    if (fd >= 0)
        close(fd);
    if (!quiet) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double el = (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) * 1e-9;
        fprintf(stderr, "rvsim: %llu packets, %u node(s), scenario %s, seed %llu, %.2f s wall%s",
                (unsigned long long)n_pkts, cfg.n_nodes, rvsim_session_config(s)->scenario,
                (unsigned long long)cfg.seed, el, g_stop ? " (interrupted)" : "");
        if (n_send_err)
            fprintf(stderr, ", %llu send errors", (unsigned long long)n_send_err);
        fprintf(stderr, "\n");
    }
    rvsim_session_free(s);
    return rc;
}
