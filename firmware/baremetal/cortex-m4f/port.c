/*
 * Cortex-M4F port: ARM semihosting (bkpt 0xAB) for console and exit, and
 * an instruction counter from the CMSDK APB timer 0 of mps2-an386.
 *
 * Instruction counting: the test runs QEMU with `-icount shift=0`, so the
 * virtual clock advances exactly 1 ns per executed instruction. Timer 0
 * counts down at the board's 25 MHz peripheral clock, i.e. one tick per
 * 40 instructions. The budget command calibrates this against a loop of
 * known length and prints both numbers.
 */
#include <stdint.h>

#include "../common/fw_port.h"

#define SEMI_SYS_WRITE0         0x04u
#define SEMI_SYS_EXIT_EXTENDED  0x20u
#define SEMI_ADP_APP_EXIT       0x20026u

#define TIMER0_CTRL   (*(volatile uint32_t *)0x40000000u)
#define TIMER0_VALUE  (*(volatile uint32_t *)0x40000004u)
#define TIMER0_RELOAD (*(volatile uint32_t *)0x40000008u)
#define INSN_PER_TICK 40u

extern uint8_t _fw_stack_bottom[], _fw_stack_top[];

static uint32_t semi_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void fw_write(const char *s)
{
    semi_call(SEMI_SYS_WRITE0, s);
}

void fw_exit(int status)
{
    uint32_t block[2] = { SEMI_ADP_APP_EXIT, (uint32_t)status };
    semi_call(SEMI_SYS_EXIT_EXTENDED, block);
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
    if (!(TIMER0_CTRL & 1u)) {
        TIMER0_RELOAD = 0xFFFFFFFFu;
        TIMER0_VALUE = 0xFFFFFFFFu;
        TIMER0_CTRL = 1u;
    }
    return (uint64_t)(0xFFFFFFFFu - TIMER0_VALUE) * INSN_PER_TICK;
}

int fw_insn_count_valid(void)
{
    return 1;
}

/* 2 instructions per iteration (subs, bne) plus the 3 around the loop. */
#define CALIB_ITERS 250000u

uint64_t fw_insn_calibrate(uint64_t *expected)
{
    uint32_t n = CALIB_ITERS;
    uint64_t t0 = fw_insn_count();
    __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
    uint64_t t1 = fw_insn_count();
    *expected = 2u * CALIB_ITERS;
    return t1 - t0;
}

/* ---- sampling profiler (SysTick, processor clock = the 25 MHz timer clock) */

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define PROF_MAX 65536u

static uint32_t prof_pc[PROF_MAX];
static uint32_t prof_n;

void fw_systick_handler(void);
void fw_systick_sample(const uint32_t *frame);

/* The hardware stacked r0-r3, r12, lr, pc, xpsr on MSP: pc is word 6 of the
 * frame (also with the FPU's extended frame). */
__attribute__((naked)) void fw_systick_handler(void)
{
    __asm__ volatile("mrs r0, msp\n\tb fw_systick_sample");
}

void fw_systick_sample(const uint32_t *frame)
{
    if (prof_n < PROF_MAX)
        prof_pc[prof_n++] = frame[6];
}

void fw_profile_start(uint32_t period)
{
    prof_n = 0;
    SYST_RVR = period - 1u;
    SYST_CVR = 0;
    SYST_CSR = 7u;      /* processor clock, interrupt, enable */
}

void fw_profile_stop(void)
{
    SYST_CSR = 0;
}

void fw_profile_dump(void)
{
    static const char hex[] = "0123456789abcdef";
    char line[8 * 9 + 4];
    for (uint32_t i = 0; i < prof_n; i += 8u) {
        char *p = line;
        *p++ = 'P';
        for (uint32_t j = i; j < prof_n && j < i + 8u; j++) {
            *p++ = ' ';
            for (int k = 7; k >= 0; k--)
                *p++ = hex[(prof_pc[j] >> (4 * k)) & 0xFu];
        }
        *p++ = '\n';
        *p = '\0';
        fw_write(line);
    }
}
