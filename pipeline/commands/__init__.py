"""CLI commands, one module each, registered in pipeline/cli.py."""
