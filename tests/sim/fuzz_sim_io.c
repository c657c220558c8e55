/*
 * fuzz_sim_io.c — libFuzzer target for the parsers of untrusted input on the
 * simulator/trainer side and the feature extractor. The first byte selects:
 *   0: pcap reader (whole file in memory), every record walked
 *   1: labels JSON-lines parser
 *   2: raw CSI packet -> rv_csi_frame_decode -> features for every antenna
 * Oracles: no crash, no out-of-bounds read (ASan), payloads inside the input,
 * finite features.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rv_csi_features.h"
#include "rv_wire.h"
#include "rvsim_labels.h"
#include "rvsim_pcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t sel = data[0] % 3u;
    const uint8_t *b = data + 1;
    size_t n = size - 1;
    if (sel == 0) {
        rvsim_pcap_reader r;
        if (rvsim_pcap_reader_open_mem(&r, b, n) == RVSIM_PCAP_OK) {
            rvsim_udp_record u;
            while (rvsim_pcap_next_udp(&r, &u) == RVSIM_PCAP_OK)
                if (u.payload < b || u.payload + u.len > b + n)
                    abort();
        }
    } else if (sel == 1) {
        rvsim_labels l;
        char err[128];
        if (rvsim_labels_parse((const char *)b, n, &l, err, sizeof(err)) == RVSIM_LABELS_OK) {
            for (size_t i = 0; i < l.n; i++)
                if (!(l.v[i].end >= l.v[i].start))
                    abort();
            (void)rvsim_labels_activity_at(&l, 1, 1.0);
        }
        rvsim_labels_free(&l);
    } else {
        rv_csi_frame f;
        if (rv_csi_frame_decode(b, n, &f) == RV_OK) {
            rv_csi_feat_state st;
            rv_csi_feat_init(&st, 10);
            float out[RV_CSI_FEAT_DIM], raw[RV_CSI_FEAT_DIM];
            for (int rep = 0; rep < 2; rep++)
                for (uint8_t a = 0; a < f.n_antennas; a++)
                    if (rv_csi_feat_extract_ex(&st, &f, a, out, raw) == RV_OK)
                        for (unsigned d = 0; d < RV_CSI_FEAT_DIM; d++)
                            if (!isfinite(out[d]) || !isfinite(raw[d]))
                                abort();
        }
    }
    return 0;
}
