"""Hubs (training locations), their opening hours and resources."""
