#!/usr/bin/env python3
"""idf_check.py - check the ESP-IDF glue of the rv_temporal component
without ESP-IDF (which cannot be installed here):

  1. parse its Kconfig with kconfiglib (the library ESP-IDF's own Kconfig
     tooling descends from) and write sdkconfig.h / sdkconfig.cmake for a
     configuration, as `idf.py menuconfig` would;
  2. run the component's CMakeLists.txt under a small stand-in for ESP-IDF's
     idf_component_register() (same keywords; it checks every source,
     include directory and embedded file exists) and compile the component
     with the generated sdkconfig.h and stand-in FreeRTOS/ESP-IDF headers.

Three configurations: enabled with embedded weights, enabled with a weights
partition and the non-default options, and disabled.

  idf_check.py --build-dir DIR --root ROOT
Exit: 0 pass, 1 fail, 77 skip (cmake/kconfiglib missing outside CI).
"""
import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COMPONENT = os.path.join(HERE, 'esp-idf', 'components', 'rv_temporal')


def load_kconfiglib():
    try:
        import kconfiglib
        return kconfiglib
    except ImportError:
        # Debian's python3-kconfiglib is a single pure-Python module installed
        # for the system interpreter; another python3 on PATH can use it too.
        sys.path.append('/usr/lib/python3/dist-packages')
        try:
            import kconfiglib
            return kconfiglib
        except ImportError:
            return None


def missing(what):
    msg = f'{what} not found (Debian: cmake python3-kconfiglib; scripts/deps.sh --test installs them)'
    if os.environ.get('CI', '') == 'true':
        print(f'FAIL: {msg}; CI=true so a missing tool is an error')
        return 1
    print(f'SKIP: {msg}')
    return 77


HARNESS = r'''
cmake_minimum_required(VERSION 3.16)
project(rv_temporal_idf_check C)
set(CMAKE_C_STANDARD 17)
include("${CMAKE_CURRENT_LIST_DIR}/sdkconfig.cmake")

# Stand-in for ESP-IDF's idf_component_register (keywords as documented by
# ESP-IDF's build system); builds the component as a static library.
function(idf_component_register)
  cmake_parse_arguments(A "" ""
    "SRCS;INCLUDE_DIRS;PRIV_INCLUDE_DIRS;REQUIRES;PRIV_REQUIRES;EMBED_FILES;EMBED_TXTFILES" ${ARGN})
  if(NOT A_SRCS)
    message(FATAL_ERROR "idf_component_register: no SRCS")
  endif()
  foreach(f ${A_SRCS} ${A_INCLUDE_DIRS} ${A_PRIV_INCLUDE_DIRS} ${A_EMBED_FILES})
    get_filename_component(p "${f}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT EXISTS "${p}")
      message(FATAL_ERROR "idf_component_register: ${f} does not exist")
    endif()
  endforeach()
  foreach(r ${A_REQUIRES} ${A_PRIV_REQUIRES})
    if(NOT r IN_LIST IDF_KNOWN_COMPONENTS)
      message(FATAL_ERROR "idf_component_register: unknown component ${r}")
    endif()
  endforeach()
  set(lib __idf_rv_temporal)
  add_library(${lib} STATIC ${A_SRCS})
  target_include_directories(${lib} PUBLIC ${A_INCLUDE_DIRS}
    PRIVATE ${A_PRIV_INCLUDE_DIRS} ${IDF_STANDIN_INCLUDES})
  target_compile_options(${lib} PRIVATE -Wall -Wextra -Werror)
  target_compile_definitions(${lib} PRIVATE ESP_PLATFORM=1)
  set(COMPONENT_LIB ${lib} PARENT_SCOPE)
  set(EMBEDDED "${A_EMBED_FILES}" CACHE INTERNAL "")
endfunction()

# ESP-IDF v5 component names the CMakeLists may require.
set(IDF_KNOWN_COMPONENTS esp_timer esp_partition heap log freertos esp_common
    spi_flash esp_system)
add_subdirectory("@COMPONENT@" component)
'''


def write_config(kconfiglib, kconfig, out_dir, values):
    """Configure like menuconfig; write sdkconfig.h and sdkconfig.cmake."""
    os.environ.setdefault('srctree', os.path.dirname(kconfig))
    kc = kconfiglib.Kconfig(kconfig, warn_to_stderr=False)
    for name, val in values.items():
        sym = kc.syms[name]
        if not sym.set_value(val):
            raise SystemExit(f'cannot set {name}={val}')
        if sym.str_value != val:
            raise SystemExit(f'{name}={val} did not take (got {sym.str_value!r})')
    if kc.warnings:
        raise SystemExit('Kconfig warnings:\n' + '\n'.join(kc.warnings))
    kc.write_autoconf(os.path.join(out_dir, 'sdkconfig.h'))
    with open(os.path.join(out_dir, 'sdkconfig.cmake'), 'w') as f:
        for sym in kc.unique_defined_syms:
            if not sym.visibility and sym.str_value in ('', 'n'):
                continue
            if sym.str_value in ('', 'n'):
                continue
            f.write(f'set(CONFIG_{sym.name} "{sym.str_value}")\n')
    return {s.name: s.str_value for s in kc.unique_defined_syms}


def run(cmd, cwd=None):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        print(' '.join(cmd) + '\n' + r.stdout + r.stderr)
    return r.returncode == 0


def check(kconfiglib, name, values, root, build_dir, objects_only):
    d = os.path.join(build_dir, name)
    os.makedirs(d, exist_ok=True)
    cfg = write_config(kconfiglib, os.path.join(COMPONENT, 'Kconfig'), d, values)
    with open(os.path.join(d, 'CMakeLists.txt'), 'w') as f:
        f.write(HARNESS.replace('@COMPONENT@', COMPONENT))
    standins = [d,  # the generated sdkconfig.h first
                os.path.join(root, 'tests', 'firmware', 'idf_shim'),
                os.path.join(HERE, 'esp-idf', 'compat')]
    b = os.path.join(d, 'build')
    gen = ['-G', 'Ninja'] if shutil.which('ninja') else []
    if not run(['cmake', '-S', d, '-B', b, '-DCMAKE_BUILD_TYPE=Release',
                '-DIDF_STANDIN_INCLUDES=' + ';'.join(standins)] + gen):
        return False
    objs = []
    if objects_only and gen:
        # The kernel does not depend on the configuration: compile only the
        # component's own files for the other configurations.
        listing = subprocess.run(['ninja', '-C', b, '-t', 'targets', 'all'],
                                 capture_output=True, text=True).stdout
        objs = [l.split(':')[0] for l in listing.splitlines()
                if l.split(':')[0].endswith('.o') and '/src/kernel/' not in l]
    ok = run(['ninja', '-C', b] + objs) if gen else run(['cmake', '--build', b])
    enabled = cfg.get('CSI_TEMPORAL_HEAD_ENABLED') == 'y'
    print(f'  {name:<22} {"enabled" if enabled else "disabled"}, '
          f'kv_fp16={cfg.get("TEMPORAL_KV_FP16", "-")}, '
          f'weights={"partition" if cfg.get("TEMPORAL_WEIGHTS_PARTITION") == "y" else "embedded" if enabled else "-"}: '
          f'{"ok" if ok else "FAILED"}')
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--build-dir', required=True)
    ap.add_argument('--root', required=True)
    a = ap.parse_args()
    if not shutil.which('cmake'):
        return missing('cmake')
    kconfiglib = load_kconfiglib()
    if not kconfiglib:
        return missing('kconfiglib')
    weights = os.path.join(a.root, 'models', 'rvcsi-state.rvne')
    embedded = {'CSI_TEMPORAL_HEAD_ENABLED': 'y'}
    if not os.path.exists(weights):
        # No shipped model in this tree: embed another existing file; this
        # check compiles, it does not run the blob.
        embedded['TEMPORAL_WEIGHTS_FILE'] = os.path.join(COMPONENT, 'Kconfig')
    configs = [
        ('enabled-embedded', embedded, False),
        ('enabled-partition', {'CSI_TEMPORAL_HEAD_ENABLED': 'y', 'TEMPORAL_WEIGHTS_PARTITION': 'y',
                               'TEMPORAL_KV_FP16': 'n', 'TEMPORAL_LANDMARK_BLOCKS': '0',
                               'TEMPORAL_N_CLASSES': '4', 'TEMPORAL_WINDOW_LEN': '512'}, True),
        ('disabled', {'CSI_TEMPORAL_HEAD_ENABLED': 'n'}, True),
    ]
    print('ESP-IDF glue of firmware/esp-idf/components/rv_temporal (Kconfig via kconfiglib, '
          'CMakeLists.txt via a stand-in idf_component_register):')
    ok = all([check(kconfiglib, n, v, a.root, a.build_dir, o) for n, v, o in configs])
    print('PASS' if ok else 'FAIL')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
