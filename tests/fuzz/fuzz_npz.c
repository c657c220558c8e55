/*
 * fuzz_npz.c — libFuzzer target for the .npz recording reader (zip
 * directory, inflate, .npy headers, member checks).
 *
 * The input is a whole file. An accepted recording must be self-consistent;
 * a rejected one must come with a message and no data.
 */
#include <stdlib.h>
#include <string.h>

#include "rvreal_npz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rvreal_recording r;
    char err[256];
    int st = rvreal_npz_load_mem(data, size, &r, err, sizeof err);
    if (st != RVREAL_NPZ_OK) {
        CHECK(err[0] != '\0' && r.csi == NULL);
        return 0;
    }
    CHECK(r.csi != NULL && r.n_packets >= 1);
    CHECK(r.n_subcarriers >= 1 && r.n_subcarriers <= RVREAL_NPZ_MAX_SUBCARRIERS);
    CHECK(r.duration_ms > 0.0);
    CHECK(r.gain_locked >= -1 && r.gain_locked <= 1);
    CHECK(strlen(r.label) < sizeof r.label && strlen(r.chip) < sizeof r.chip);
    /* every I/Q byte is readable (ASan checks the allocation) */
    size_t n = (size_t)r.n_packets * 2u * r.n_subcarriers;
    volatile int8_t sink = 0;
    sink ^= r.csi[0];
    sink ^= r.csi[n - 1];
    (void)sink;
    rvreal_recording_free(&r);
    return 0;
}
