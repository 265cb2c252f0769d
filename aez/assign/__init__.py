"""Scores, one-product-per-kecamatan assignment, robustness and cooperative selection."""
