"""Kept for scripts written against 0.1: the chart now lives in acupoints.map.chart."""

from acupoints.map.chart import VIEW_NAMES, Chart, check_views, make_chart, to_data  # noqa: F401
