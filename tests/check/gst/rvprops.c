/* Element properties (gst/gstrvprops.h) on a small GstObject: defaults, set
 * and get for every supported type, the gfloat storage of a double spec, a
 * custom setter, the stats property, enum type registration, a field of
 * the wrong size, and the finalize installing gives a class (or leaves to
 * a class with its own). */
#include <gst/check/gstcheck.h>

#include "gstrvprops.h"

typedef enum
{
  TEST_MODE_A,
  TEST_MODE_B,
} TestMode;

#define TEST_TYPE_PROPS (test_props_get_type ())
G_DECLARE_FINAL_TYPE (TestProps, test_props, TEST, PROPS, GstObject);

struct _TestProps
{
  GstObject parent;
  gboolean flag;
  gint level;
  guint count;
  guint64 time;
  gdouble ratio;
  gfloat gain;
  TestMode mode;
  gchar *name_field;
  gint8 tiny;
  gint twice;
  guint stats_calls;
};

enum
{
  PROP_0, PROP_FLAG, PROP_LEVEL, PROP_COUNT, PROP_TIME, PROP_RATIO,
  PROP_GAIN, PROP_MODE, PROP_TEXT, PROP_STATS, PROP_TINY, PROP_TWICE,
};

static GType
test_mode_get_type (void)
{
  static GType type;
  static const GEnumValue values[] = {
    {TEST_MODE_A, "Mode A", "a"},
    {TEST_MODE_B, "Mode B", "b"},
    {0, NULL, NULL}
  };

  return gst_rv_props_enum_type (&type, "TestRvPropsMode", values);
}

G_DEFINE_TYPE (TestProps, test_props, GST_TYPE_OBJECT);

static GstStructure *
make_stats (GObject * object)
{
  TestProps *self = TEST_PROPS (object);

  /* called with the object lock held */
  fail_if (GST_OBJECT_TRYLOCK (self));
  return gst_structure_new ("test-stats", "calls", G_TYPE_UINT,
      ++self->stats_calls, NULL);
}

/* custom set: runs without the object lock, stores twice the value */
static void
set_twice (GObject * object, guint prop_id, const GValue * value,
    GParamSpec * pspec)
{
  TestProps *self = TEST_PROPS (object);

  fail_unless_equals_int (prop_id, PROP_TWICE);
  fail_unless (gst_rv_props_field (object, pspec) == &self->twice);
  fail_unless (GST_OBJECT_TRYLOCK (self));
  self->twice = 2 * g_value_get_int (value);
  GST_OBJECT_UNLOCK (self);
}

static void
test_props_class_init (TestPropsClass * klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);

  GST_RV_PROP_FIELD (oc, PROP_FLAG, TestProps, flag,
      g_param_spec_boolean ("flag", "Flag", "b", TRUE, GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (oc, PROP_LEVEL, TestProps, level,
      g_param_spec_int ("level", "Level", "i", -5, 5, -2,
          GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (oc, PROP_COUNT, TestProps, count,
      g_param_spec_uint ("count", "Count", "u", 1, 100, 7, GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (oc, PROP_TIME, TestProps, time,
      g_param_spec_uint64 ("time", "Time", "t", 0, G_MAXUINT64,
          G_MAXUINT64 - 1, GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (oc, PROP_RATIO, TestProps, ratio,
      g_param_spec_double ("ratio", "Ratio", "d", 0.0, 1.0, 0.125,
          GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (oc, PROP_GAIN, TestProps, gain,
      g_param_spec_double ("gain", "Gain", "f", 0.0, 10.0, 0.1,
          GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (oc, PROP_MODE, TestProps, mode,
      g_param_spec_enum ("mode", "Mode", "e", test_mode_get_type (),
          TEST_MODE_B, GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (oc, PROP_TEXT, TestProps, name_field,
      g_param_spec_string ("text", "Text", "s", "default",
          GST_RV_PARAM_READY));
  GST_RV_PROP_CUSTOM (oc, PROP_TWICE, TestProps, twice,
      g_param_spec_int ("twice", "Twice", "c", 0, 100, 3,
          GST_RV_PARAM_PLAYING), set_twice, NULL);
  gst_rv_props_install_stats (oc, PROP_STATS, "counters", make_stats);
  /* installing made the generic functions the class's */
  fail_unless (oc->set_property == gst_rv_props_set_property);
  fail_unless (oc->get_property == gst_rv_props_get_property);
  fail_unless (oc->finalize !=
      G_OBJECT_CLASS (test_props_parent_class)->finalize);
}

/* A class with a finalize of its own, which installing leaves alone. */
#define TEST_TYPE_OWN (test_own_get_type ())
G_DECLARE_FINAL_TYPE (TestOwn, test_own, TEST, OWN, GstObject);

struct _TestOwn
{
  GstObject parent;
  gchar *text;
};

G_DEFINE_TYPE (TestOwn, test_own, GST_TYPE_OBJECT);

static gboolean own_finalized;

static void
test_own_finalize (GObject * object)
{
  own_finalized = TRUE;
  gst_rv_props_finalize (object);
  fail_unless (TEST_OWN (object)->text == NULL);
  G_OBJECT_CLASS (test_own_parent_class)->finalize (object);
}

static void
test_own_class_init (TestOwnClass * klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);

  oc->finalize = test_own_finalize;
  GST_RV_PROP_FIELD (oc, 1, TestOwn, text,
      g_param_spec_string ("text", "Text", "s", "own", GST_RV_PARAM_READY));
}

static void
test_own_init (TestOwn * self)
{
  gst_rv_props_init (G_OBJECT (self));
}

static void
test_props_init (TestProps * self)
{
  gst_rv_props_init (G_OBJECT (self));
}

GST_START_TEST (test_defaults)
{
  TestProps *t = g_object_new (TEST_TYPE_PROPS, NULL);

  fail_unless_equals_int (t->flag, TRUE);
  fail_unless_equals_int (t->level, -2);
  fail_unless_equals_int (t->count, 7);
  fail_unless_equals_uint64 (t->time, G_MAXUINT64 - 1);
  fail_unless_equals_float (t->ratio, 0.125);
  fail_unless_equals_float (t->gain, 0.1f);
  fail_unless_equals_int (t->mode, TEST_MODE_B);
  fail_unless_equals_string (t->name_field, "default");
  gst_object_unref (t);
}

GST_END_TEST;

GST_START_TEST (test_set_get)
{
  TestProps *t = g_object_new (TEST_TYPE_PROPS, NULL);
  gboolean flag;
  gint level;
  guint count;
  guint64 time;
  gdouble ratio, gain;
  TestMode mode;
  gchar *text;

  g_object_set (t, "flag", FALSE, "level", 4, "count", 99, "time",
      G_GUINT64_CONSTANT (12345678901234), "ratio", 0.75, "gain", 2.5,
      "mode", TEST_MODE_A, "text", "kitchen", NULL);
  fail_unless_equals_int (t->flag, FALSE);
  fail_unless_equals_int (t->level, 4);
  fail_unless_equals_int (t->count, 99);
  fail_unless_equals_uint64 (t->time, G_GUINT64_CONSTANT (12345678901234));
  fail_unless_equals_float (t->ratio, 0.75);
  fail_unless_equals_float (t->gain, 2.5f);
  fail_unless_equals_int (t->mode, TEST_MODE_A);
  fail_unless_equals_string (t->name_field, "kitchen");

  g_object_get (t, "flag", &flag, "level", &level, "count", &count, "time",
      &time, "ratio", &ratio, "gain", &gain, "mode", &mode, "text", &text,
      NULL);
  fail_unless_equals_int (flag, FALSE);
  fail_unless_equals_int (level, 4);
  fail_unless_equals_int (count, 99);
  fail_unless_equals_uint64 (time, G_GUINT64_CONSTANT (12345678901234));
  fail_unless_equals_float (ratio, 0.75);
  fail_unless_equals_float (gain, 2.5);
  fail_unless_equals_int (mode, TEST_MODE_A);
  fail_unless_equals_string (text, "kitchen");
  g_free (text);

  /* strings are owned: NULL clears, the getter returns a copy */
  g_object_set (t, "text", NULL, NULL);
  fail_unless (t->name_field == NULL);
  g_object_get (t, "text", &text, NULL);
  fail_unless (text == NULL);
  gst_object_unref (t);
}

GST_END_TEST;

GST_START_TEST (test_custom_set)
{
  TestProps *t = g_object_new (TEST_TYPE_PROPS, NULL);
  gint v = 0;

  /* the default goes through the field, the custom set only on set */
  fail_unless_equals_int (t->twice, 3);
  g_object_set (t, "twice", 21, NULL);
  fail_unless_equals_int (t->twice, 42);
  g_object_get (t, "twice", &v, NULL);
  fail_unless_equals_int (v, 42);
  gst_object_unref (t);
}

GST_END_TEST;

GST_START_TEST (test_stats)
{
  TestProps *t = g_object_new (TEST_TYPE_PROPS, NULL);
  GParamSpec *pspec =
      g_object_class_find_property (G_OBJECT_GET_CLASS (t), "stats");
  GstStructure *s;
  guint calls = 0;

  fail_unless (pspec != NULL);
  fail_unless (pspec->flags & G_PARAM_READABLE);
  fail_if (pspec->flags & G_PARAM_WRITABLE);
  fail_unless_equals_string (g_param_spec_get_nick (pspec), "Statistics");
  g_object_get (t, "stats", &s, NULL);
  fail_unless (gst_structure_has_name (s, "test-stats"));
  fail_unless (gst_structure_get_uint (s, "calls", &calls));
  fail_unless_equals_int (calls, 1);
  gst_structure_free (s);
  gst_object_unref (t);
}

GST_END_TEST;

GST_START_TEST (test_enum_type_once)
{
  GType a = test_mode_get_type ();

  fail_unless (G_TYPE_IS_ENUM (a));
  fail_unless_equals_int (a, test_mode_get_type ());
  fail_unless_equals_string (g_type_name (a), "TestRvPropsMode");
}

GST_END_TEST;

GST_START_TEST (test_wrong_field_size)
{
  GObjectClass *oc = g_type_class_ref (TEST_TYPE_PROPS);

  /* a gint8 cannot hold an int property: refused, not installed */
  ASSERT_CRITICAL (GST_RV_PROP_FIELD (oc, PROP_TINY, TestProps, tiny,
          g_param_spec_int ("tiny", "Tiny", "x", 0, 9, 0,
              GST_RV_PARAM_READY)));
  fail_unless (g_object_class_find_property (oc, "tiny") == NULL);
  g_type_class_unref (oc);
}

GST_END_TEST;

/* GObject's own finalize clears the object's data: the notify proves the
 * chain up reached it. */
static void
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
}

GST_START_TEST (test_finalize)
{
  TestProps *t = g_object_new (TEST_TYPE_PROPS, "text", "kitchen", NULL);
  TestOwn *o = g_object_new (TEST_TYPE_OWN, NULL);
  gboolean t_chained = FALSE, o_chained = FALSE;

  g_object_set_data_full (G_OBJECT (t), "chain", &t_chained, set_flag);
  gst_object_unref (t);
  fail_unless (t_chained);

  fail_unless (G_OBJECT_GET_CLASS (o)->finalize == test_own_finalize);
  fail_unless_equals_string (o->text, "own");
  g_object_set_data_full (G_OBJECT (o), "chain", &o_chained, set_flag);
  gst_object_unref (o);
  fail_unless (own_finalized);
  fail_unless (o_chained);
}

GST_END_TEST;

static Suite *
rvprops_suite (void)
{
  Suite *s = suite_create ("rvprops");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_defaults);
  tcase_add_test (tc, test_set_get);
  tcase_add_test (tc, test_custom_set);
  tcase_add_test (tc, test_stats);
  tcase_add_test (tc, test_enum_type_once);
  tcase_add_test (tc, test_wrong_field_size);
  tcase_add_test (tc, test_finalize);
  return s;
}

GST_CHECK_MAIN (rvprops);
