"""Outline the largest bright blobs of each frame and send them back to the server as the
frame's result: each blob's contour, simplified, as a polyline and its centre as a point
(drawn on the desktop app's preview); print how many there are."""
import argparse
import itertools
from typing import List, Tuple

import cv2
import numpy as np

import framebridge as fb

BLOBS = 5  # the largest ones only
MIN_AREA_PX = 64  # smaller blobs are noise
SIMPLIFY = 0.01  # a contour may stray this share of its length from the blob's outline
MAX_CORNERS = 4096  # what one result carries in all its polylines

Point = Tuple[int, int]


def find_blobs(image: np.ndarray, count: int = BLOBS) -> Tuple[List[np.ndarray], List[Point]]:
    """The outlines of the largest `count` blobs brighter than the frame's Otsu threshold,
    each an (N, 2) array of corners whose last is its first (a closed polyline), largest
    first, and each blob's centre of mass."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    largest = sorted((c for c in contours if cv2.contourArea(c) >= MIN_AREA_PX),
                     key=cv2.contourArea, reverse=True)[:count]
    outlines: List[np.ndarray] = []
    centres: List[Point] = []
    corners = 0
    for contour in largest:
        simple = cv2.approxPolyDP(contour, SIMPLIFY * cv2.arcLength(contour, True), True)
        outline = np.vstack([simple.reshape(-1, 2), simple[:1].reshape(1, 2)])
        if corners + len(outline) > MAX_CORNERS:
            break
        corners += len(outline)
        m = cv2.moments(contour)
        outlines.append(outline)
        centres.append((round(m["m10"] / m["m00"]), round(m["m01"] / m["m00"])))
    return outlines, centres


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", nargs="?", type=int, default=7600)
    parser.add_argument("--port", dest="port_option", type=int, help="same as the positional port")
    parser.add_argument("--count", type=int, help="stop after this many frames")
    args = parser.parse_args()

    with fb.connect(port=args.port_option or args.port) as client:
        for frame in itertools.islice(client, args.count):
            outlines, centres = find_blobs(frame.array)
            client.send_result(frame, polylines=outlines, points=centres,
                               text=f"{len(outlines)} blob{'' if len(outlines) == 1 else 's'}")
            print(f"seq {frame.seq}  {frame.width}x{frame.height}  blobs {len(outlines)}  "
                  f"corners {sum(len(outline) for outline in outlines)}", flush=True)


if __name__ == "__main__":
    main()
