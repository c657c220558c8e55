#!/usr/bin/env bash
# Install everything gst-rvcsi needs on Debian 12 (bookworm) from Debian's
# own archive. Idempotent: does nothing when all packages are present.
#   scripts/deps.sh           everything the default build needs (plugin,
#                             tools, demo, and the unit/element tests that
#                             `meson setup build` configures: Check)
#   scripts/deps.sh --test    also the sanitizer, fuzz, firmware and pcap
#                             tools that scripts/test.sh uses (llvm: its
#                             llvm-symbolizer names the frames LeakSanitizer's
#                             suppressions match)
set -euo pipefail

pkgs=(build-essential meson ninja-build pkg-config zlib1g-dev
      libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
      gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
      gstreamer1.0-plugins-bad python3 python3-gi gir1.2-gstreamer-1.0
      check libcairo2-dev libpango1.0-dev fonts-dejavu-core
      gstreamer1.0-plugins-ugly libmosquitto-dev libjson-glib-dev
      python3-paho-mqtt)
if [[ "${1:-}" == "--test" ]]; then
  pkgs+=(clang libclang-rt-14-dev llvm tshark mosquitto mosquitto-clients openssl
         gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi
         gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
         gcc-xtensa-lx106 picolibc-xtensa-lx106-elf
         qemu-system-arm qemu-system-misc cmake python3-kconfiglib
         chromium chromium-driver python3-selenium)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
