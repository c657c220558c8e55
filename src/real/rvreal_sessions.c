/* rvreal_sessions.c — the session index of a recording folder. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rvreal_int.h"
#include "rvreal_sessions.h"

static int field(char **p, char *out, size_t cap)
{
    char *s = *p;
    size_t n = strcspn(s, "\t");
    if (n == 0 || n >= cap)
        return -1;
    memcpy(out, s, n);
    out[n] = '\0';
    *p = s[n] == '\t' ? s + n + 1 : s + n;
    return 0;
}

int rvreal_sessions_load(const char *dir, rvreal_session *out, size_t cap, size_t *n,
                         char *err, size_t err_cap)
{
    char path[1024], line[1200];
    *n = 0;
    snprintf(path, sizeof path, "%s/sessions.tsv", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return rvreal_fail(err, err_cap, -1, "%s: %s", path, strerror(errno));
    int st = 0;
    for (unsigned ln = 1; st == 0 && fgets(line, sizeof line, f) != NULL; ln++) {
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            st = rvreal_fail(err, err_cap, -1, "%s:%u: line too long", path, ln);
            break;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (*n == cap) {
            st = rvreal_fail(err, err_cap, -1, "%s:%u: more than %zu sessions", path, ln, cap);
            break;
        }
        rvreal_session *s = &out[*n];
        char b[480], m[480], *p = line;
        if (field(&p, s->chip, sizeof s->chip) || field(&p, b, sizeof b) ||
            field(&p, m, sizeof m) || *p != '\0') {
            st = rvreal_fail(err, err_cap, -1,
                             "%s:%u: expected CHIP<TAB>BASELINE<TAB>MOVEMENT", path, ln);
            break;
        }
        snprintf(s->baseline, sizeof s->baseline, "%s/%s", dir, b);
        snprintf(s->movement, sizeof s->movement, "%s/%s", dir, m);
        (*n)++;
    }
    fclose(f);
    if (st == 0 && *n == 0)
        st = rvreal_fail(err, err_cap, -1, "%s: no sessions", path);
    return st;
}
