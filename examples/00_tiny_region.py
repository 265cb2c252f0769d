"""Write the tiny synthetic region and check it with `aez info`.

Shows: every kind of input aez reads (rasters in three CRSs, a categorical
raster, land-unit polygons, roads, a table joined by BPS code) and the run
config that brings them onto one analysis grid.

Usage::

    python examples/00_tiny_region.py OUTDIR
    aez info OUTDIR/config.toml
"""

import sys

from aez.testing import write_tiny_region

if __name__ == "__main__":
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tiny-region"
    print(write_tiny_region(outdir))
