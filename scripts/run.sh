#!/usr/bin/env bash
# `make run`: the desktop app when there is one and a display to show it on, otherwise the
# headless server; either serves the synthetic 4K pattern on 127.0.0.1:7600, as the README
# says, whatever the app saved last time. Extra arguments go to whichever starts.
set -euo pipefail
bin_dir="${FRAMEBRIDGE_BIN_DIR:-build/bin}"
sdk_dir="$(cd "$(dirname "$0")/../python_sdk" && pwd)"

if [ -x "$bin_dir/framebridge" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  exec "$bin_dir/framebridge" --start --defaults "$@"
fi

if [ -x "$bin_dir/framebridge" ]; then
  reason="no display (\$DISPLAY and \$WAYLAND_DISPLAY are unset)"
else
  reason="this build has no desktop app"
fi
port=7600
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --port) port="${args[$((i + 1))]:-$port}" ;;
    --port=*) port="${args[$i]#--port=}" ;;
  esac
done
cat <<MSG
Starting the headless FrameBridge server: $reason.
Connect from Python (in another terminal: PYTHONPATH=$sdk_dir /usr/bin/python3):
    import framebridge as fb
    client = fb.connect(port=$port); frame = client.latest()
Press Ctrl+C to stop the server.
MSG
exec "$bin_dir/framebridge-server" "$@"
