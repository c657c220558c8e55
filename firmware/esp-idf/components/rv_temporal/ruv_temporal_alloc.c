/*
 * ruv_temporal_alloc.c — default allocator of the temporal-head context (one
 * call per init, one per destroy). Weak, so a firmware can supply its own
 * (PSRAM, a static arena) without editing the component; the bare-metal
 * test runners leave this file out and link a static arena instead.
 */
#include "ruv_temporal.h"

#ifdef ESP_PLATFORM
#include "esp_heap_caps.h"

__attribute__((weak)) void *ruv_temporal_mem_alloc(size_t size)
{
    /* Internal byte-addressable RAM: the KV caches are read every frame. */
    return heap_caps_malloc(size, MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT);
}

__attribute__((weak)) void ruv_temporal_mem_free(void *p)
{
    heap_caps_free(p);
}
#else
#include <stdlib.h>

__attribute__((weak)) void *ruv_temporal_mem_alloc(size_t size)
{
    return malloc(size);
}

__attribute__((weak)) void ruv_temporal_mem_free(void *p)
{
    free(p);
}
#endif
