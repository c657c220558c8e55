/*
 * lx106 startup (call0 ABI, no register windows): set the stack pointer
 * (a1) and enter C, which copies .data, clears .bss and runs the runner.
 */
    .section .entry.literal, "a"
    .align 4
.Lstack_top:
    .word _fw_stack_top
.Lcstart:
    .word fw_cstart

    .section .entry.text, "ax"
    .align 4
    .global _start
_start:
    l32r    a1, .Lstack_top
    l32r    a0, .Lcstart
    callx0  a0
1:  j       1b

/*
 * QEMU's sim machine starts the lx106 at the system-ROM reset vector
 * (0x50000000) rather than the ELF entry, so link.ld places this trampoline there:
 * jump over a literal holding _start's address, load it, go.
 */
    .section .reset.text, "ax"
    .global fw_reset_stub
fw_reset_stub:
    j       1f
    .align 4
.Lstart_addr:
    .word   _start
1:  l32r    a0, .Lstart_addr
    jx      a0
