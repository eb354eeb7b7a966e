"""Find the faces in each frame with OpenCV's Haar cascade, send them back to the server as
the frame's result (boxes labelled "face", drawn on the desktop app's preview), and print them.

The cascade comes with Debian's opencv-data package (apt-get install opencv-data); --cascade
names another one.
"""
import argparse
import itertools
import sys
import time
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

import framebridge as fb

CASCADE = "haarcascade_frontalface_default.xml"
CASCADE_DIRS = ("/usr/share/opencv4/haarcascades", "/usr/share/opencv/haarcascades")
DETECT_WIDTH = 640  # faces are found on a copy this wide: a 4K frame takes seconds otherwise

Box = Tuple[int, int, int, int]


def find_cascade(dirs: Sequence[str] = CASCADE_DIRS) -> Optional[Path]:
    """The frontal-face cascade: in OpenCV's own data folder if it has one, else in dirs."""
    own = getattr(getattr(cv2, "data", None), "haarcascades", None)
    for folder in ([own] if own else []) + list(dirs):
        path = Path(folder) / CASCADE
        if path.is_file():
            return path
    return None


def load_detector(path: Path) -> "cv2.CascadeClassifier":
    detector = cv2.CascadeClassifier()
    try:
        loaded = detector.load(str(path))
    except cv2.error:
        loaded = False
    if not loaded:
        raise SystemExit(f"face_detection.py: {path} is not a Haar cascade OpenCV can read")
    return detector


def detect_faces(detector: "cv2.CascadeClassifier",
                 image: np.ndarray) -> Tuple[List[Box], List[float]]:
    """Faces as (x, y, width, height) in the frame's own pixels, and a score for each: how
    many detections at nearby positions and scales agree on it (more is surer)."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    scale = min(1.0, DETECT_WIDTH / gray.shape[1])
    if scale < 1.0:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    found, agreeing = detector.detectMultiScale2(cv2.equalizeHist(gray), scaleFactor=1.1,
                                                 minNeighbors=5, minSize=(24, 24))
    boxes = [(int(x / scale), int(y / scale), int(w / scale), int(h / scale))
             for x, y, w, h in found]
    return boxes, [float(count) for count in agreeing]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", nargs="?", type=int, default=7600)
    parser.add_argument("--port", dest="port_option", type=int, help="same as the positional port")
    parser.add_argument("--count", type=int, help="stop after this many frames")
    parser.add_argument("--cascade", type=Path, help=f"a Haar cascade file instead of {CASCADE}")
    args = parser.parse_args()

    cascade = args.cascade or find_cascade()
    if cascade is None:
        sys.exit(f"face_detection.py: no Haar cascade found: looked for {CASCADE} in "
                 f"{' and '.join(CASCADE_DIRS)}. Install Debian's opencv-data "
                 "(sudo apt-get install opencv-data) or pass --cascade PATH.")
    if not cascade.is_file():
        sys.exit(f"face_detection.py: --cascade {cascade}: no such file")
    detector = load_detector(cascade)

    with fb.connect(port=args.port_option or args.port) as client:
        for frame in itertools.islice(client, args.count):
            started = time.perf_counter()
            faces, scores = detect_faces(detector, frame.array)
            took_ms = (time.perf_counter() - started) * 1e3
            client.send_result(frame, boxes=faces, labels=["face"] * len(faces), scores=scores,
                               text=f"{len(faces)} face{'' if len(faces) == 1 else 's'}")
            latency_ms = (frame.receive_ns - frame.publish_ns) / 1e6
            where = "".join(f" {w}x{h}@{x},{y}" for x, y, w, h in faces)
            print(f"seq {frame.seq}  {frame.width}x{frame.height}  faces {len(faces)}{where}  "
                  f"detect {took_ms:.1f} ms  latency {latency_ms:.2f} ms", flush=True)


if __name__ == "__main__":
    main()
