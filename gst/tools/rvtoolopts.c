/* rvtoolopts.c — the plugin tools' command line (rvtoolopts.h). */
#include <stdarg.h>
#include <stdio.h>

#include "rvtoolopts.h"

int
gst_rv_tool_usage_error (const gchar * prog, const gchar * fmt, ...)
{
  va_list ap;
  gchar *msg;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "%s: %s\n(see %s --help)\n", prog, msg, prog);
  g_free (msg);
  return 2;
}

gboolean
gst_rv_tool_parse_options (const gchar * prog, const gchar * summary,
    const GOptionEntry * entries, gboolean with_gst, int *argc, char ***argv)
{
  GOptionContext *ctx = g_option_context_new (NULL);
  GError *err = NULL;
  gboolean ok;

  g_option_context_set_summary (ctx, summary);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (with_gst)
    g_option_context_add_group (ctx, gst_init_get_option_group ());
  ok = g_option_context_parse (ctx, argc, argv, &err);
  g_option_context_free (ctx);
  if (!ok) {
    gst_rv_tool_usage_error (prog, "%s", err->message);
    g_error_free (err);
    return FALSE;
  }
  if (*argc > 1) {
    gst_rv_tool_usage_error (prog, "unexpected argument '%s'", (*argv)[1]);
    return FALSE;
  }
  return TRUE;
}
