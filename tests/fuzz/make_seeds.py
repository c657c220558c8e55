#!/usr/bin/env python3
"""Write the fuzz seed corpora tests/fuzz/corpus/<target>/ (committed).

Seeds are the hand-written packets of tests/kernel/wire_golden.h (same
bytes, written as hex here; CRC footers recomputed with zlib) plus a few
text lines of each firmware. Re-run after changing them:
    python3 tests/fuzz/make_seeds.py
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def crc_sealed(hexbody):
    body = bytes.fromhex(hexbody)
    return body + struct.pack('<I', zlib.crc32(body))


PKTS = {
    'csi_1x2': bytes.fromhex('01 00 11 C5 07 01 02 00 85 09 00 00 78 56 34 12'
                             ' D8 A1 02 10 03 04 FD 7F'),
    'csi_2x3': bytes.fromhex('01 00 11 C5 02 02 03 00 6C 14 00 00 01 00 00 00'
                             ' C4 A0 00 00 0A 0B 0C 0D 0E 0F 14 15 16 17 18 19'),
    'csi_1x64': bytes.fromhex('01 00 11 C5 01 01 40 00 85 09 00 00 05 00 00 00'
                              ' D0 A0 00 00') + bytes((i * 7) & 0xFF for i in range(128)),
    'vitals': bytes.fromhex('02 00 11 C5 03 05 F5 05 08 10 0B 00 CC 01 00 00'
                            ' 00 00 C0 3F 00 00 40 3F 40 E2 01 00 00 00 00 00'),
    'fused': bytes.fromhex('04 00 11 C5 09 09 78 05 10 EB 09 00 C4 02 01 50'
                           ' 00 00 00 40 00 00 80 3F E8 03 00 00 00 00 80 42'
                           ' 00 00 68 41 00 00 16 43 01 5A 00 00 00 00 00 00'),
    'features': bytes.fromhex('03 00 11 C5 04 00 02 01 40 42 0F 00 00 00 00 00'
                              ' 00 00 00 00 00 00 00 3F 00 00 80 3F 00 00 80 BF'
                              ' 00 00 80 3E 00 00 00 40 00 00 00 3E 00 00 00 BF'),
    'wasm4': bytes.fromhex('04 00 11 C5 05 02 02 00 01 00 00 80 3F 07 00 00 20 C0'),
    'wasm7': bytes.fromhex('07 00 11 C5 06 00 01 00 03 00 00 00 3F'),
    'state': crc_sealed('06 00 11 C5 0A 01 03 02 05 04 03 02 01 00 00 00'
                        ' 00 00 00 3F 00 00 80 3F 00 00 70 41 00 00 40 3F'
                        ' 00 00 70 42 00 00 80 3E 00 00 00 00 00 00 00 3E'
                        ' 00 00 80 3F 03 00 00 00'),
    'class': crc_sealed('07 00 11 C5 01 00 04 00 0B 00 00 00 40 4B 4C 00'
                        ' 00 00 00 00 2A 00 00 00 02 00 00 00 00 00 60 40'
                        ' 00 00 A0 3F'),
    'compressed': bytes.fromhex('05 00 11 C5 0C 06 80 00 03 00 AA BB CC'),
    'mesh': crc_sealed('00 81 11 C5 01 01 01 00 07 00 00 00 10 00 00 00'
                       ' 40 42 0F 00 00 00 00 00 03 00 00 00 50 C3 00 00'),
    'timesync': bytes.fromhex('10 A1 11 C5 09 01 06 00 F2 6D B7 01 00 00 00 00'
                              ' C5 AC A5 01 00 00 00 00 14 00 00 00 01 00 2A 14'),
    'timesync_v2': bytes.fromhex('10 A1 11 C5 0C 02 03 10 10 27 00 00 00 00 00 00'
                                 ' 17 27 00 00 00 00 00 00 00 00 00 80 00 00 00 00'
                                 ' 24 0A C4 12 34 56'),
}

LINES = {
    'esp_csi': 'CSI_DATA,17,1a:00:00:00:00:2b,-45,11,1,7,1,0,1,0,0,0,1,-92,0,11,2,'
               '1234567,0,94,0,8,0,"[3,4,-3,127,0,0,-128,5]"\n',
    'esp_csi_c6': 'CSI_DATA,42,1A:00:00:00:00:00,-38,11,-96,3,40,6,987654,82,0,4,1,'
                  '"[1,-2,3,-4]"\r\n',
    'csi_tool_old': 'CSI_DATA,AP,3C:71:BF:6D:2A:78,-58,11,1,0,1,1,1,0,0,0,0,-95,0,6,1,'
                    '2147483,0,115,0,1,1700000000.25,6,[-1 2 130 4 0 255 ]',
    'csi_tool_new': 'CSI_DATA,STA,3C:71:BF:6D:2A:78,-60,11,0,0,0,0,0,0,0,0,0,-93,0,1,0,'
                    '55,0,50,0,0,1.23457e+06,384,[1 2 3 4 ]\n',
}


def write(target, items, binary):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    for name, data in items.items():
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data if binary else data.encode())


write('fuzz_pkt', PKTS, True)
write('fuzz_csi_text', LINES, False)
