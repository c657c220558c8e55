/* fw_arena.h — call counters of the runner's static-arena allocator. */
#ifndef FW_ARENA_H
#define FW_ARENA_H

#include <stddef.h>
#include <stdint.h>

uint32_t fw_arena_allocs(void);
uint32_t fw_arena_frees(void);
size_t   fw_arena_last_size(void);   /* bytes of the latest allocation */

#endif /* FW_ARENA_H */
