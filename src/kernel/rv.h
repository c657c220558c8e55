/*
 * rv.h — umbrella header of the gst-rvcsi kernel (librvkernel).
 *
 * The kernel is C11 with <stdint.h>/<stddef.h>/<string.h> (and optionally
 * libm); it never includes GLib or GStreamer and never allocates: every
 * object lives in caller memory sized by a *_mem_size() or *_workspace_size()
 * query. See docs/kernel.md.
 */
#ifndef RV_H
#define RV_H

#include "rv_base.h"
#include "rv_attn.h"
#include "rv_kv.h"
#include "rv_gate.h"
#include "rv_crc32.h"
#include "rv_wire.h"
/* Every public header of the kernel (its installed set; the private ones are
 * in internal/): one line per header, alphabetical after this mark. */
#include "rv_classify.h"
#include "rv_csi_features.h"
#include "rv_csi_layout.h"
#include "rv_csi_text.h"
#include "rv_fall.h"
#include "rv_model.h"
#include "rv_motion.h"
#include "rv_net.h"
#include "rv_ratelimit.h"
#include "rv_room.h"
#include "rv_rvne.h"
#include "rv_seq.h"

#endif /* RV_H */
