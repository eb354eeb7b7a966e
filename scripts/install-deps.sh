#!/usr/bin/env bash
# Installs the Debian packages FrameBridge needs that are not installed yet, and nothing else.
# Usage: scripts/install-deps.sh [build|test|windows]   (test = build + what the tests and
# benchmarks use; windows = the MinGW-w64 cross compiler and Wine, for scripts/test-windows.sh)
set -euo pipefail

build_packages=(
  cmake ninja-build g++ make
  libboost-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libbenchmark-dev
  libopencv-dev libgstreamer1.0-dev gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  # The desktop app; Debian 12's Qt6Charts CMake package also needs Qt6OpenGL's.
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev
  # The app's icon, rendered from assets/framebridge.svg.
  librsvg2-bin
  # --rtsp-port: GStreamer's RTSP server (without it no RTSP); x264enc, for H.264 over RTSP
  # and in recordings (without it MJPEG, and OpenCV's FFmpeg writer for recordings).
  libgstrtspserver-1.0-dev gstreamer1.0-plugins-ugly
)
test_packages=(
  clang-format flake8 python3-mypy clang libclang-rt-14-dev
  python3-numpy python3-opencv python3-pytest python3-setuptools python3-pip python3-venv
  # pytest -n 2 in make test: the Python tests mostly wait on servers and clients.
  python3-pytest-xdist
  # The asyncio client's tests and latency rows in uvloop's loop as well as asyncio's own.
  python3-uvloop
  # The desktop app's screenshot test (a real X server) and face_detection.py's Haar cascade.
  xvfb xauth opencv-data
  # The RTSP tests' real client: gst-launch-1.0 with rtspsrc.
  gstreamer1.0-tools
  # The install tests: cpack -G DEB (dpkg-shlibdeps, file) and the desktop entry's check.
  dpkg-dev file desktop-file-utils
)
# Boost, CLI11, spdlog and fmt headers come from build_packages; GoogleTest's sources from googletest.
windows_packages=(
  g++-mingw-w64-x86-64-posix wine64 googletest
)

case "${1:-test}" in
  build) wanted=("${build_packages[@]}") ;;
  test) wanted=("${build_packages[@]}" "${test_packages[@]}") ;;
  windows) wanted=("${build_packages[@]}" "${windows_packages[@]}") ;;
  *) echo "usage: $0 [build|test|windows]" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "These packages are missing and this user cannot install them: ${missing[*]}" >&2
  echo "Ask an administrator to run: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
