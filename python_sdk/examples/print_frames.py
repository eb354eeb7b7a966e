"""Print each frame's sequence number, size and publish-to-receive latency."""
import argparse
import itertools

import framebridge as fb

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("port", nargs="?", type=int, default=7600)
parser.add_argument("--port", dest="port_option", type=int, help="same as the positional port")
parser.add_argument("--count", type=int, help="stop after this many frames")
args = parser.parse_args()

with fb.connect(port=args.port_option or args.port) as client:
    for frame in itertools.islice(client, args.count):
        latency_ms = (frame.receive_ns - frame.publish_ns) / 1e6
        print(f"seq {frame.seq}  {frame.width}x{frame.height}  latency {latency_ms:.2f} ms",
              flush=True)
