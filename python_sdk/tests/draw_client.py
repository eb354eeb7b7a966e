"""A client that draws on live frames the way an OpenCV user would (test_drawing.py).

For each of --frames frames it first checks the frame is exactly what the synthetic source
wrote (so nothing it drew on an earlier frame in the same slot shows through), then draws
in place with cv2.rectangle, putText, circle, line and GaussianBlur(dst=the array), checks
the drawing is there, prints "drew SEQ SLOT" and waits for a line on stdin before it lets
the frame go, so the test can look at the shared slot meanwhile.
"""

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

import framebridge as fb

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "soak"))
from frame_check import SyntheticPattern  # noqa: E402


def draw(a: np.ndarray) -> None:
    cv2.rectangle(a, (10, 10), (200, 120), (0, 255, 0), 2)
    cv2.putText(a, "FrameBridge", (20, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (255, 255, 255), 3)
    cv2.circle(a, (320, 240), 60, (0, 0, 255), -1)
    cv2.line(a, (0, 479), (639, 0), (255, 0, 0), 5)
    cv2.GaussianBlur(a, (9, 9), 0, dst=a)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--frames", type=int, default=12)
    args = parser.parse_args()
    with fb.connect(port=args.port, name="draw-client") as client:
        pattern = None
        for _ in range(args.frames):
            with client.latest(timeout=5) as frame:
                a = frame.array
                pattern = pattern or SyntheticPattern(frame.width, frame.height, a.shape[2])
                before = pattern.problems(a, frame.seq, range(frame.height))
                assert not before, f"frame {frame.seq} before drawing: {before[:3]}"
                draw(a)
                assert pattern.problems(a, frame.seq, [100, 240]), "the drawing is missing"
                print(f"drew {frame.seq} {frame.slot}", flush=True)
                sys.stdin.readline()
                del a
    print("done", flush=True)


if __name__ == "__main__":
    main()
