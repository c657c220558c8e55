/*
 * Port for hosted C: the host reference build of the runner and the RV32
 * targets (picolibc's semihosting crt0 routes stdio and exit() through
 * RISC-V semihosting there). No stack painting, no instruction counter.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../common/fw_port.h"

void fw_write(const char *s)
{
    fputs(s, stdout);
    fflush(stdout);
}

void fw_exit(int status)
{
    exit(status);
}

void fw_stack_bounds(uint8_t **bottom, uint8_t **top)
{
    *bottom = NULL;
    *top = NULL;
}

uint64_t fw_insn_count(void)
{
    return 0;
}

int fw_insn_count_valid(void)
{
    return 0;
}

uint64_t fw_insn_calibrate(uint64_t *expected)
{
    *expected = 0;
    return 0;
}

void fw_profile_start(uint32_t period)
{
    (void)period;
}

void fw_profile_stop(void)
{
}

void fw_profile_dump(void)
{
}

int main(void)
{
    fw_exit(fw_main());
}
