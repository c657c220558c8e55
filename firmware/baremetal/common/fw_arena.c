/*
 * fw_arena.c — the runner's ruv_temporal allocator: one static arena, one
 * block at a time. It counts calls, so the runner can prove "one
 * allocation at init, none afterwards", and free() leaves the bytes mapped,
 * so a push after destroy exercises the ABI's dead-context guard.
 */
#include <stddef.h>
#include <stdint.h>

#include "ruv_temporal.h"
#include "fw_arena.h"

#ifndef FW_ARENA_SIZE
#define FW_ARENA_SIZE (192u * 1024u)
#endif

static _Alignas(8) uint8_t arena[FW_ARENA_SIZE];
static uint32_t n_alloc, n_free;
static size_t in_use, last_size;

void *ruv_temporal_mem_alloc(size_t size)
{
    n_alloc++;
    if (in_use || size > sizeof(arena))
        return NULL;
    in_use = size;
    last_size = size;
    return arena;
}

void ruv_temporal_mem_free(void *p)
{
    n_free++;
    if (p == arena)
        in_use = 0;
}

uint32_t fw_arena_allocs(void)
{
    return n_alloc;
}

uint32_t fw_arena_frees(void)
{
    return n_free;
}

size_t fw_arena_last_size(void)
{
    return last_size;
}
