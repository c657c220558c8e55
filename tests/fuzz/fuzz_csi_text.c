/*
 * fuzz_csi_text.c — libFuzzer target for the CSI text-line parser.
 *
 * The input is one line (not NUL-terminated: the parser must stay within
 * size, ASan watches). Accepted lines must give a consistent frame, and a
 * size query (no I/Q buffer) must agree with the full parse.
 */
#include <stdlib.h>
#include "rv_csi_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static int8_t iq[2u * RV_CSI_MAX_SUBCARRIERS];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rv_csi_text_info info, q;
    rv_csi_frame f;
    const char *line = (const char *)data;
    rv_status st = rv_csi_text_parse(line, size, &info, &f, iq, sizeof iq);
    CHECK(rv_status_str(st) != NULL);
    if (st != RV_OK)
        return 0;

    CHECK(info.format != RV_CSI_TEXT_UNKNOWN);
    CHECK(f.n_antennas == 1 && f.n_subcarriers >= 1);
    CHECK((size_t)f.n_subcarriers * 2u == info.n_values);
    CHECK(f.node_id == info.mac[5] && f.iq == iq);
    CHECK(info.has_id == (info.format != RV_CSI_TEXT_CSI_TOOL));
    CHECK(f.freq_mhz == rv_csi_text_channel_mhz(info.channel));
    CHECK(rv_csi_frame_size(f.n_antennas, f.n_subcarriers) != 0);

    rv_csi_frame g;
    CHECK(rv_csi_text_parse(line, size, &q, &g, NULL, 0) == RV_ERR_SHORT_OUTPUT);
    CHECK(q.n_values == info.n_values && q.n_clipped == info.n_clipped);
    CHECK(info.n_clipped <= info.n_values);
    return 0;
}
