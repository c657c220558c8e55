#!/usr/bin/env python3
"""fwtool.py - cross-build the kernel + ABI shim + test runner for the
bare-metal targets, run them under QEMU, compare with the host build, and
print the firmware budgets.

meson drives it (firmware/meson.build):
  fwtool.py check   --target T --host-runner EXE --build-dir D --root R -- SRC...
  fwtool.py budgets --build-dir D --root R [--host-runner EXE] -- SRC...

Exit codes follow meson: 0 pass, 1 fail, 77 skip (a missing toolchain or
QEMU outside CI; under CI=true a missing tool is a failure).
"""
import argparse
import bisect
import concurrent.futures
import os
import re
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BM = os.path.join(HERE, 'baremetal')
COMPONENT = os.path.join(HERE, 'esp-idf', 'components', 'rv_temporal')
COMPAT = os.path.join(HERE, 'esp-idf', 'compat')

COMMON_CFLAGS = ['-std=c11', '-O2', '-g', '-ffp-contract=off', '-fno-math-errno',
                 '-ffunction-sections', '-fdata-sections',
                 '-Wall', '-Wextra', '-Werror', '-DRV_FW_BAREMETAL=1']

PICO_RV = ['--crt0=semihost', '--oslib=semihost',
           '-Wl,--defsym=__flash=0x80000000', '-Wl,--defsym=__flash_size=0x200000',
           '-Wl,--defsym=__ram=0x80200000', '-Wl,--defsym=__ram_size=0x200000',
           '-Wl,--defsym=__stack_size=0x10000']
QEMU_RV = ['qemu-system-riscv32', '-M', 'virt', '-bios', 'none',
           '-semihosting-config', 'enable=on,target=native']

TARGETS = {
    'cortex-m4f': {
        'desc': 'Cortex-M4F (FPv4-SP, hard float), newlib-nano, QEMU mps2-an386',
        'cc': 'arm-none-eabi-gcc', 'size': 'arm-none-eabi-size',
        'cflags': ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16',
                   '--specs=nano.specs'],
        'ldflags': ['-nostartfiles',
                    '-T', os.path.join(BM, 'cortex-m4f', 'link.ld')],
        'port': ['cortex-m4f/startup.c', 'cortex-m4f/port.c'],
        'qemu': ['qemu-system-arm', '-M', 'mps2-an386',
                 '-semihosting-config', 'enable=on,target=native'],
        'debs': 'gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm',
        'libc': 'libc_nano.a',
    },
    'rv32imac': {
        'desc': 'RV32IMAC/ilp32 (ESP32-C3/C6 class, soft float), picolibc, QEMU virt',
        'cc': 'riscv64-unknown-elf-gcc', 'size': 'riscv64-unknown-elf-size',
        'cflags': ['-march=rv32imac', '-mabi=ilp32', '--specs=picolibc.specs'],
        'ldflags': PICO_RV, 'port': ['rv32/port.c'], 'qemu': QEMU_RV,
        'debs': 'gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc',
        'libc': 'picolibc.specs',
    },
    'rv32imafc': {
        'desc': 'RV32IMAFC/ilp32f (ESP32-P4 class, hard float), picolibc, QEMU virt',
        'cc': 'riscv64-unknown-elf-gcc', 'size': 'riscv64-unknown-elf-size',
        'cflags': ['-march=rv32imafc', '-mabi=ilp32f', '--specs=picolibc.specs'],
        'ldflags': PICO_RV, 'port': ['rv32/port.c'], 'qemu': QEMU_RV,
        'debs': 'gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc',
        'libc': 'picolibc.specs',
    },
    'xtensa-lx106': {
        'desc': 'Xtensa lx106 (call0, no FPU), picolibc, QEMU sim -cpu lx106',
        'cc': 'xtensa-lx106-elf-gcc', 'size': 'xtensa-lx106-elf-size',
        'cflags': ['-mlongcalls', '--specs=/usr/lib/xtensa-lx106-elf/picolibc.specs'],
        'ldflags': ['-nostartfiles',
                    '-T', os.path.join(BM, 'xtensa', 'link.ld')],
        'port': ['xtensa/startup.S', 'xtensa/port.c', 'xtensa/softfloat.c'],
        'qemu': ['qemu-system-xtensa', '-M', 'sim', '-cpu', 'lx106', '-semihosting'],
        'debs': 'gcc-xtensa-lx106 picolibc-xtensa-lx106-elf qemu-system-misc',
        'libc': '/usr/lib/xtensa-lx106-elf/picolibc.specs',
    },
}

RUNNER = ['common/runner.c', 'common/fw_inputs.c', 'common/fw_out.c', 'common/fw_arena.c',
          'common/fw_motion.c']


def log(msg):
    print(msg, flush=True)


def missing_tool(what, debs):
    """Skip (77) outside CI, fail (1) under CI=true."""
    msg = f'{what} not found (Debian packages: {debs}; scripts/deps.sh --test installs them)'
    if os.environ.get('CI', '') == 'true':
        log(f'FAIL: {msg}; CI=true so a missing toolchain is an error')
        return 1
    log(f'SKIP: {msg}')
    return 77


def have_toolchain(t):
    """Compiler on PATH and its C library installed (the library is a
    separate Debian package: a compiler alone cannot link the runner)."""
    if not shutil.which(t['cc']):
        return False
    lib = t['libc']
    if os.path.isabs(lib):
        return os.path.exists(lib)
    r = subprocess.run([t['cc']] + [f for f in t['cflags'] if not f.startswith('--specs')] +
                       ['-print-file-name=' + lib], capture_output=True, text=True)
    return r.returncode == 0 and os.path.isabs(r.stdout.strip())


def include_flags(root, build_dir):
    return ['-I' + os.path.join(root, 'src', 'kernel'),
            '-I' + os.path.join(root, 'src', 'kernel', 'internal'),
            '-I' + os.path.join(root, 'models'),
            '-I' + os.path.join(COMPONENT, 'include'),
            '-I' + COMPAT, '-I' + os.path.join(BM, 'common'), '-I' + build_dir]


def stale(obj, dep):
    """True when obj is missing or older than anything its .d file lists."""
    if not (os.path.exists(obj) and os.path.exists(dep)):
        return True
    t = os.path.getmtime(obj)
    with open(dep) as f:
        text = f.read().replace('\\\n', ' ')
    deps = text.split(':', 1)[1].split() if ':' in text else []
    return any(not os.path.exists(p) or os.path.getmtime(p) > t for p in deps)


def compile_one(cc, flags, src, obj):
    dep = obj[:-2] + '.d'
    if not stale(obj, dep):
        return None
    cmd = [cc] + flags + ['-MMD', '-MF', dep, '-c', src, '-o', obj]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return ' '.join(cmd) + '\n' + r.stdout + r.stderr
    return None


def build(target, sources, root, build_dir, defines=(), variant='', runner=RUNNER):
    """Compile and link one target; returns (elf path, error text)."""
    t = TARGETS[target]
    out = os.path.join(build_dir, target + variant)
    objdir = os.path.join(out, 'obj')
    os.makedirs(objdir, exist_ok=True)
    flags = COMMON_CFLAGS + t['cflags'] + include_flags(root, build_dir) + list(defines)
    # The flag set is part of every object's identity: rebuild when it changes.
    stamp = os.path.join(out, 'flags')
    old = open(stamp).read() if os.path.exists(stamp) else ''
    if old != ' '.join(flags):
        for f in os.listdir(objdir):
            os.unlink(os.path.join(objdir, f))
        with open(stamp, 'w') as f:
            f.write(' '.join(flags))
    all_src = list(sources) + [os.path.join(BM, p) for p in t['port'] + runner]
    jobs, objs = [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        for src in all_src:
            name = re.sub(r'[^A-Za-z0-9_.]', '_', os.path.relpath(src, root)) + '.o'
            obj = os.path.join(objdir, name)
            objs.append(obj)
            jobs.append(ex.submit(compile_one, t['cc'], flags, src, obj))
        errors = [j.result() for j in jobs if j.result()]
    if errors:
        return None, '\n'.join(errors)
    elf = os.path.join(out, 'fwtest.elf')
    if os.path.exists(elf) and all(os.path.getmtime(o) <= os.path.getmtime(elf) for o in objs):
        return elf, ''
    cmd = ([t['cc']] + t['cflags'] + objs + t['ldflags'] +
           ['-Wl,--gc-sections', '-Wl,-Map=' + elf + '.map', '-lm', '-o', elf])
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return None, ' '.join(cmd) + '\n' + r.stdout + r.stderr
    return elf, ''


def run_qemu(target, elf, extra=(), timeout=300):
    t = TARGETS[target]
    cmd = t['qemu'] + list(extra) + ['-nographic', '-monitor', 'none', '-serial', 'none',
                                     '-kernel', elf]
    # Semihosting console output lands on QEMU's stdout or stderr depending
    # on the call used (SYS_WRITE0 vs SYS_WRITE to fd 1): read both, in order.
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors='replace') if isinstance(e.stdout, bytes) else (e.stdout or '')
        return 124, out, f'timeout after {timeout} s'
    return r.returncode, r.stdout, ''


def parse_values(text):
    """'V <name> <n> <hex32>...' lines -> {name: [uint32]}."""
    vals = {}
    for line in text.splitlines():
        p = line.split()
        if len(p) >= 3 and p[0] == 'V':
            vals.setdefault(p[1], []).extend(int(x, 16) for x in p[3:])
    return vals


def f32(u):
    return struct.unpack('<f', struct.pack('<I', u))[0]


# Value sets computed without libm's transcendental functions (the kernel's
# own exp, sin, cos; the motion detector's +, -, *, / and correctly rounded
# sqrtf): every target runs the same IEEE operations in the same order as
# the host, so they must match bit for bit. The rest (the dense reference uses libm's
# expf) may differ by the C libraries' rounding, within the tolerance.
EXACT = re.compile(r'^(attn_forward|attn_decode|model_logits|motion_)')


def compare(host, dev, tol):
    """Bit-exact count and worst relative difference per value set."""
    ok, lines = True, []
    hv, dv = parse_values(host), parse_values(dev)
    if not hv:
        return False, ['host runner printed no values']
    for name in sorted(set(hv) | set(dv)):
        a, b = hv.get(name), dv.get(name)
        if a is None or b is None or len(a) != len(b):
            ok = False
            lines.append(f'  {name}: missing or length differs '
                         f'(host {None if a is None else len(a)}, target {None if b is None else len(b)})')
            continue
        exact = sum(1 for x, y in zip(a, b) if x == y)
        worst = 0.0
        for x, y in zip(a, b):
            fx, fy = f32(x), f32(y)
            if x == y:
                continue
            if fx != fx or fy != fy:
                worst = float('inf')
                continue
            worst = max(worst, abs(fx - fy) / max(1.0, abs(fx)))
        strict = bool(EXACT.match(name))
        good = exact == len(a) if strict else worst <= tol
        ok &= good
        rule = 'must be bit-exact' if strict else f'tolerance {tol:g}'
        lines.append(f'  {name:<22} {len(a):5d} values, bit-exact {exact:5d}/{len(a)}, '
                     f'max rel diff {worst:.3g} ({rule}) {"ok" if good else "FAIL"}')
    return ok, lines


def host_output(host_runner):
    r = subprocess.run([host_runner], capture_output=True, text=True, timeout=300)
    return r.returncode, r.stdout + r.stderr


def cmd_check(a):
    t = TARGETS[a.target]
    if not have_toolchain(t):
        return missing_tool(t['cc'] + ' or its C library', t['debs'])
    log(f'target {a.target}: {t["desc"]}')
    elf, err = build(a.target, a.sources, a.root, a.build_dir)
    if not elf:
        log('FAIL: build failed\n' + err)
        return 1
    r = subprocess.run([t['size'], elf], capture_output=True, text=True)
    log(r.stdout.strip())
    if not a.run:
        log('built and linked (not run on this target)')
        return 0
    if not shutil.which(t['qemu'][0]):
        return missing_tool(t['qemu'][0], t['debs'])
    rc_h, out_h = host_output(a.host_runner)
    if rc_h != 0:
        log('FAIL: host runner failed\n' + out_h)
        return 1
    rc, out, err = run_qemu(a.target, elf)
    if rc == 0:
        with open(elf + '.out', 'w') as f:   # reused by `agree`
            f.write(out)
    log('--- target output ---\n' + out.rstrip() + ('\n' + err.strip() if err.strip() else ''))
    if rc != 0 or 'RESULT PASS' not in out:
        log(f'FAIL: target exit status {rc}')
        return 1
    ok, lines = compare(out_h, out, a.tol)
    log('--- host vs target ---')
    log('\n'.join(lines))
    log('PASS' if ok else 'FAIL: target values differ from the host build')
    return 0 if ok else 1


def cmd_agree(a):
    """All targets run the same float operations in the same order: their
    values must agree bit for bit with each other (the host may differ where
    glibc's libm differs from newlib/picolibc's)."""
    outs = {}
    for name in a.targets:
        t = TARGETS[name]
        if not have_toolchain(t) or not shutil.which(t['qemu'][0]):
            rc = missing_tool(t['cc'] + ' / ' + t['qemu'][0], t['debs'])
            if rc != 77:
                return rc
            continue
        elf, err = build(name, a.sources, a.root, a.build_dir)
        if not elf:
            log(f'FAIL: {name} build failed\n{err}')
            return 1
        saved = elf + '.out'
        if os.path.exists(saved) and os.path.getmtime(saved) >= os.path.getmtime(elf):
            rc, out, err = 0, open(saved).read(), ''   # this ELF's run by `check`
        else:
            rc, out, err = run_qemu(name, elf)
        if rc != 0 or 'RESULT PASS' not in out:
            log(f'FAIL: {name} exit status {rc}\n{out}\n{err}')
            return 1
        outs[name] = parse_values(out)
    if len(outs) < 2:
        log('SKIP: fewer than two targets could run')
        return 77
    ref_name = next(iter(outs))
    ok = True
    for name, vals in outs.items():
        same = vals == outs[ref_name]
        n = sum(len(v) for v in vals.values())
        log(f'  {name:<13} {n} values {"bit-identical to" if same else "DIFFER from"} {ref_name}')
        ok &= same
    log('PASS' if ok else 'FAIL: targets disagree')
    return 0 if ok else 1


def cmd_component_sources(a):
    """The ESP-IDF component compiles src/kernel/*.c (CMake GLOB); meson's
    kernel_sources must be that same set, or node and host builds drift."""
    kdir = os.path.join(a.root, 'src', 'kernel')
    on_disk = sorted(f for f in os.listdir(kdir) if f.endswith('.c'))
    listed = sorted(os.path.basename(s) for s in a.sources
                    if os.path.dirname(s) == os.path.abspath(kdir))
    if on_disk == listed:
        log(f'PASS: the component and meson compile the same {len(listed)} kernel files')
        return 0
    log('FAIL: src/kernel/*.c (what firmware/esp-idf/components/rv_temporal/CMakeLists.txt '
        'compiles) differs from meson\'s kernel_sources')
    log('  only on disk: ' + ' '.join(sorted(set(on_disk) - set(listed))))
    log('  only in kernel_sources: ' + ' '.join(sorted(set(listed) - set(on_disk))))
    return 1


def size_of(target, objs_dir, match):
    """text/data/bss summed over the objects whose name matches."""
    t = TARGETS[target]
    objs = [os.path.join(objs_dir, f) for f in sorted(os.listdir(objs_dir))
            if f.endswith('.o') and match(f)]
    r = subprocess.run([t['size'], '-t'] + objs, capture_output=True, text=True)
    last = r.stdout.strip().splitlines()[-1].split()
    return int(last[0]), int(last[1]), int(last[2])


def linked_sizes(target, elf):
    """Bytes each part contributes to the linked image (gc-sections applied),
    from the map file: kernel, shim, runner/port, libc+libm+libgcc."""
    parts = {'kernel': 0, 'shim': 0, 'runner': 0, 'libs': 0}
    cur = None
    with open(elf + '.map') as f:
        text = f.read()
    text = text.split('Linker script and memory map', 1)[-1]
    for line in text.splitlines():
        m = re.match(r'^ (\.[\w.]+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$', line)
        if not m:
            m2 = re.match(r'^ (\.[\w.]+)$', line)
            cur = m2.group(1) if m2 else cur
            continue
        sec = m.group(1) or cur
        size, obj = int(m.group(3), 16), m.group(4)
        if not sec or size == 0 or int(m.group(2), 16) == 0:
            continue
        if sec.startswith(('.debug', '.comment', '.ARM.attributes', '.stack', '.riscv')):
            continue
        if 'src_kernel_' in obj:
            parts['kernel'] += size
        elif 'rv_temporal' in obj:
            parts['shim'] += size
        elif obj.endswith('.o') and '/obj/' in obj:
            parts['runner'] += size
        else:
            parts['libs'] += size
    return parts


def profile(elf, pcs):
    """Maps sampled PCs to functions with nm; [(share, name)] largest first."""
    nm = TARGETS['cortex-m4f']['size'].replace('size', 'nm')
    r = subprocess.run([nm, '-n', '-S', elf], capture_output=True, text=True)
    syms = []
    for line in r.stdout.splitlines():
        p = line.split()
        if len(p) == 4 and p[2] in 'tTW':
            syms.append((int(p[0], 16) & ~1, int(p[1], 16), p[3]))
    syms.sort()
    starts = [s[0] for s in syms]
    counts = {}
    for pc in pcs:
        i = bisect.bisect_right(starts, pc & ~1) - 1
        name = syms[i][2] if i >= 0 and pc < syms[i][0] + max(syms[i][1], 2) else '?'
        counts[name] = counts.get(name, 0) + 1
    return sorted(((n / len(pcs), f) for f, n in counts.items()), reverse=True)


def cmd_budgets(a):
    t = TARGETS['cortex-m4f']
    if not have_toolchain(t) or not shutil.which(t['qemu'][0]):
        return missing_tool(t['cc'] + ' / ' + t['qemu'][0], t['debs'])
    log('== firmware budgets (kernel + model + ABI shim) ==')
    log('')
    log('Code size per target, -O2, objects before linking (text/data/bss bytes):')
    log(f'  {"target":<13} {"kernel":>20} {"ABI shim":>18}   linked kernel+shim')
    log(f'  {"":<13} {"":>20} {"":>18} {"-O2":>9} {"-Os":>9}')
    for name, tt in TARGETS.items():
        if not have_toolchain(tt):
            log(f'  {name:<13} (toolchain {tt["cc"]} or its C library missing, skipped)')
            continue
        elf, err = build(name, a.sources, a.root, a.build_dir)
        if not elf:
            log(f'  {name:<13} build failed:\n{err}')
            return 1
        objdir = os.path.join(a.build_dir, name, 'obj')
        k = size_of(name, objdir, lambda f: f.startswith('src_kernel_'))
        s = size_of(name, objdir, lambda f: 'rv_temporal' in f)
        linked = []
        for opt in ('-O2', '-Os'):
            abi, err = build(name, a.sources, a.root, a.build_dir, variant='-abi' + opt,
                             defines=[opt], runner=['common/abi_only.c', 'common/fw_arena.c'])
            if not abi:
                log(f'  {name:<13} ABI-only link failed:\n{err}')
                return 1
            p = linked_sizes(name, abi)
            linked.append(p['kernel'] + p['shim'])
        log(f'  {name:<13} {k[0]:>8}/{k[1]:>5}/{k[2]:>5} {s[0]:>8}/{s[1]:>4}/{s[2]:>4} '
            f'{linked[0]:>9} {linked[1]:>9}')
    log('  ("linked" = bytes the kernel and shim contribute to a program that calls the whole\n'
        '   ABI (baremetal/common/abi_only.c) after --gc-sections: what a node firmware links.)')
    log('')
    elf, err = build('cortex-m4f', a.sources, a.root, a.build_dir,
                     defines=['-DFW_BUDGET=1'], variant='-budget',
                     runner=RUNNER + ['common/fw_budget.c'])
    if not elf:
        log('budget build failed:\n' + err)
        return 1
    rc, out, err = run_qemu('cortex-m4f', elf, extra=['-icount', 'shift=0,align=off,sleep=off'],
                            timeout=600)
    if rc != 0 or 'RESULT PASS' not in out:
        log(f'budget run failed (exit {rc}):\n{out}\n{err}')
        return 1
    b, pcs = {}, []
    for line in out.splitlines():
        p = line.split()
        if len(p) >= 3 and p[0] == 'B':
            b[p[1]] = int(p[2])
        elif p and p[0] == 'P':
            pcs.extend(int(x, 16) for x in p[1:])
    mhz, cpi_lo, cpi_hi, gate_ms = 240.0, 1.0, 1.6, 50.0
    budget = 65536
    log('Model and memory (window_len = 256 frames; the context is the ABI\'s one allocation):')
    log('  model        models/rvcsi-state.rvne (shipped, from librvmodels)')
    log(f'               input_dim {b["input_dim"]}, d_model {b["d_model"]}, layers {b["n_layers"]}, '
        f'd_ff {b["d_ff"]}, heads {b["q_heads"]}q/{b["kv_heads"]}kv x {b["head_dim"]}, '
        f'classes {b["n_classes"]}, attention window {b["attn_window"]}')
    log(f'  weights      {b["blob_bytes"]} bytes of .rvne (read in place from flash, not copied)')
    for key, label in (('ctx_f32', 'fp32 KV cache'), ('ctx_f16', 'fp16 KV cache'),
                       ('ctx_f16_lm', f'fp16, {b["lm_blocks"]} landmark blocks')):
        n = b[key]
        log(f'  context, {label:<26} {n:6d} bytes ({n / 1024:5.1f} KiB) = '
            f'{100.0 * n / budget:3.0f}% of the 64 KiB budget (aim: <= 50%)')
    log(f'    of which: KV caches + landmarks {b["stream_f32"]} B (fp32) / {b["stream_f16"]} B (fp16), '
        f'step workspace {b["step_ws"]} B, model object {b["model_obj"]} B')
    log(f'  stack        push {b["stack_push_f32"]} B, classify {b["stack_classify_f32"]} B, '
        f'init {b["stack_init"]} B (once), self-test {b["stack_self_test"]} B (once) '
        f'[stack painting, +-64 B]')
    log(f'  self-test    borrows one {b["self_test_block"]} B block from the allocator, freed before it returns')
    for key, prec, label in (('ctx_f32', 'f32', 'fp32 cache'), ('ctx_f16', 'f16', 'fp16 cache'),
                             ('ctx_f16_lm', 'f16', 'Kconfig defaults (fp16, landmarks)')):
        peak = b[key] + max(b['stack_push_' + prec], b['stack_classify_' + prec])
        log(f'  peak RAM while streaming, {label}: {peak} bytes '
            f'({100.0 * peak / budget:.0f}% of 64 KiB)')
    log('')
    log('Executed instructions, emulated Cortex-M4F (qemu -icount shift=0: 1 ns of virtual time per')
    log(f'instruction, read from the 25 MHz CMSDK timer; calibration loop of {b["calib_expect"]} '
        f'instructions measured {b["calib_insns"]}):')
    log(f'  {"":<52} {"fp32 cache":>12} {"fp16 cache":>12}')
    rows = (('push, one frame, steady state (window full)', 'push_steady'),
            ('classify (head on the newest embedding)', 'classify'))
    for label, key in rows:
        log(f'  {label:<52} {b[key + "_f32"]:>12} {b[key + "_f16"]:>12}')
    log(f'  {"push + classify, steady state":<52} '
        f'{b["push_steady_f32"] + b["classify_f32"]:>12} {b["push_steady_f16"] + b["classify_f16"]:>12}')
    log(f'  {"cold window: 256 pushes + 1 classify":<52} {b["window_fill_f32"]:>12} {b["window_fill_f16"]:>12}')
    log(f'  of which per frame and layer, one rv_attn_decode over a full 256-frame ring: '
        f'{b["decode_one_layer"]}')
    log(f'  batch alternative: rv_model_prefill over 256 frames: {b["prefill_256"]} '
        f'(workspace {b["prefill_ws"]} bytes)')
    log(f'  libm on this target, per call: expf {b["libm_expf"]}, sinf {b["libm_sinf"]}, '
        f'cosf {b["libm_cosf"]}')
    if pcs:
        log('')
        log(f'Where a push spends its instructions (fp32 cold window, {len(pcs)} samples of the')
        log('interrupted PC, one per 520 instructions; share, instructions per push, function):')
        for share, fn in profile(elf, pcs)[:14]:
            log(f'  {100 * share:5.1f}%  {share * b["window_fill_f32"] / 256:9.0f}  {fn}')
    log('')
    log(f'Estimate for a 240 MHz ESP32-S3 (Xtensa LX7 with single-precision FPU), taking its instruction')
    log(f'count as the Cortex-M4F\'s and {cpi_lo:.1f}..{cpi_hi:.1f} cycles per instruction:')
    for prec in ('f32', 'f16'):
        for label, n in ((f'classify at window 256, steady state ({prec})',
                          b['push_steady_' + prec] + b['classify_' + prec]),
                         (f'cold 256-frame window ({prec})', b['window_fill_' + prec])) + \
                        ((('batch prefill of 256 frames', b['prefill_256']),) if prec == 'f32' else ()):
            lo, hi = n * cpi_lo / (mhz * 1e3), n * cpi_hi / (mhz * 1e3)
            verdict = 'within' if hi <= gate_ms else ('over' if lo > gate_ms else 'around')
            log(f'  {label:<46} {lo:8.3f} .. {hi:8.3f} ms  = {100 * hi / gate_ms:6.1f}% of the '
                f'{gate_ms:.0f} ms gate at worst ({verdict})')
    log('  (push runs the model on each frame as it arrives, so a classification at window 256')
    log('   costs one push + one classify; the cold window is what recomputing the whole window')
    log('   at every classification would cost, which the streaming design never does.)')
    return 0


def read_npz_csi(path):
    """(rows of int8 I/Q bytes, values per row, duration_ms) of an ESPectre
    recording; the .npy headers are checked, not trusted."""
    import ast
    import struct
    import zipfile

    def npy(data, name):
        if data[:6] != b'\x93NUMPY' or data[6] != 1:
            raise SystemExit(f'{path}: {name}: not a version 1 .npy array')
        hl = struct.unpack('<H', data[8:10])[0]
        head = ast.literal_eval(data[10:10 + hl].decode('ascii'))
        return head, data[10 + hl:]
    with zipfile.ZipFile(path) as z:
        head, csi = npy(z.read('csi_data.npy'), 'csi_data')
        dhead, dur = npy(z.read('duration_ms.npy'), 'duration_ms')
    if head.get('descr') != '|i1' or head.get('fortran_order') or len(head['shape']) != 2:
        raise SystemExit(f'{path}: csi_data is not a C-order int8 matrix')
    rows, cols = head['shape']
    if len(csi) != rows * cols or dhead.get('descr') != '<f8' or len(dur) != 8:
        raise SystemExit(f'{path}: sizes disagree with the headers')
    return [csi[i * cols:(i + 1) * cols] for i in range(rows)], cols, struct.unpack('<d', dur)[0]


def cmd_embed_csi(a):
    """A stretch of a real session for the motion proof: baseline packets
    from --from seconds to its end, then movement packets up to --to
    seconds, at the times librvreal's playback gives them (packets spread
    evenly over each file's duration, whole microseconds), from 0."""
    frames, times = [], []
    b_rows, cols, b_dur = read_npz_csi(a.baseline)
    m_rows, m_cols, m_dur = read_npz_csi(a.movement)
    if m_cols != cols:
        raise SystemExit('baseline and movement have different subcarrier counts')
    for rows, dur, off, lo, hi in ((b_rows, b_dur, 0.0, a.start, 1e9),
                                   (m_rows, m_dur, b_dur * 1000.0, -1.0, a.end)):
        for i, r in enumerate(rows):
            t = off + i * dur * 1000.0 / len(rows)
            if lo * 1e6 <= t - off <= hi * 1e6:
                frames.append(r)
                times.append(int(t + 0.5))
    onset = sum(1 for t in times if t < b_dur * 1000.0)
    t0 = times[0]
    with open(a.out, 'w') as f:
        f.write('/* Generated by firmware/fwtool.py embed-csi from ' +
                os.path.basename(a.baseline) + ' and ' + os.path.basename(a.movement) +
                ' (tests/data/real/espectre, GPL-3.0 data; not part of the tree). */\n')
        f.write('#include "fw_motion.h"\n')
        f.write(f'const uint32_t fw_csi_frames = {len(frames)}u;\n')
        f.write(f'const uint32_t fw_csi_pairs = {cols // 2}u;\n')
        f.write(f'const uint32_t fw_csi_onset = {onset}u;\n')
        f.write('const uint32_t fw_csi_t_us[] = {\n')
        for i in range(0, len(times), 8):
            f.write('  ' + ', '.join(f'{t - t0}u' for t in times[i:i + 8]) + ',\n')
        f.write('};\nconst int8_t fw_csi_iq[] = {\n')
        for r in frames:
            f.write('  ' + ','.join(str(x if x < 128 else x - 256) for x in r) + ',\n')
        f.write('};\n')
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('check')
    c.add_argument('--target', required=True, choices=sorted(TARGETS))
    c.add_argument('--host-runner', required=True)
    c.add_argument('--build-dir', required=True)
    c.add_argument('--root', required=True)
    c.add_argument('--no-run', dest='run', action='store_false')
    c.add_argument('--tol', type=float, default=1e-5)
    c.add_argument('sources', nargs='*')
    b = sub.add_parser('budgets')
    b.add_argument('--build-dir', required=True)
    b.add_argument('--root', required=True)
    b.add_argument('sources', nargs='*')
    g = sub.add_parser('agree')
    g.add_argument('--targets', nargs='+', required=True, choices=sorted(TARGETS))
    g.add_argument('--build-dir', required=True)
    g.add_argument('--root', required=True)
    g.add_argument('sources', nargs='*')
    c2 = sub.add_parser('component-sources')
    c2.add_argument('--root', required=True)
    c2.add_argument('sources', nargs='*')
    ec = sub.add_parser('embed-csi')
    ec.add_argument('baseline')
    ec.add_argument('movement')
    ec.add_argument('out')
    ec.add_argument('--from', dest='start', type=float, required=True)
    ec.add_argument('--to', dest='end', type=float, required=True)
    a = ap.parse_args()
    if hasattr(a, 'sources'):
        a.sources = [os.path.abspath(s) for s in a.sources]
    return {'check': cmd_check, 'budgets': cmd_budgets, 'embed-csi': cmd_embed_csi,
            'agree': cmd_agree, 'component-sources': cmd_component_sources}[a.cmd](a)


if __name__ == '__main__':
    sys.exit(main())
