"""Outputs: the CONTRACT JSON and the terminal view."""
