/*
 * Cortex-M4F startup for QEMU's mps2-an386 (Cortex-M4 with FPv4-SP): the
 * vector table, a reset handler that enables the FPU, copies .data and
 * clears .bss, and a fault handler that reports and exits. The M-profile
 * core loads SP and PC from the first two table words, so the table sits at
 * address 0 (see link.ld).
 */
#include <stdint.h>
#include <string.h>

#include "../common/fw_port.h"

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[];
extern uint32_t _fw_stack_top[];

void fw_reset_handler(void);
void fw_fault_handler(void);
/* port.c's profiler takes SysTick; without it SysTick is a fault. */
void fw_systick_handler(void) __attribute__((weak, alias("fw_fault_handler")));

void fw_reset_handler(void)
{
    /* CPACR: full access to CP10/CP11 (the FPU) before any float code. */
    volatile uint32_t *cpacr = (volatile uint32_t *)0xE000ED88u;
    *cpacr |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");

    memcpy(_sdata, _sidata, (size_t)((uint8_t *)_edata - (uint8_t *)_sdata));
    memset(_sbss, 0, (size_t)((uint8_t *)_ebss - (uint8_t *)_sbss));
    fw_exit(fw_main());
}

void fw_fault_handler(void)
{
    fw_write("FAULT: exception taken (hard fault / usage fault)\n");
    fw_exit(3);
}

/* Initial SP, reset, NMI, HardFault, MemManage, BusFault, UsageFault. */
__attribute__((section(".isr_vector"), used))
const void *const fw_vectors[16] = {
    _fw_stack_top,
    (const void *)fw_reset_handler,
    (const void *)fw_fault_handler,
    (const void *)fw_fault_handler,
    (const void *)fw_fault_handler,
    (const void *)fw_fault_handler,
    (const void *)fw_fault_handler,
    0, 0, 0, 0,
    (const void *)fw_fault_handler,   /* SVCall */
    (const void *)fw_fault_handler,   /* DebugMonitor */
    0,
    (const void *)fw_fault_handler,   /* PendSV */
    (const void *)fw_systick_handler, /* SysTick */
};
