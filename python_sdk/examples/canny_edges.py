"""Find the edges in each frame with Canny, print how much of the frame is edge, and publish
the edges back to the server as a stream (named "edges"; GRAY8, the size of the source), which
the desktop app and any other client can read like a camera. The count of edge pixels goes
back as the source frame's result."""
import argparse
import itertools
import time
from typing import Optional

import cv2
import numpy as np

import framebridge as fb


def gray_of(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def edge_fraction(image: np.ndarray, low: int = 100, high: int = 200) -> float:
    """The share of pixels that Canny marks as edges, 0.0 to 1.0."""
    edges = cv2.Canny(gray_of(image), low, high)
    return cv2.countNonZero(edges) / edges.size


def edges_into(image: np.ndarray, dst: np.ndarray, low: int = 100, high: int = 200) -> int:
    """Canny's edges of image written into dst (a published slot: no copy); how many pixels
    are edges."""
    cv2.Canny(gray_of(image), low, high, edges=dst)
    return int(cv2.countNonZero(dst))


def publisher_for(frame: fb.Frame, out: Optional[fb.Publisher], name: str,
                  port: int) -> fb.Publisher:
    """The publisher of the edges stream, made again when the source's size changes."""
    if out is not None and (out.width, out.height) == (frame.width, frame.height):
        return out
    if out is not None:
        out.close()
    try:
        return fb.publish(name, frame.width, frame.height, fb.PixelFormat.GRAY8, port=port)
    except fb.StreamExists as exc:
        raise SystemExit(f"{exc}; run this script with --publish OTHER_NAME") from None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("port", nargs="?", type=int, default=7600)
    parser.add_argument("--port", dest="port_option", type=int, help="same as the positional port")
    parser.add_argument("--count", type=int, help="stop after this many frames")
    parser.add_argument("--publish", default="edges", metavar="NAME",
                        help="the name of the stream of edges (default: edges)")
    args = parser.parse_args()
    port = args.port_option or args.port

    out: Optional[fb.Publisher] = None
    with fb.connect(port=port) as client:
        try:
            for frame in itertools.islice(client, args.count):
                out = publisher_for(frame, out, args.publish, port)
                started = time.perf_counter()
                # Reads the shared frame in place and writes the edges straight into a slot
                # of the published stream; the frame's seq and capture time go with them.
                with out.frame(source=frame) as dst:
                    edges = edges_into(frame.array, dst)
                took_ms = (time.perf_counter() - started) * 1e3
                client.send_result(frame, text=f"{edges} edge pixels")
                latency_ms = (frame.receive_ns - frame.publish_ns) / 1e6
                share = edges / (frame.width * frame.height)
                print(f"seq {frame.seq}  {frame.width}x{frame.height}  edges {share:.1%}  "
                      f"canny {took_ms:.1f} ms  latency {latency_ms:.2f} ms", flush=True)
        finally:
            if out is not None:
                out.close()


if __name__ == "__main__":
    main()
