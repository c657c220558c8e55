/* Host stand-in for ESP-IDF's esp_heap_caps.h (compile check only). */
#pragma once
#include <stddef.h>
#include <stdint.h>
#define MALLOC_CAP_8BIT     (1u << 2)
#define MALLOC_CAP_INTERNAL (1u << 11)
void *heap_caps_malloc(size_t size, uint32_t caps);
void heap_caps_free(void *p);
