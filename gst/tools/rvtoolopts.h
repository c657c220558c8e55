/*
 * rvtoolopts.h — the command line of the plugin's tools (rvcsibench,
 * rvmqttbench, rvsoak): GOption with GStreamer's own options, --help from
 * the entries, and one form for usage errors.
 */
#ifndef RV_TOOL_OPTS_H
#define RV_TOOL_OPTS_H

#include <gst/gst.h>

/* Parses argc/argv, with GStreamer's options (and gst_init()) when with_gst
 * is TRUE; a tool that must fork before any GStreamer thread exists passes
 * FALSE and calls gst_init() itself. --help prints the summary and every
 * option, then exits 0. Returns TRUE to go on, FALSE after printing
 * the usage error (gst_rv_tool_usage_error) for a bad option, value or
 * stray argument. */
gboolean gst_rv_tool_parse_options (const gchar * prog, const gchar * summary,
    const GOptionEntry * entries, gboolean with_gst, int *argc, char ***argv);

/* Prints "PROG: why" and "(see PROG --help)", returns 2 (the usage exit),
 * as the kernel-side tools do (src/tools/rvtool_args.h). */
int gst_rv_tool_usage_error (const gchar * prog, const gchar * fmt, ...)
    G_GNUC_PRINTF (2, 3);

#endif /* RV_TOOL_OPTS_H */
