#!/usr/bin/env python3
"""Write the fuzz_npz seed corpus tests/fuzz/corpus/fuzz_npz/ (committed).

Small ESPectre-style recordings (.npz = zip of .npy) built with the
standard library only: stored, deflated, and zip64 local headers as NumPy
writes them. Re-run after changing them:
    python3 tests/fuzz/make_npz_seeds.py
"""
import io
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def npy(descr, shape, data):
    d = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    pad = (64 - (10 + len(d) + 1) % 64) % 64
    h = (d + ' ' * pad + '\n').encode()
    return b'\x93NUMPY\x01\x00' + struct.pack('<H', len(h)) + h + data


def text(s, n):
    return npy('<U%d' % n, '()', b''.join(struct.pack('<I', ord(c)) for c in s.ljust(n, '\0')))


def recording(packets, nsc, method, zip64):
    iq = bytes(((i * 7) % 41 - 20) & 0xFF for i in range(packets * 2 * nsc))
    members = {
        'csi_data.npy': npy('|i1', '(%d, %d)' % (packets, 2 * nsc), iq),
        'num_subcarriers.npy': npy('<i8', '()', struct.pack('<q', nsc)),
        'label.npy': text('baseline', 8),
        'chip.npy': text('C3', 2),
        'duration_ms.npy': npy('<f8', '()', struct.pack('<d', 100.0)),
        'gain_locked.npy': npy('|b1', '()', b'\x01'),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', method) as z:
        for name, data in members.items():
            with z.open(zipfile.ZipInfo(name), 'w', force_zip64=zip64) as f:
                f.write(data)
    return out.getvalue()


def main():
    d = os.path.join(HERE, 'corpus', 'fuzz_npz')
    os.makedirs(d, exist_ok=True)
    seeds = {
        'stored_4x2': recording(4, 2, zipfile.ZIP_STORED, False),
        'deflate_8x8': recording(8, 8, zipfile.ZIP_DEFLATED, False),
        'zip64_3x64': recording(3, 64, zipfile.ZIP_DEFLATED, True),
    }
    for name, data in seeds.items():
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
