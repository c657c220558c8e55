/*
 * sim_pcap_dump — test helper: print UDP payloads as hex, one per line,
 * either read from a pcap with librvsim's reader, or generated in-process
 * by a session (to compare the tool's file with the library's packets):
 *   sim_pcap_dump FILE
 *   sim_pcap_dump --session NODES RATE DURATION SEED SCENARIO [--feature-state]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rvsim.h"
#include "rvsim_pcap.h"

static void hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc >= 7 && strcmp(argv[1], "--session") == 0) {
        rvsim_config c;
        rvsim_config_default(&c);
        c.n_nodes = (uint32_t)atoi(argv[2]);
        c.rate_hz = atof(argv[3]);
        c.duration_s = atof(argv[4]);
        c.seed = strtoull(argv[5], NULL, 10);
        c.scenario = argv[6];
        c.feature_state = argc > 7 && strcmp(argv[7], "--feature-state") == 0;
        char err[128];
        rvsim_session *s = rvsim_session_new(&c, err, sizeof(err));
        if (!s) {
            fprintf(stderr, "sim_pcap_dump: %s\n", err);
            return 1;
        }
        rvsim_packet p;
        while (rvsim_session_next(s, &p))
            hex(p.data, p.len);
        rvsim_session_free(s);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: sim_pcap_dump FILE | --session N RATE DUR SEED SCENARIO [--feature-state]\n");
        return 2;
    }
    rvsim_pcap_reader r;
    int st = rvsim_pcap_reader_open_file(&r, argv[1]);
    rvsim_udp_record u;
    while (st == RVSIM_PCAP_OK && (st = rvsim_pcap_next_udp(&r, &u)) == RVSIM_PCAP_OK)
        hex(u.payload, u.len);
    rvsim_pcap_reader_close(&r);
    if (st != RVSIM_PCAP_END) {
        fprintf(stderr, "sim_pcap_dump: %s: %s\n", argv[1], rvsim_pcap_status_str(st));
        return 1;
    }
    return 0;
}
