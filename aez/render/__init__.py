"""Maps and figures. matplotlib is imported only under this package.

:func:`aez.render.preview.render_preview` draws the overview map of a demo
region (``aez demo --preview``).
"""
