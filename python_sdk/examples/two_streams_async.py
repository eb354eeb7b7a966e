"""Read two streams at once in one event loop (framebridge.asyncio): for each pair of frames,
each one's publish-to-receive latency and the skew between their capture times."""
import argparse
import asyncio
import itertools

import framebridge.asyncio as fba

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("port", nargs="?", type=int, default=7600)
parser.add_argument("--port", dest="port_option", type=int, help="same as the positional port")
parser.add_argument("--streams", nargs=2, metavar="NAME",
                    help="the two streams (default: the server's first two; its only one, "
                         "read by two clients, if it has one)")
parser.add_argument("--count", type=int, help="stop after this many pairs")
args = parser.parse_args()
port = args.port_option or args.port


async def main() -> None:
    names = args.streams or [info.name for info in await fba.list_streams(port=port)][:2]
    names = (names * 2)[:2]
    async with fba.connect(port=port, stream=names[0]) as left, \
            fba.connect(port=port, stream=names[1]) as right:
        for _ in itertools.islice(itertools.count(), args.count):
            # Both waits run at once: the pair takes as long as the slower stream.
            a, b = await asyncio.gather(left.latest(timeout=10), right.latest(timeout=10))
            with a, b:
                latency = [(f.receive_ns - f.publish_ns) / 1e6 for f in (a, b)]
                skew_ms = abs(a.capture_ns - b.capture_ns) / 1e6
                print(f"seq {names[0]}={a.seq} {names[1]}={b.seq}  latency "
                      f"{latency[0]:.2f} ms, {latency[1]:.2f} ms  skew {skew_ms:.2f} ms",
                      flush=True)


asyncio.run(main())
