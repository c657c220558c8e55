/* The five rvcsi metas (gst/gstrvcsimeta.h): each is registered under the
 * API name applications look up, starts with its documented defaults, is
 * deep-copied by a buffer copy (owned arrays duplicated, not shared). */
#include <gst/check/gstcheck.h>

#include "gstrvcsimeta.h"

static const gchar *api_names[] = {
  "GstRvCsiPacketMetaAPI", "GstRvEmbeddingMetaAPI",
  "GstRvClassificationMetaAPI", "GstRvMotionMetaAPI", "GstRvRoomMetaAPI",
};

GST_START_TEST (test_registration)
{
  GType apis[] = {
    gst_rv_csi_packet_meta_api_get_type (),
    gst_rv_embedding_meta_api_get_type (),
    gst_rv_classification_meta_api_get_type (),
    gst_rv_motion_meta_api_get_type (),
    gst_rv_room_meta_api_get_type (),
  };
  const GstMetaInfo *infos[] = {
    gst_rv_csi_packet_meta_get_info (),
    gst_rv_embedding_meta_get_info (),
    gst_rv_classification_meta_get_info (),
    gst_rv_motion_meta_get_info (),
    gst_rv_room_meta_get_info (),
  };

  for (guint i = 0; i < G_N_ELEMENTS (apis); i++) {
    fail_unless_equals_string (g_type_name (apis[i]), api_names[i]);
    fail_unless (g_type_from_name (api_names[i]) == apis[i]);
    fail_unless (infos[i]->api == apis[i]);
    /* a second call gives the same registration */
    fail_unless (infos[i] == gst_meta_get_info (g_type_name (infos[i]->type)));
  }
  fail_unless_equals_int (gst_rv_room_meta_get_info ()->size,
      sizeof (GstRvRoomMeta));
}

GST_END_TEST;

GST_START_TEST (test_defaults)
{
  GstBuffer *buf = gst_buffer_new ();
  GstRvCsiPacketMeta *pm = gst_rv_csi_packet_meta_add (buf);
  GstRvEmbeddingMeta *em = gst_rv_embedding_meta_add (buf, 4);
  GstRvClassificationMeta *cm = gst_rv_classification_meta_add (buf, 0, NULL);
  GstRvMotionMeta *mm = gst_rv_motion_meta_add (buf);
  GstRvRoomMeta *rm = gst_rv_room_meta_add (buf);

  fail_unless_equals_uint64 (pm->arrival, GST_CLOCK_TIME_NONE);
  fail_unless_equals_int (pm->kind, GST_RV_CSI_KIND_UNKNOWN);
  fail_unless_equals_int (pm->src_family, G_SOCKET_FAMILY_INVALID);
  fail_unless_equals_int (em->dims, 4);
  fail_unless (em->data != NULL && em->data[3] == 0.0f);
  fail_unless_equals_int (cm->decision, -1);
  fail_unless (cm->class_quarks == NULL && cm->model_levels == NULL);
  fail_unless (!mm->motion && !mm->calibrated && mm->score == 0.0f);
  fail_unless_equals_int (rm->label_index, -1);
  fail_unless_equals_int (rm->fall_node, -1);
  fail_unless_equals_uint64 (rm->stream_time, GST_CLOCK_TIME_NONE);
  fail_unless_equals_uint64 (rm->fall_onset, GST_CLOCK_TIME_NONE);
  fail_unless_equals_uint64 (rm->fall_delay, GST_CLOCK_TIME_NONE);
  fail_unless (gst_rv_embedding_meta_add (buf,
          GST_RV_EMBEDDING_META_MAX_DIMS + 1) == NULL);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_copy_is_deep)
{
  GQuark labels[] = { g_quark_from_static_string ("empty"),
    g_quark_from_static_string ("walking")
  };
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 8, NULL), *copy;
  GstRvCsiPacketMeta *pm = gst_rv_csi_packet_meta_add (buf);
  GstRvEmbeddingMeta *em = gst_rv_embedding_meta_add (buf, 3);
  GstRvClassificationMeta *cm = gst_rv_classification_meta_add (buf, 2,
      labels);
  GstRvMotionMeta *mm;
  GstRvRoomMeta *rm = gst_rv_room_meta_add (buf);

  pm->node_id = 7;
  pm->seq = 1234;
  pm->src_addr[3] = 9;
  em->data[2] = 0.5f;
  em->model_id = 0xabcd;
  cm->confidence_levels[1] = 0.75f;
  cm->model_levels[1] = 0.625f;
  cm->decision = 1;
  cm->motion_gated = TRUE;
  rm->room = g_quark_from_static_string ("lab");
  rm->fall = GST_RV_ROOM_FALL_ALARM;
  mm = gst_rv_motion_meta_add (buf);
  mm->antenna = 2;
  mm->threshold = 3.0f;

  copy = gst_buffer_copy (buf);
  /* owned arrays are the copy's own */
  fail_unless (gst_rv_buffer_get_embedding_meta (copy)->data != em->data);
  fail_unless (gst_rv_buffer_get_classification_meta (copy)->class_quarks !=
      cm->class_quarks);
  fail_unless (gst_rv_buffer_get_classification_meta (copy)->confidence_levels
      != cm->confidence_levels);
  fail_unless (gst_rv_buffer_get_classification_meta (copy)->model_levels !=
      cm->model_levels);
  gst_buffer_unref (buf);       /* the copy must not lean on the original */

  pm = gst_rv_buffer_get_csi_packet_meta (copy);
  em = gst_rv_buffer_get_embedding_meta (copy);
  cm = gst_rv_buffer_get_classification_meta (copy);
  mm = gst_rv_buffer_get_motion_meta (copy);
  rm = gst_rv_buffer_get_room_meta (copy);
  fail_unless (pm && em && cm && mm && rm);
  fail_unless_equals_int (pm->node_id, 7);
  fail_unless_equals_int (pm->seq, 1234);
  fail_unless_equals_int (pm->src_addr[3], 9);
  fail_unless_equals_int (em->dims, 3);
  fail_unless_equals_float (em->data[2], 0.5f);
  fail_unless_equals_int (em->model_id, 0xabcd);
  fail_unless_equals_int (cm->length, 2);
  fail_unless (gst_rv_classification_meta_get_quark (cm, 1) == labels[1]);
  fail_unless_equals_float (gst_rv_classification_meta_get_level (cm, 1),
      0.75f);
  fail_unless_equals_float (cm->model_levels[1], 0.625f);
  fail_unless_equals_int (cm->decision, 1);
  fail_unless (cm->motion_gated);
  fail_unless_equals_int (mm->antenna, 2);
  fail_unless_equals_float (mm->threshold, 3.0f);
  fail_unless (gst_rv_motion_meta_find (copy, 0, 2) == mm);
  fail_unless (gst_rv_motion_meta_find (copy, 0, 1) == NULL);
  fail_unless (rm->room == g_quark_from_static_string ("lab"));
  fail_unless_equals_int (rm->fall, GST_RV_ROOM_FALL_ALARM);
  fail_unless_equals_int (rm->label_index, -1);
  gst_buffer_unref (copy);
}

GST_END_TEST;

static Suite *
rvmeta_suite (void)
{
  Suite *s = suite_create ("rvmeta");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_registration);
  tcase_add_test (tc, test_defaults);
  tcase_add_test (tc, test_copy_is_deep);
  return s;
}

GST_CHECK_MAIN (rvmeta);
