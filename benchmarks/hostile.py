"""Time, peak memory and outcome of `jixiao check FILE --format json` on each hostile class.

    python benchmarks/hostile.py [--cases a,b] [--timeout 60] [--max-rss-mb 3000] [--pythonpath DIR]

Builds each case of tests/fuzz/hostile_cases.py in a temporary folder and runs
the CLI on it in a child process, polling its resident memory; a child past the
timeout or the memory cap is killed (reported as such). --pythonpath runs
another checkout of the package (the "before" figures).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))

import hostile_cases  # noqa: E402


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _documents(text: str) -> list[str]:
    """One indented JSON document, or JSON lines."""
    text = text.strip()
    if not text:
        return []
    return [text] if text.startswith("{\n") else text.splitlines()


def run(path: Path, timeout: float, max_rss_mb: int, pythonpath: str | None) -> dict:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    cmd = [sys.executable, "-c", "from pipeline.cli import main; main()", "check", str(path), "--format", "json"]
    start = time.monotonic()
    # run from the file's folder: `python -c` puts the working directory first on sys.path
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=path.parent)
    peak, killed = 0, ""
    import threading

    out: dict[str, bytes] = {}
    reader = threading.Thread(target=lambda: out.update(zip(("stdout", "stderr"), child.communicate())))
    reader.start()
    while reader.is_alive():
        peak = max(peak, _rss_kb(child.pid))
        if time.monotonic() - start > timeout:
            killed = f"killed after {timeout:.0f} s"
        elif peak > max_rss_mb * 1024:
            killed = f"killed at {max_rss_mb} MB"
        if killed:
            child.kill()
            break
        reader.join(0.05)
    reader.join()
    wall = time.monotonic() - start
    stdout, stderr = out.get("stdout", b""), out.get("stderr", b"")
    try:
        for line in _documents(stdout.decode("utf-8")):
            json.loads(line, parse_constant=_no_constant)  # Infinity and NaN are not JSON
        valid = bool(stdout.strip())
    except ValueError:
        valid = False
    err_lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return {"rc": child.returncode, "wall_s": round(wall, 2), "peak_mb": round(peak / 1024), "killed": killed,
            "json": valid, "stderr_lines": len(err_lines), "traceback": b"Traceback" in stderr,
            "first": (err_lines[0][:110] if err_lines else "")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default=",".join(hostile_cases.CASES))
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--max-rss-mb", type=int, default=3000)
    ap.add_argument("--pythonpath")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.cases.split(","):
            folder = Path(tmp) / name
            folder.mkdir()
            path = hostile_cases.build(name, folder)
            res = run(path, args.timeout, args.max_rss_mb, args.pythonpath)
            print(json.dumps({"case": name, "bytes": path.stat().st_size, **res}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
