"""A map-drawing worker process: ``python -m aez.render._map_worker``.

Reads a pickled list of :class:`~aez.render.jobs.MapJob` from standard input,
draws them in order and writes one JSON line per job to standard output: the
files written, or the pickled exception (base64) that stopped it.
"""

from __future__ import annotations

import base64
import json
import pickle
import sys


def main() -> int:
    """Draw the jobs read from standard input, answering one JSON line per job.

    Returns
    -------
    int
        The exit code: 0 when every job was drawn, 1 when one raised (its
        exception is the last line written).
    """
    from aez.render.jobs import draw_job

    jobs = pickle.load(sys.stdin.buffer)
    for job in jobs:
        try:
            paths = draw_job(job)
        except Exception as exc:  # handed to the parent, which raises it
            error = base64.b64encode(pickle.dumps(exc)).decode("ascii")
            sys.stdout.write(json.dumps({"error": error}) + "\n")
            return 1
        sys.stdout.write(json.dumps({"paths": [str(p) for p in paths]}) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
