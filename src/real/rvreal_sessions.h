/*
 * rvreal_sessions.h — the session index of a recording folder
 * (tests/data/real/espectre/sessions.tsv): one line per session,
 * "CHIP<TAB>BASELINE<TAB>MOVEMENT" with paths relative to the folder;
 * '#' lines and blank lines are skipped. Malformed lines are rejected with
 * the line number and what is wrong.
 */
#ifndef RVREAL_SESSIONS_H
#define RVREAL_SESSIONS_H

#include <stddef.h>

#define RVREAL_MAX_SESSIONS 64
#define RVREAL_CHIP_LEN     16

typedef struct {
    char chip[RVREAL_CHIP_LEN];
    char baseline[512];      /* folder + '/' + relative path */
    char movement[512];
} rvreal_session;

/* Reads DIR/sessions.tsv into out[0..*n). 0 on success, -1 with err. */
int rvreal_sessions_load(const char *dir, rvreal_session *out, size_t cap, size_t *n,
                         char *err, size_t err_cap);

#endif
