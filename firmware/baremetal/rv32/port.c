/*
 * RV32 port (ESP32-C3/C6/P4 class cores) on QEMU's riscv32 `virt` machine.
 * picolibc's semihosting crt0 (`--crt0=semihost --oslib=semihost`) sets up
 * .data/.bss/TLS, enables the FPU when the ABI has one, and routes stdout
 * and exit() through RISC-V semihosting (slli/ebreak/srai), so this port
 * only adds the stack bounds of picolibc.ld. QEMU gives no instruction
 * counter we can read from the guest here; the budget uses the Cortex-M4F.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../common/fw_port.h"

/* picolibc.ld: the stack is the top __stack_size bytes of RAM. */
extern uint8_t __heap_end[], __stack[];

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
    *bottom = __heap_end;
    *top = __stack;
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
    return fw_main();
}
