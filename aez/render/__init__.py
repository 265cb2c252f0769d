"""Maps and figures. matplotlib is imported only under this package.

:func:`aez.render.preview.render_preview` draws the overview map of a demo
region (``aez demo --preview``).

The atlas maps are :mod:`aez.render.maps`, drawn by :mod:`aez.render.jobs`
(also in worker processes), on pages of :mod:`aez.render.cartography` with the
north arrow and scale bar of :mod:`aez.render.furniture`; colours and labels
are :mod:`aez.render.palette`, QGIS styles :mod:`aez.render.qgis`, and the
HTML report is the subpackage :mod:`aez.render.report`.
"""
