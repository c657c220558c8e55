/*
 * Xtensa port: the lx106 core (xtensa-lx106-elf-gcc, picolibc; Debian's only
 * Xtensa toolchain — the ESP32-S3 is an LX7 with an FPU, this core has
 * none) on QEMU's `sim` machine with `-cpu lx106 -semihosting`. Console and
 * exit use the Xtensa ISS `simcall` convention QEMU implements: a2 = call
 * number, a3.. = arguments, result in a2. Startup and memory map are ours
 * (startup.S, link.ld); picolibc supplies only libc/libm.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../common/fw_port.h"

#define SIMCALL_EXIT  1
#define SIMCALL_WRITE 4

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[];
extern uint8_t _fw_stack_bottom[], _fw_stack_top[];

void fw_cstart(void);

static int simcall(int nr, int a, const void *b, size_t c)
{
    register int a2 __asm__("a2") = nr;
    register int a3 __asm__("a3") = a;
    register const void *a4 __asm__("a4") = b;
    register size_t a5 __asm__("a5") = c;
    __asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
    return a2;
}

void fw_write(const char *s)
{
    (void)simcall(SIMCALL_WRITE, 1, s, strlen(s));
}

void fw_exit(int status)
{
    (void)simcall(SIMCALL_EXIT, status, NULL, 0);
    for (;;) {
    }
}

void fw_stack_bounds(uint8_t **bottom, uint8_t **top)
{
    *bottom = _fw_stack_bottom;
    *top = _fw_stack_top;
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

/* Entered from startup.S with the stack set. */
void fw_cstart(void)
{
    memcpy(_sdata, _sidata, (size_t)((uint8_t *)_edata - (uint8_t *)_sdata));
    memset(_sbss, 0, (size_t)((uint8_t *)_ebss - (uint8_t *)_sbss));
    fw_exit(fw_main());
}
