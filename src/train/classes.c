/* classes.c — canonical class list; see classes.h. */
#include "classes.h"

#include <stdlib.h>
#include <string.h>

static const char *const canon[] = {
    "empty", "still", "walking", "sit_down", "fall",
    "wave", "push_pull", "circle", "stand_up", "lying", "apnea"
};
#define N_CANON (sizeof canon / sizeof canon[0])

static uint32_t rank(const char *s)
{
    for (uint32_t i = 0; i < N_CANON; i++)
        if (strcmp(s, canon[i]) == 0)
            return i;
    return (uint32_t)N_CANON;
}

static void fix_ptrs(rvt_classes *c)
{
    for (uint32_t i = 0; i < RVT_MAX_CLASSES; i++)
        c->ptr[i] = c->name[i];
}

void rvt_classes_init(rvt_classes *c)
{
    memset(c, 0, sizeof *c);
    fix_ptrs(c);
}

bool rvt_classes_add_map(rvt_classes *c, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1] || c->n_maps >= RVT_MAX_MAPS ||
        (size_t)(eq - spec) >= RVT_CLASS_NAME || strlen(eq + 1) >= RVT_CLASS_NAME)
        return false;
    memcpy(c->from[c->n_maps], spec, (size_t)(eq - spec));
    c->from[c->n_maps][eq - spec] = 0;
    strcpy(c->to[c->n_maps], eq + 1);
    c->n_maps++;
    return true;
}

const char *rvt_classes_mapped(const rvt_classes *c, const char *raw)
{
    for (uint32_t i = 0; i < c->n_maps; i++)
        if (strcmp(raw, c->from[i]) == 0)
            return c->to[i];
    return raw;
}

int rvt_classes_find(const rvt_classes *c, const char *raw)
{
    const char *s = rvt_classes_mapped(c, raw);
    for (uint32_t i = 0; i < c->n; i++)
        if (strcmp(s, c->name[i]) == 0)
            return (int)i;
    return -1;
}

bool rvt_classes_add(rvt_classes *c, const char *raw)
{
    const char *s = rvt_classes_mapped(c, raw);
    if (rvt_classes_find(c, s) >= 0)
        return true;
    size_t len = strlen(s);
    if (len == 0 || len >= RVT_CLASS_NAME || c->n >= RVT_MAX_CLASSES)
        return false;
    strcpy(c->name[c->n++], s);
    return true;
}

static int cmp(const void *a, const void *b)
{
    const char *x = a, *y = b;
    uint32_t rx = rank(x), ry = rank(y);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return strcmp(x, y);
}

void rvt_classes_sort(rvt_classes *c)
{
    qsort(c->name, c->n, RVT_CLASS_NAME, cmp);
    fix_ptrs(c);
}
