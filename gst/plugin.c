/* plugin.c — registers the elements of the rvcsi plugin. */
#include <gst/gst.h>

#include "gstrvcsisrc.h"
#include "gstrvcsiparse.h"
#include "gstrvcsitextparse.h"
#include "gstrvtemporalhead.h"
#include "gstrvclassify.h"
#include "gstrvcsiviz.h"
#include "gstrvmqttsink.h"
#include "gstrvroom.h"
#include "gstrvcsimeta.h"

#ifndef PACKAGE
#define PACKAGE "gst-rvcsi"
#endif

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ok = FALSE;

  /* Register the metas up front so applications and tests can look them
   * up by name (gst_meta_get_info) as soon as the plugin is loaded. */
  gst_rv_csi_packet_meta_get_info ();
  gst_rv_embedding_meta_get_info ();
  gst_rv_classification_meta_get_info ();
  gst_rv_motion_meta_get_info ();
  gst_rv_room_meta_get_info ();

  ok |= GST_ELEMENT_REGISTER (rvcsisrc, plugin);
  ok |= GST_ELEMENT_REGISTER (rvcsiparse, plugin);
  ok |= GST_ELEMENT_REGISTER (rvcsitextparse, plugin);
  ok |= GST_ELEMENT_REGISTER (rvtemporalhead, plugin);
  ok |= GST_ELEMENT_REGISTER (rvclassify, plugin);
  ok |= GST_ELEMENT_REGISTER (rvcsiviz, plugin);
  ok |= GST_ELEMENT_REGISTER (rvmqttsink, plugin);
  ok |= GST_ELEMENT_REGISTER (rvroom, plugin);
  return ok;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, rvcsi,
    "WiFi CSI sensing: ESP32 node packets, streaming temporal-head model, "
    "activity classification", plugin_init, RVCSI_VERSION, "MIT/X11",
    "gst-rvcsi",
    "https://github.com/ruvnet/RuView")
