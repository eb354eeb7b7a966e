"""Find the edges in each frame with Canny and print how much of the frame is edge."""
import argparse
import itertools
import time

import cv2
import numpy as np

import framebridge as fb


def edge_fraction(image: np.ndarray, low: int = 100, high: int = 200) -> float:
    """The share of pixels that Canny marks as edges, 0.0 to 1.0."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    edges = cv2.Canny(gray, low, high)
    return cv2.countNonZero(edges) / edges.size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("port", nargs="?", type=int, default=7600)
    parser.add_argument("--port", dest="port_option", type=int, help="same as the positional port")
    parser.add_argument("--count", type=int, help="stop after this many frames")
    args = parser.parse_args()

    with fb.connect(port=args.port_option or args.port) as client:
        for frame in itertools.islice(client, args.count):
            started = time.perf_counter()
            edges = edge_fraction(frame.array)  # reads the shared frame in place, no copy
            took_ms = (time.perf_counter() - started) * 1e3
            latency_ms = (frame.receive_ns - frame.publish_ns) / 1e6
            print(f"seq {frame.seq}  {frame.width}x{frame.height}  edges {edges:.1%}  "
                  f"canny {took_ms:.1f} ms  latency {latency_ms:.2f} ms", flush=True)


if __name__ == "__main__":
    main()
