#!/usr/bin/env python3
"""Write the seed corpus of fuzz_rvne (tests/fuzz/corpus/fuzz_rvne/).

Small blobs built straight from docs/rvne-format.md (independent of the C
writer): a tiny v1 model, a tiny v2 model with every section, and an fp16
variant. Re-run to regenerate: python3 tests/fuzz/make_rvne_seeds.py
"""
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_rvne")


def tag(s):
    return s.encode()


def section(t, payload):
    pad = (-len(payload)) % 4
    return tag(t) + struct.pack("<I", len(payload)) + payload + b"\0" * pad


def lstr(s):
    b = s.encode()
    return struct.pack("<H", len(b)) + b


def blob(version, fp16, din, hq, hkv, hd, layers, classes, weights, sections=b""):
    if fp16:
        body = b"".join(struct.pack("<e", w) for w in weights)
    else:
        body = b"".join(struct.pack("<f", w) for w in weights)
    hdr = struct.pack("<IHBBHHHHHHI", 0x52564E45, version, 1 if fp16 else 0, 0,
                      din, hq, hkv, hd, layers, classes, len(body))
    data = hdr + body
    if version >= 2:
        data += b"\0" * ((-len(data)) % 4) + sections
    return data + struct.pack("<I", zlib.crc32(data) & 0xFFFFFFFF)


def weights(n, seed):
    return [((i * 2654435761 + seed) % 1000) / 1000.0 - 0.5 for i in range(n)]


def main():
    os.makedirs(OUT, exist_ok=True)
    # v1: din 2, 1 q / 1 kv head, head_dim 2, 1 layer, 2 classes:
    # Wq 2x2, Wk 2x2, Wv 2x2, Wo 2x2, head 2x2 = 20 floats
    v1 = blob(1, False, 2, 1, 1, 2, 1, 2, weights(20, 1))
    # v2: din 3 -> d_model 4 (input proj), 2 q / 1 kv heads, head_dim 2,
    # 1 layer, d_ff 3, norm, head bias, two heads (2 and 3 classes)
    D, din, F = 4, 3, 3
    n = (D * din + D)                                   # W_in, b_in
    n += D + 4 * D + 2 * D + 2 * D + D * 4              # g_attn Wq Wk Wv Wo
    n += D + F * D + F + D * F + D                      # g_ffn W1 b1 W2 b2
    n += D                                              # g_final
    n += 2 * D + 2 + 3 * D + 3                          # heads with bias
    secs = section("ARCH", struct.pack("<IIII", D, F, 7, 0))
    secs += section("ATTN", struct.pack("<IIIII", 4, 2, 3, 1, 0))
    secs += section("FNRM", struct.pack("<I", din) + struct.pack("<3f", 0.1, 0.2, 0.3)
                    + struct.pack("<3f", 1.0, 2.0, 0.5))
    secs += section("ROPE", struct.pack("<II", 1, 4))
    secs += section("HEAD", struct.pack("<I", 2) + lstr("act") + struct.pack("<I", 2)
                    + lstr("idle") + lstr("walk") + lstr("pres") + struct.pack("<I", 3)
                    + lstr("a") + lstr("b") + lstr("c"))
    secs += section("prov", struct.pack("<Qf", 42, 0.9) + lstr("seed") + lstr("tiny") + lstr(""))
    secs += section("INPT", struct.pack("<II", 1, 1))
    v2 = blob(2, False, din, 2, 1, 2, 1, 2, weights(n, 7), secs)
    v2h = blob(2, True, din, 2, 1, 2, 1, 2, weights(n, 9), secs)
    for name, data in (("v1_tiny", v1), ("v2_all_sections", v2), ("v2_fp16", v2h)):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
