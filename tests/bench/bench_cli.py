"""The command line every benchmark script shares: flags, clean stops, exit status, output."""

import argparse
import json
import signal
import sys
from typing import Any, Callable, Dict, List, Optional


def main(program: str, description: str, quick_help: str,
         run: Callable[[argparse.Namespace], Dict[str, Any]],
         table: Callable[[Dict[str, Any]], List[str]],
         more_arguments: Optional[Callable[[argparse.ArgumentParser], None]] = None) -> int:
    """Runs `run(args)`, prints `table(figures)`, then the figures as one JSON line.
    `more_arguments(parser)`, if given, adds the script's own flags.

    Exit status: 0, 1 if a frame did not carry its own seq, 2 if something broke, 130 on
    Ctrl-C (and 128 + 15 on SIGTERM), always after every process it started has stopped.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--build-dir", default="build", help="CMake build directory")
    parser.add_argument("--quick", action="store_true", help=quick_help)
    if more_arguments is not None:
        more_arguments(parser)
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so every process is stopped and its segment removed.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        figures = run(args)
    except KeyboardInterrupt:
        print(f"{program}: interrupted; every process it started is stopped", file=sys.stderr)
        return 130
    except Exception as exc:  # reported, not hidden: the run broke, so no figures
        print(f"{program}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    print("\n".join(table(figures)))
    print(json.dumps(figures), flush=True)
    return 1 if figures["seq_mismatches"] else 0
