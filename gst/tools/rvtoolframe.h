/*
 * rvtoolframe.h — synthetic raw CSI frames (64 subcarriers, one antenna)
 * for the plugin's benchmark tools (rvcsibench, rvsoak). Header-only.
 */
#ifndef RV_TOOL_FRAME_H
#define RV_TOOL_FRAME_H

#include <glib.h>
#include <math.h>
#include <string.h>

#include "rv_wire.h"

/* A frame of `node` with sequence `seq` on freq_mhz; `depth` (0..1) scales
 * the amplitude ripple that moves with seq. Returns its length, 0 if cap
 * is too small. */
static inline gsize
rv_tool_csi_frame (guint8 * out, gsize cap, guint8 node, guint32 seq,
    guint32 freq_mhz, gdouble depth)
{
  int8_t iq[128];
  rv_csi_frame f;
  size_t w = 0;

  for (guint p = 0; p < 64; p++) {
    double a = 20 + 8 * depth * sin (0.21 * p + 0.07 * seq + node);
    iq[2 * p] = (int8_t) (a * sin (0.1 * p + 0.01 * seq));
    iq[2 * p + 1] = (int8_t) (a * cos (0.1 * p + 0.01 * seq));
  }
  memset (&f, 0, sizeof f);
  f.node_id = node;
  f.n_antennas = 1;
  f.n_subcarriers = 64;
  f.freq_mhz = freq_mhz;
  f.seq = seq;
  f.rssi = -48;
  f.noise_floor = -95;
  f.iq = iq;
  if (rv_csi_frame_encode (&f, out, cap, &w) != RV_OK)
    return 0;
  return w;
}

#endif /* RV_TOOL_FRAME_H */
