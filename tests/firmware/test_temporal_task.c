/*
 * test_temporal_task.c — runs the component's FreeRTOS task module
 * (temporal_task.c, compiled unchanged) on the host against stand-in
 * FreeRTOS/ESP-IDF headers (tests/firmware/idf_shim): frames go through the
 * queue, the fake clock runs at 100 frames/s, and every packet the task
 * hands to the node's UDP sender must decode with the host decoder and
 * carry exactly the logits a direct ABI run gives at the same frame.
 */
#include <check.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/queue.h"
#include "freertos/semphr.h"
#include "freertos/task.h"
#include "ruv_temporal.h"
#include "rv_rvne.h"
#include "rv_wire.h"
#include "temporal_task.h"

/* ---- the embedded weights: a v1 blob of a shape known at compile time ---- */

#define IN 9u
#define CLS 4u
#define WIN 64u
/* per layer Wq [16][9] + Wk [8][9] + Wv [8][9] + Wo [9][16], head [4][9] */
#define N_WEIGHTS (144u + 72u + 72u + 144u + 36u)
#define BLOB_LEN (28u + 4u * N_WEIGHTS)

uint8_t test_weights[BLOB_LEN] __asm__("_binary_rv_temporal_weights_rvne_start");
__asm__(".globl _binary_rv_temporal_weights_rvne_end\n\t"
        ".set _binary_rv_temporal_weights_rvne_end, _binary_rv_temporal_weights_rvne_start + 1900");

static void make_weights(void)
{
    rv_rvne_spec s;
    memset(&s, 0, sizeof(s));
    s.version = 1;
    s.arch.input_dim = IN;
    s.arch.q_heads = 2;
    s.arch.kv_heads = 1;
    s.arch.head_dim = 8;
    s.arch.n_layers = 1;
    s.arch.d_model = IN;
    s.arch.n_heads = 1;
    s.arch.head_classes[0] = CLS;
    s.prov_accuracy = NAN;
    static float w[N_WEIGHTS];
    ck_assert_uint_eq(rv_rvne_weight_count(&s.arch), N_WEIGHTS);
    ck_assert_uint_eq(BLOB_LEN, 1900);
    for (uint32_t i = 0; i < N_WEIGHTS; i++)
        w[i] = (float)((int)((i * 2654435761u) >> 24) - 128) / 256.0f;
    size_t n = 0;
    ck_assert_int_eq(rv_rvne_write(&s, w, N_WEIGHTS, test_weights, sizeof(test_weights), &n), RV_OK);
    ck_assert_uint_eq(n, BLOB_LEN);
}

/* ---- fake FreeRTOS: one queue, one task that runs when the test says so or
 * when someone waits on a semaphore it has not given yet ---- */

struct fake_queue {
    uint8_t *items;
    UBaseType_t len, size, head, count;
};
struct fake_task {
    TaskFunction_t fn;
    void *arg;
};
struct fake_sem {
    int given;
};

static struct fake_task the_task;
static int task_alive, queues_alive, sems_alive;
static int64_t now_us;
static jmp_buf task_yield;          /* the task "blocks" on an empty queue */

int64_t esp_timer_get_time(void)
{
    return now_us;
}

QueueHandle_t xQueueCreate(UBaseType_t length, UBaseType_t item_size)
{
    struct fake_queue *q = calloc(1, sizeof(*q));
    q->items = calloc(length, item_size);
    q->len = length;
    q->size = item_size;
    queues_alive++;
    return q;
}

BaseType_t xQueueSend(QueueHandle_t q, const void *item, TickType_t wait)
{
    (void)wait;
    if (q->count == q->len)
        return pdFALSE;
    memcpy(q->items + ((q->head + q->count) % q->len) * q->size, item, q->size);
    q->count++;
    return pdTRUE;
}

BaseType_t xQueueReceive(QueueHandle_t q, void *item, TickType_t wait)
{
    (void)wait;
    if (q->count == 0)
        longjmp(task_yield, 1);     /* nothing to do: back to the test */
    memcpy(item, q->items + q->head * q->size, q->size);
    q->head = (q->head + 1) % q->len;
    q->count--;
    now_us += 10000;                /* frames arrive at 100 Hz */
    return pdTRUE;
}

void vQueueDelete(QueueHandle_t q)
{
    free(q->items);
    free(q);
    queues_alive--;
}

BaseType_t xTaskCreatePinnedToCore(TaskFunction_t fn, const char *name, uint32_t stack,
                                   void *arg, UBaseType_t prio, TaskHandle_t *out,
                                   BaseType_t core)
{
    (void)name;
    (void)stack;
    (void)prio;
    (void)core;
    the_task.fn = fn;
    the_task.arg = arg;
    task_alive = 1;
    *out = &the_task;
    return pdPASS;
}

/* The task deleting itself (the only use temporal_task.c makes of it). */
void vTaskDelete(TaskHandle_t t)
{
    ck_assert_ptr_null(t);
    task_alive = 0;
    longjmp(task_yield, 2);
}

/* Lets the task run until it blocks on an empty queue or deletes itself.
 * Each call enters the task function anew (the previous run was left by
 * longjmp); the task keeps its state in module variables, so this is the
 * same as the task waking up again. */
static void run_task(void)
{
    ck_assert(task_alive);
    if (setjmp(task_yield) == 0)
        the_task.fn(the_task.arg);
}

SemaphoreHandle_t xSemaphoreCreateBinary(void)
{
    sems_alive++;
    return calloc(1, sizeof(struct fake_sem));
}

BaseType_t xSemaphoreGive(SemaphoreHandle_t sem)
{
    sem->given = 1;
    return pdTRUE;
}

BaseType_t xSemaphoreTake(SemaphoreHandle_t sem, TickType_t wait)
{
    (void)wait;
    if (!sem->given && task_alive)
        run_task();                 /* the waiter blocks: the task runs */
    ck_assert_msg(sem->given, "deadlock: nobody gives the semaphore");
    sem->given = 0;
    return pdTRUE;
}

void vSemaphoreDelete(SemaphoreHandle_t sem)
{
    free(sem);
    sems_alive--;
}

/* ---- the node firmware's hooks (temporal_task.c declares them) ---- */

uint8_t csi_collector_get_node_id(void);
int stream_sender_send(const uint8_t *data, size_t len);

#define MAX_PKTS 16
static uint8_t pkts[MAX_PKTS][64];
static size_t pkt_len[MAX_PKTS];
static int n_pkts;

uint8_t csi_collector_get_node_id(void)
{
    return 7;
}

int stream_sender_send(const uint8_t *data, size_t len)
{
    ck_assert_int_lt(n_pkts, MAX_PKTS);
    ck_assert_uint_le(len, sizeof(pkts[0]));
    memcpy(pkts[n_pkts], data, len);
    pkt_len[n_pkts++] = len;
    return (int)len;
}

static void frame(uint32_t t, float *x)
{
    for (uint32_t i = 0; i < IN; i++)
        x[i] = (float)((int)(((t * 31u + i) * 2654435761u) >> 25) - 64) / 32.0f;
}

static void setup(void)
{
    make_weights();
    now_us = 0;
    n_pkts = 0;
}

static void teardown(void)
{
    temporal_task_stop();
    ck_assert_int_eq(queues_alive, 0);
    ck_assert_int_eq(sems_alive, 0);
    ck_assert_int_eq(task_alive, 0);
}

START_TEST(packets_decode_and_match_the_abi)
{
    float x[IN];
    frame(0, x);
    ck_assert_int_eq(temporal_task_push_frame(x, IN), ESP_ERR_INVALID_STATE);
    ck_assert_int_eq(temporal_task_start(IN, WIN, CLS), ESP_OK);
    ck_assert_int_eq(temporal_task_start(IN, WIN, CLS), ESP_OK);   /* idempotent */

    /* 250 frames in batches the queue holds; the clock passes 1 s and 2 s */
    for (uint32_t t = 0; t < 250u; t++) {
        frame(t, x);
        ck_assert_int_eq(temporal_task_push_frame(x, IN), ESP_OK);
        if ((t + 1u) % 25u == 0)
            run_task();
    }
    ck_assert_int_eq(n_pkts, 2);

    /* the same frames through the ABI directly, classified at frames 100, 200 */
    ruv_temporal_ctx_t *ctx = NULL;
    ck_assert_int_eq(ruv_temporal_init(test_weights, BLOB_LEN, IN, WIN, CLS, &ctx), ESP_OK);
    float want[2][CLS];
    for (uint32_t t = 0; t < 200u; t++) {
        frame(t, x);
        ck_assert_int_eq(ruv_temporal_push(ctx, x), ESP_OK);
        if (t + 1u == 100u || t + 1u == 200u)
            ck_assert_int_eq(ruv_temporal_classify(ctx, want[t / 100u], CLS), ESP_OK);
    }
    ruv_temporal_destroy(ctx);

    for (int i = 0; i < 2; i++) {
        rv_pkt p;
        ck_assert_uint_eq(pkt_len[i], RV_CLASSIFICATION_SIZE);
        ck_assert_int_eq(rv_pkt_decode(pkts[i], pkt_len[i], &p), RV_OK);
        ck_assert_int_eq(p.kind, RV_PKT_CLASSIFICATION);
        ck_assert_uint_eq(p.u.cls.node_id, 7);
        ck_assert_uint_eq(p.u.cls.seq, (uint32_t)i + 1u);
        ck_assert_uint_eq(p.u.cls.n_classes, CLS);
        ck_assert_uint_eq(p.u.cls.ts_us, (uint64_t)(i + 1) * 1000000u);
        uint32_t best = 0;
        for (uint32_t c = 1; c < CLS; c++)
            best = want[i][c] > want[i][best] ? c : best;
        ck_assert_uint_eq(p.u.cls.argmax, best);
        ck_assert_float_eq(p.u.cls.top_logit, want[i][best]);
        ck_assert(p.u.cls.top1_minus_top2 >= 0.0f);
    }
}
END_TEST

START_TEST(queue_full_drops_and_counts)
{
    float x[IN];
    frame(0, x);
    ck_assert_int_eq(temporal_task_start(IN, WIN, CLS), ESP_OK);
    for (int i = 0; i < 32; i++)
        ck_assert_int_eq(temporal_task_push_frame(x, IN), ESP_OK);
    ck_assert_int_eq(temporal_task_push_frame(x, IN), ESP_ERR_TIMEOUT);
    ck_assert_uint_eq(temporal_task_dropped(), 1);
    ck_assert_int_eq(temporal_task_push_frame(x, 3), ESP_ERR_TIMEOUT);   /* short: padded, still full */
    run_task();
    ck_assert_int_eq(temporal_task_push_frame(x, 3), ESP_OK);
    ck_assert_int_eq(temporal_task_push_frame(NULL, IN), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(temporal_task_push_frame(x, 0), ESP_ERR_INVALID_ARG);
    temporal_task_stop();
    ck_assert_int_eq(temporal_task_push_frame(x, IN), ESP_ERR_INVALID_STATE);
}
END_TEST

START_TEST(start_rejects_bad_config)
{
    ck_assert_int_eq(temporal_task_start(0, WIN, CLS), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(temporal_task_start(IN, WIN, CLS + 1u), ESP_ERR_INVALID_SIZE);
    ck_assert_int_eq(temporal_task_start(TEMPORAL_TASK_MAX_DIM + 1u, WIN, CLS), ESP_ERR_INVALID_SIZE);
    ck_assert_int_eq(temporal_task_start(IN + 1u, WIN, CLS), ESP_ERR_INVALID_ARG); /* blob mismatch */
    ck_assert_int_eq(task_alive, 0);
    ck_assert_int_eq(queues_alive, 0);
    ck_assert_int_eq(sems_alive, 0);
    test_weights[100] ^= 1u;                                  /* corrupt the embedded blob */
    ck_assert_int_eq(temporal_task_start(IN, WIN, CLS), ESP_ERR_INVALID_CRC);
    ck_assert_int_eq(task_alive, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("temporal_task");
    TCase *tc = tcase_create("task");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, packets_decode_and_match_the_abi);
    tcase_add_test(tc, queue_full_drops_and_counts);
    tcase_add_test(tc, start_rejects_bad_config);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);   /* longjmp stays in one process */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
