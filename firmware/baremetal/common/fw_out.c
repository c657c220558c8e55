/*
 * fw_out.c — line protocol (fw_out.h) and stack painting for the runner.
 */
#include "fw_out.h"

#include <stddef.h>
#include <string.h>

#include "fw_port.h"

#define PAINT 0xA5u
#define PAINT_MARGIN 64u    /* bytes left unpainted below the painter's frame */

static uint32_t failures;
static uintptr_t paint_top;  /* highest painted address + 1, 0 = none */
static uintptr_t paint_ref;  /* the painter's frame: usage is measured from here */

static char *put_str(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

static char *put_hex32(char *p, uint32_t v)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 7; i >= 0; i--)
        *p++ = hex[(v >> (4 * i)) & 0xFu];
    return p;
}

static char *put_dec(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

void fw_out_values(const char *name, const float *x, uint32_t n)
{
    char line[160];
    uint32_t i = 0;
    do {
        char *p = put_str(line, "V ");
        p = put_str(p, name);
        *p++ = ' ';
        uint32_t m = n - i < 8u ? n - i : 8u;
        p = put_dec(p, m);
        for (uint32_t j = 0; j < m; j++, i++) {
            uint32_t bits;
            memcpy(&bits, &x[i], sizeof(bits));
            *p++ = ' ';
            p = put_hex32(p, bits);
        }
        *p++ = '\n';
        *p = '\0';
        fw_write(line);
    } while (i < n);
}

void fw_out_check(const char *name, bool ok)
{
    char line[96];
    char *p = put_str(line, "T ");
    p = put_str(p, name);
    p = put_str(p, ok ? " PASS\n" : " FAIL\n");
    *p = '\0';
    fw_write(line);
    if (!ok)
        failures++;
}

void fw_out_budget(const char *key, uint64_t value)
{
    char line[96];
    char *p = put_str(line, "B ");
    p = put_str(p, key);
    *p++ = ' ';
    p = put_dec(p, value);
    *p++ = '\n';
    *p = '\0';
    fw_write(line);
}

uint32_t fw_out_failures(void)
{
    return failures;
}

__attribute__((noinline)) void fw_stack_paint(void)
{
    uint8_t *bottom, *top;
    fw_stack_bounds(&bottom, &top);
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    paint_top = 0;
    if (!bottom || sp < (uintptr_t)bottom + 2u * PAINT_MARGIN || sp > (uintptr_t)top)
        return;
    paint_ref = sp;
    paint_top = sp - PAINT_MARGIN;
    for (volatile uint8_t *p = bottom; (uintptr_t)p < paint_top; p++)
        *p = PAINT;
}

/* Bytes from the painter's frame down to the lowest touched byte: the
 * deepest stack of whatever ran since fw_stack_paint(), within the
 * PAINT_MARGIN (64 bytes) of slack this method has. */
uint32_t fw_stack_used(void)
{
    uint8_t *bottom, *top;
    fw_stack_bounds(&bottom, &top);
    if (!bottom || !paint_top)
        return 0;
    const volatile uint8_t *p = bottom;
    while ((uintptr_t)p < paint_top && *p == PAINT)
        p++;
    return (uint32_t)(paint_ref - (uintptr_t)p);
}
