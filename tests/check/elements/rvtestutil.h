/* rvtestutil.h — node packets for element tests, built with the kernel's
 * encoders, plus small loopback UDP helpers. Header-only, test code. */
#ifndef RV_TEST_UTIL_H
#define RV_TEST_UTIL_H

#include <gio/gio.h>
#include <gst/check/gstharness.h>
#include <gst/check/gstcheck.h>
#include <math.h>
#include <string.h>

#include "rv_wire.h"

/* A one-antenna raw CSI frame of n_sc subcarriers on freq_mhz carrying iq
 * (2 * n_sc bytes) into out; returns its size. */
static inline gsize
rvt_csi_encode (guint8 node, guint32 seq, guint16 n_sc, guint freq_mhz,
    const int8_t * iq, guint8 * out, gsize cap)
{
  rv_csi_frame f;
  size_t written = 0;

  memset (&f, 0, sizeof f);
  f.node_id = node;
  f.n_antennas = 1;
  f.n_subcarriers = n_sc;
  f.freq_mhz = freq_mhz;
  f.seq = seq;
  f.rssi = -50;
  f.noise_floor = -95;
  f.iq = iq;
  fail_unless_equals_int (rv_csi_frame_encode (&f, out, cap, &written), RV_OK);
  return written;
}

/* A 148-byte LLTF raw CSI frame (64 subcarriers) on freq_mhz with a
 * deterministic pattern varying with seq and `activity` (amplitude
 * modulation). */
static inline gsize
rvt_csi_frame_on (guint8 node, guint32 seq, guint activity, guint freq_mhz,
    guint8 * out, gsize cap)
{
  int8_t iq[128];

  for (guint p = 0; p < 64; p++) {
    double a = 20.0 + 10.0 * sin (0.2 * p + 0.05 * seq * (activity + 1));
    double ph = 0.1 * p + 0.3 * activity * sin (0.3 * seq);
    iq[2 * p] = (int8_t) (a * sin (ph));
    iq[2 * p + 1] = (int8_t) (a * cos (ph));
  }
  return rvt_csi_encode (node, seq, 64, freq_mhz, iq, out, cap);
}

/* The same on channel 6 (2437 MHz). */
static inline gsize
rvt_csi_frame (guint8 node, guint32 seq, guint activity, guint8 * out,
    gsize cap)
{
  return rvt_csi_frame_on (node, seq, activity, 2437, out, cap);
}

static inline gsize
rvt_feature_state (guint8 node, guint16 seq, guint8 * out, gsize cap)
{
  rv_feature_state s;
  size_t written = 0;

  memset (&s, 0, sizeof s);
  s.node_id = node;
  s.seq = seq;
  s.ts_us = 1000u * seq;
  s.motion = 0.5f;
  s.presence = 0.9f;
  s.respiration_bpm = 14.0f;
  s.respiration_conf = 0.8f;
  s.node_coherence = 0.7f;
  fail_unless_equals_int (rv_feature_state_encode (&s, out, cap, &written),
      RV_OK);
  return written;
}

/* Harness around one element described like a gst-launch element with
 * properties, e.g. "rvcsisrc port=0" (h->element is that element). */
static inline GstHarness *
rvt_harness (const gchar * desc)
{
  GError *err = NULL;
  GstElement *e = gst_parse_launch (desc, &err);
  GstHarness *h;
  GstPad *sink;

  fail_unless (e != NULL && !GST_IS_BIN (e), "bad element \"%s\"", desc);
  sink = gst_element_get_static_pad (e, "sink");
  h = gst_harness_new_with_element (e, sink ? "sink" : NULL, "src");
  if (sink)
    gst_object_unref (sink);
  gst_object_unref (e);
  return h;
}

/* A UDP sender socket bound to `ip`, an IPv4 loopback address: every
 * 127.x.y.z is local on Linux, so tests get several distinct senders. */
static inline GSocket *
rvt_sender_at (const gchar * ip)
{
  GError *err = NULL;
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &err);
  GInetAddress *lo = g_inet_address_new_from_string (ip);
  GSocketAddress *sa = g_inet_socket_address_new (lo, 0);

  fail_unless (s != NULL);
  fail_unless (g_socket_bind (s, sa, FALSE, &err), "bind %s: %s", ip,
      err ? err->message : "");
  g_object_unref (sa);
  g_object_unref (lo);
  return s;
}

/* A UDP sender socket on loopback (IPv4). */
static inline GSocket *
rvt_sender (void)
{
  return rvt_sender_at ("127.0.0.1");
}

static inline guint16
rvt_local_port (GSocket * s)
{
  GSocketAddress *sa = g_socket_get_local_address (s, NULL);
  guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (sa));
  g_object_unref (sa);
  return port;
}

static inline void
rvt_send (GSocket * s, guint16 port, const guint8 * data, gsize len)
{
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *sa = g_inet_socket_address_new (lo, port);
  GError *err = NULL;
  gssize n = g_socket_send_to (s, sa, (const gchar *) data, len, NULL, &err);

  fail_unless (n == (gssize) len, "send failed: %s", err ? err->message : "");
  g_object_unref (sa);
  g_object_unref (lo);
}

static inline guint64
rvt_stat (GstElement * e, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 v = G_MAXUINT64;

  g_object_get (e, "stats", &s, NULL);
  fail_unless (s != NULL);
  fail_unless (gst_structure_get_uint64 (s, field, &v), "no field %s", field);
  gst_structure_free (s);
  return v;
}

#endif
