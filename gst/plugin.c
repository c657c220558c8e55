/* plugin.c — registers the elements of the rvcsi plugin. */
#include <gst/gst.h>

#include "gstrvcsisrc.h"
#include "gstrvcsiparse.h"
#include "gstrvcsitextparse.h"

#ifndef PACKAGE
#define PACKAGE "gst-rvcsi"
#endif

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ok = FALSE;

  ok |= GST_ELEMENT_REGISTER (rvcsisrc, plugin);
  ok |= GST_ELEMENT_REGISTER (rvcsiparse, plugin);
  ok |= GST_ELEMENT_REGISTER (rvcsitextparse, plugin);
  return ok;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, rvcsi,
    "WiFi CSI sensing: ESP32 node packets, streaming temporal-head model, "
    "activity classification", plugin_init, RVCSI_VERSION, "MIT", "gst-rvcsi",
    "https://github.com/ruvnet/RuView")
