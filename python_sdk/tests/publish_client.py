"""A publisher that stops in the middle of a frame, for the test that kills it there.

Publishes --frames whole GRAY8 frames (every pixel 10), then takes a slot, fills its top half
with 0xAB, prints "mid-frame" and waits to be killed, the frame never finished.
"""

import argparse
import sys
import time

import framebridge as fb

WHOLE = 10
HALF = 0xAB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--frames", type=int, default=3)
    args = parser.parse_args()
    with fb.publish(args.name, 64, 48, fb.PixelFormat.GRAY8, port=args.port) as out:
        for _ in range(args.frames):
            with out.frame() as dst:
                dst[:] = WHOLE
        print("published", flush=True)
        input()  # the test reads what it needs, then says go on
        with out.frame() as dst:
            dst[:24] = HALF
            print("mid-frame", flush=True)
            time.sleep(60)  # killed here
    sys.exit("not killed")


if __name__ == "__main__":
    main()
