/* Host stand-in for the FreeRTOS types temporal_task.c uses; the test
 * (test_temporal_task.c) implements the queue and task calls. */
#pragma once
#include <stddef.h>
#include <stdint.h>
typedef uint32_t TickType_t;
typedef int BaseType_t;
typedef unsigned int UBaseType_t;
typedef struct fake_queue *QueueHandle_t;
typedef struct fake_task *TaskHandle_t;
typedef struct fake_sem *SemaphoreHandle_t;
typedef void (*TaskFunction_t)(void *);
#define pdTRUE 1
#define pdFALSE 0
#define pdPASS 1
#define pdMS_TO_TICKS(ms) ((TickType_t)(ms))
#define portMAX_DELAY ((TickType_t)0xFFFFFFFFu)
