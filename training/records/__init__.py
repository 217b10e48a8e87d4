"""Training records (一人一档, dashboards, item analysis, exports)."""
