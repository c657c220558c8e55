/*
 * fw_port.h — what each bare-metal target (and the host build of the same
 * runner) provides to the firmware test runner: a console line sink, an exit
 * with status, stack bounds for high-water measurement, and an instruction
 * counter where the emulator gives us one.
 *
 * Targets: cortex-m4f/ (ARM semihosting, bkpt 0xAB), rv32/ (picolibc's
 * semihosting crt0 and stdio), xtensa/ (QEMU simcall), host/ (stdio).
 */
#ifndef FW_PORT_H
#define FW_PORT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes a NUL-terminated string to the emulator's console. */
void fw_write(const char *s);
/* Ends the program; status 0 = pass. Never returns. */
void fw_exit(int status) __attribute__((noreturn));

/* Stack region the runner may paint below its own frame ([bottom, top)).
 * Both NULL on the host, where no high-water mark is measured. */
void fw_stack_bounds(uint8_t **bottom, uint8_t **top);

/* Instructions executed so far, when the target can count them (the
 * Cortex-M4F port under `qemu -icount shift=0`); 0 elsewhere. */
uint64_t fw_insn_count(void);
/* Whether fw_insn_count() means anything on this target. */
int fw_insn_count_valid(void);
/* Runs a loop of known length; returns the measured instruction count and
 * stores the exact count in *expected (both 0 where there is no counter). */
uint64_t fw_insn_calibrate(uint64_t *expected);

/* Sampling profiler (Cortex-M4F only): from start() to stop(), an interrupt
 * every `period` timer ticks records the interrupted PC; fw_profile_dump()
 * prints them as `P` lines. No-ops elsewhere. */
void fw_profile_start(uint32_t period);
void fw_profile_stop(void);
void fw_profile_dump(void);

/* The runner's entry point, called by each port's startup. */
int fw_main(void);

#ifdef __cplusplus
}
#endif
#endif /* FW_PORT_H */
