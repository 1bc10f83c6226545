"""The scorer over ../shared/real (claims and false alarms), where that material is present.

Slow (one process per excerpt), so it runs only when JIXIAO_REAL_SCORE is set; it skips
cleanly wherever ../shared is absent.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JIXIAO_SHARED", ROOT.parent.parent / "shared"))
SCORER = SHARED / "eval" / "jxeval.py"


@pytest.mark.skipif(not (SCORER.is_file() and (SHARED / "real" / "gold").is_dir()), reason="../shared/real absent")
@pytest.mark.skipif(not os.environ.get("JIXIAO_REAL_SCORE"), reason="set JIXIAO_REAL_SCORE=1 to run the scorer")
def test_real_claims_and_false_alarms():
    cmd = f"{sys.executable} -m pipeline.cli check {{file}} --format json"
    p = subprocess.run([sys.executable, str(SCORER), "--gold-dir", str(SHARED / "real" / "gold"),
                        "--data-root", str(SHARED / "real"), "--cmd", cmd, "--no-mutations",
                        "--min-claims-f1", "0.90", "--max-false", "2"], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stdout[-2000:]
