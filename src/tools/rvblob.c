/*
 * rvblob — inspect, validate and convert .rvne model blobs.
 *
 *   rvblob info FILE                 header, tensor layout, attention, labels
 *   rvblob validate FILE             exit 0 when valid, else the reason, exit 1
 *   rvblob convert IN OUT [--fp16|--fp32] [--v1|--v2]
 *   rvblob make-v1-example OUT       the seeds' example shape, fixed weights
 *
 * Exit codes: 0 ok, 1 invalid blob or I/O error, 2 usage error.
 * A thin main() over rv_rvne.h (docs/rvne-format.md).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rv.h"
#include "rvtool_args.h"

#define MAX_FILE (512u * 1024u * 1024u)

static void usage(FILE *f)
{
    fputs("usage: rvblob info FILE\n"
          "       rvblob validate FILE\n"
          "       rvblob convert IN OUT [--fp16|--fp32] [--v1|--v2]\n"
          "       rvblob make-v1-example OUT\n"
          "       rvblob --help\n"
          "\n"
          "info      print header, tensor layout, attention config, positions,\n"
          "          input, heads, labels and provenance of a valid blob\n"
          "validate  exit 0 if FILE is a valid .rvne blob, else print why, exit 1\n"
          "convert   re-encode weights as fp16 or fp32 and/or as version 1 or 2\n"
          "          (default: keep both); the output is validated\n"
          "make-v1-example  write a deterministic version-1 blob of the seeds'\n"
          "          example shape (16 inputs, 4 q / 1 kv heads, head_dim 32,\n"
          "          2 layers, 4 classes; 41244 bytes)\n"
          "exit codes: 0 ok, 1 invalid blob or I/O error, 2 usage error\n", f);
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "rvblob: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap >= MAX_FILE) {
                fprintf(stderr, "rvblob: %s: larger than %u bytes\n", path, MAX_FILE);
                free(buf);
                buf = NULL;
                break;
            }
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                fprintf(stderr, "rvblob: %s: read error\n", path);
                free(buf);
                buf = NULL;
            }
            break;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static int write_file(const char *path, const uint8_t *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "rvblob: %s: %s\n", path, strerror(errno));
        if (f)
            fclose(f);
        return 1;
    }
    return 0;
}

static void report_invalid(const char *path, rv_status st, const rv_rvne_info *info)
{
    fprintf(stderr, "rvblob: %s: invalid: %s", path, rv_status_str(st));
    if (info->err_detail)
        fprintf(stderr, " (%s, at byte %zu)", info->err_detail, info->err_offset);
    fputc('\n', stderr);
}

/* Load and parse; returns the buffer (caller frees) or NULL after reporting. */
static uint8_t *load(const char *path, rv_rvne_info *info, size_t *len)
{
    uint8_t *buf = read_file(path, len);
    if (!buf)
        return NULL;
    rv_status st = rv_rvne_parse(buf, *len, info);
    if (st != RV_OK) {
        report_invalid(path, st, info);
        free(buf);
        return NULL;
    }
    return buf;
}

static void print_str(rv_rvne_str s)
{
    printf("\"%.*s\"", (int)s.len, s.s ? s.s : "");
}

static int cmd_info(const char *path)
{
    rv_rvne_info in;
    size_t len;
    uint8_t *buf = load(path, &in, &len);
    if (!buf)
        return 1;
    const rv_rvne_arch *a = &in.arch;
    printf("file          %s (%zu bytes, CRC32 0x%08x)\n", path, len, in.crc);
    printf("version       %u, %s weights\n", in.version, in.fp16 ? "fp16" : "fp32");
    printf("header        input_dim %u, q_heads %u, kv_heads %u (%s), head_dim %u, "
           "n_layers %u, n_classes %u, weights_len %u\n",
           a->input_dim, a->q_heads, a->kv_heads,
           a->kv_heads == a->q_heads ? "MHA" : a->kv_heads == 1 ? "MQA" : "GQA",
           a->head_dim, a->n_layers, a->head_classes[0], in.weights_len);
    printf("architecture  d_model %u, d_ff %u, input_proj %s, norm %s, head_bias %s%s\n",
           a->d_model, a->d_ff, a->input_proj ? "yes" : "no", a->norm ? "yes" : "no",
           a->head_bias ? "yes" : "no", in.version == 1 ? " (v1)" : "");
    printf("attention     window %u, block %u, globals {", in.attn.window, in.attn.block_size);
    for (uint32_t i = 0; i < in.attn.n_globals; i++)
        printf("%s%u", i ? ", " : "", in.attn.globals[i]);
    printf("}, log_stride %s, landmarks %s, causal%s\n", in.attn.log_stride ? "on" : "off",
           in.attn.landmarks ? "on" : "off", in.has_attn ? "" : " (default)");
    if (in.rope_pairs) {
        printf("positions     rotary, %u pairs, periods", in.rope_pairs);
        for (uint32_t i = 0; i < in.rope_pairs; i++) {
            const uint8_t *p = in.rope_periods + 4u * i;
            printf(" %u", (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                              (uint32_t)p[3] << 24);
        }
        printf("\n");
    } else {
        printf("positions     none\n");
    }
    printf("feature norm  %s\n", in.feat_norm ? "per-feature mean / inv_std" : "identity");
    if (in.input_kind != RV_RVNE_INPUT_NONE)
        printf("input         %s, layout %u\n", rv_rvne_input_kind_name(in.input_kind),
               in.input_layout);
    else
        printf("input         not declared (any input with input_dim values)\n");

    printf("weights       %llu elements, %u bytes at offset %u\n",
           (unsigned long long)in.n_weights, in.weights_len, RV_RVNE_HEADER_SIZE);
    printf("layout        #   tensor   index  rows x cols     elem offset  byte offset\n");
    uint32_t nt = rv_rvne_tensor_count(a);
    for (uint32_t i = 0; i < nt; i++) {
        rv_rvne_tensor t;
        rv_rvne_tensor_at(a, i, &t);
        bool per_layer = t.kind != RV_RVNE_T_IN_W && t.kind != RV_RVNE_T_IN_B &&
                         t.kind != RV_RVNE_T_G_FINAL && t.kind != RV_RVNE_T_HEAD_W &&
                         t.kind != RV_RVNE_T_HEAD_B;
        char idx[16] = "-";
        if (per_layer)
            snprintf(idx, sizeof idx, "L%u", t.index);
        else if (t.kind == RV_RVNE_T_HEAD_W || t.kind == RV_RVNE_T_HEAD_B)
            snprintf(idx, sizeof idx, "H%u", t.index);
        printf("              %-3u %-8s %-6s %5u x %-7u %-12llu %llu\n", i,
               rv_rvne_tensor_name(t.kind), idx, t.rows, t.cols,
               (unsigned long long)t.offset,
               (unsigned long long)(RV_RVNE_HEADER_SIZE + t.offset * (in.fp16 ? 2u : 4u)));
    }
    printf("heads         %u%s\n", a->n_heads, in.heads ? "" : " (default names)");
    for (uint32_t h = 0; h < a->n_heads; h++) {
        rv_rvne_str s;
        rv_rvne_head_name(&in, h, &s);
        printf("  head %u ", h);
        print_str(s);
        printf(", %u classes:", a->head_classes[h]);
        for (uint32_t c = 0; c < a->head_classes[h]; c++) {
            rv_rvne_label(&in, h, c, &s);
            if (s.s) {
                printf(" ");
                print_str(s);
            } else {
                printf(" \"class%u\"", c);
            }
        }
        printf("\n");
    }
    if (in.has_prov) {
        printf("provenance    trainer ");
        print_str(in.prov_trainer);
        printf(", seed %llu, accuracy ", (unsigned long long)in.prov_seed);
        if (isnan(in.prov_accuracy))
            printf("unknown");
        else
            printf("%.4f", (double)in.prov_accuracy);
        printf("\n              dataset ");
        print_str(in.prov_dataset);
        if (in.prov_notes.len) {
            printf("\n              notes ");
            print_str(in.prov_notes);
        }
        printf("\n");
    } else {
        printf("provenance    none\n");
    }
    if (in.version >= 2)
        printf("sections      %u (%u unknown ancillary skipped)\n", in.n_sections, in.n_skipped);
    free(buf);
    return 0;
}

static int cmd_validate(const char *path)
{
    rv_rvne_info in;
    size_t len;
    uint8_t *buf = load(path, &in, &len);
    if (!buf)
        return 1;
    printf("%s: ok (version %u, %s, %zu bytes, %llu weights)\n", path, in.version,
           in.fp16 ? "fp16" : "fp32", len, (unsigned long long)in.n_weights);
    free(buf);
    return 0;
}

static int cmd_convert(const char *inp, const char *outp, int fp16, int version)
{
    rv_rvne_info in;
    size_t len;
    uint8_t *buf = load(inp, &in, &len);
    if (!buf)
        return 1;
    bool to16 = fp16 < 0 ? in.fp16 : fp16 == 1;
    uint32_t to_v = version ? (uint32_t)version : in.version;
    size_t need = 0;
    rv_status st = rv_rvne_convert(&in, to_v, to16, NULL, 0, &need);
    uint8_t *out = st == RV_OK ? malloc(need) : NULL;
    if (st == RV_OK && !out)
        st = RV_ERR_MEM;
    if (st == RV_OK)
        st = rv_rvne_convert(&in, to_v, to16, out, need, &need);
    if (st != RV_OK) {
        fprintf(stderr, "rvblob: cannot convert %s to v%u %s: %s%s\n", inp, to_v,
                to16 ? "fp16" : "fp32", rv_status_str(st),
                st == RV_ERR_ARG ? " (the model uses features version 1 cannot express)" : "");
        free(out);
        free(buf);
        return 1;
    }
    rv_rvne_info chk;
    st = rv_rvne_parse(out, need, &chk);
    int rc = 1;
    if (st != RV_OK)
        report_invalid(outp, st, &chk);
    else
        rc = write_file(outp, out, need);
    if (rc == 0)
        printf("%s -> %s: version %u, %s, %zu bytes\n", inp, outp, to_v,
               to16 ? "fp16" : "fp32", need);
    free(out);
    free(buf);
    return rc;
}

/* Deterministic example weights: element i of a tensor with `cols` inputs
 * is a Knuth-hash value in [-1, 1) scaled by 1/sqrt(cols). */
static int cmd_make_v1(const char *outp)
{
    rv_rvne_spec s;
    memset(&s, 0, sizeof s);
    s.version = RV_RVNE_VERSION_1;
    s.arch.input_dim = 16;
    s.arch.q_heads = 4;
    s.arch.kv_heads = 1;
    s.arch.head_dim = 32;
    s.arch.n_layers = 2;
    s.arch.d_model = 16;
    s.arch.n_heads = 1;
    s.arch.head_classes[0] = 4;
    uint64_t nw = rv_rvne_weight_count(&s.arch);
    float *w = malloc(sizeof(float) * nw);
    uint32_t nt = rv_rvne_tensor_count(&s.arch);
    for (uint32_t t = 0; t < nt; t++) {
        rv_rvne_tensor tt;
        rv_rvne_tensor_at(&s.arch, t, &tt);
        float sc = 1.0f / sqrtf((float)tt.cols);
        for (uint64_t k = 0; k < (uint64_t)tt.rows * tt.cols; k++) {
            uint32_t i = (uint32_t)(tt.offset + k);
            uint32_t hsh = i * 2654435761u + 0x9e3779b9u;
            w[tt.offset + k] = ((float)hsh / 4294967295.0f * 2.0f - 1.0f) * sc;
        }
    }
    rv_status st;
    size_t need = rv_rvne_write_size(&s, &st);
    uint8_t *out = malloc(need);
    size_t wr = 0;
    st = rv_rvne_write(&s, w, nw, out, need, &wr);
    int rc = 1;
    if (st != RV_OK)
        fprintf(stderr, "rvblob: make-v1-example: %s\n", rv_status_str(st));
    else
        rc = write_file(outp, out, wr);
    if (rc == 0)
        printf("%s: version 1 example, %zu bytes\n", outp, wr);
    free(out);
    free(w);
    return rc;
}

/* convert's options; the other commands take none. */
typedef struct {
    int fp16;      /* -1 keep, 0 fp32, 1 fp16 */
    int version;   /* 0 keep, 1, 2 */
} convert_opts;

static int on_convert_option(void *ctx, const char *name, const char *arg)
{
    (void)arg;
    convert_opts *c = ctx;
    if (!strcmp(name, "fp16") || !strcmp(name, "fp32"))
        c->fp16 = !strcmp(name, "fp16");
    else
        c->version = !strcmp(name, "v1") ? 1 : 2;
    return 0;
}

static const struct {
    const char *name;
    int files;
} commands[] = { { "info", 1 }, { "validate", 1 }, { "convert", 2 }, { "make-v1-example", 1 } };

int main(int argc, char **argv)
{
    static const rvtool_opt convert_table[] = {
        { "fp16", RVTOOL_CALL0, NULL, 0, 0 }, { "fp32", RVTOOL_CALL0, NULL, 0, 0 },
        { "v1", RVTOOL_CALL0, NULL, 0, 0 },   { "v2", RVTOOL_CALL0, NULL, 0, 0 },
    };
    convert_opts conv = { -1, 0 };
    int first, st;
    const char *cmd = argc > 1 ? argv[1] : "";
    if (!strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (cmd[0] == '-' || !cmd[0]) {
        /* no command: only --help is meaningful */
        st = rvtool_parse("rvblob", argc, argv, NULL, 0, NULL, NULL, usage, &first);
        return st >= 0 ? st : rvtool_usage_error("rvblob", "no command given");
    }
    size_t k = 0, n_cmds = sizeof commands / sizeof commands[0];
    while (k < n_cmds && strcmp(cmd, commands[k].name))
        k++;
    if (k == n_cmds)
        return rvtool_usage_error("rvblob", "unknown command '%s'", cmd);
    bool is_convert = !strcmp(cmd, "convert");
    /* argv + 1: the command stands where getopt expects the program name */
    st = rvtool_parse("rvblob", argc - 1, argv + 1, convert_table, is_convert ? 4 : 0,
                      on_convert_option, &conv, usage, &first);
    if (st >= 0)
        return st;
    char **pos = argv + 1 + first;
    if (argc - 1 - first != commands[k].files)
        return rvtool_usage_error("rvblob", "'%s' needs %d file argument%s", cmd,
                                  commands[k].files, commands[k].files > 1 ? "s" : "");
    if (!strcmp(cmd, "info"))
        return cmd_info(pos[0]);
    if (!strcmp(cmd, "validate"))
        return cmd_validate(pos[0]);
    if (is_convert)
        return cmd_convert(pos[0], pos[1], conv.fp16, conv.version);
    return cmd_make_v1(pos[0]);
}
