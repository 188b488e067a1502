#!/usr/bin/env python
"""Sample streaming replication lag once a second, as the primary sees it, until stopped.

    .venv/bin/python bench/replica_lag.py --out bench/out/replica_lag.json [--seconds N]

Each sample: time, the primary's WAL position, how many bytes the standby has not replayed
yet (``pg_wal_lsn_diff``) and the write / flush / replay lag the primary reports in
``pg_stat_replication``. Ctrl-C (or SIGTERM) writes the JSON and a summary.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

import psycopg2

SQL = """
SELECT pg_current_wal_lsn()::text,
       coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0),
       coalesce(extract(epoch FROM write_lag), 0),
       coalesce(extract(epoch FROM flush_lag), 0),
       coalesce(extract(epoch FROM replay_lag), 0)
FROM pg_stat_replication WHERE application_name = %s OR %s = ''
ORDER BY replay_lsn LIMIT 1
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--primary", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--application-name", default="", help="which standby (default: any)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=0, help="stop after this long")
    args = parser.parse_args()
    db = psycopg2.connect(args.primary)
    db.autocommit = True
    samples: list[dict] = []
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    started = time.time()
    try:
        while not stop and (not args.seconds or time.time() - started < args.seconds):
            with db.cursor() as cur:
                cur.execute(SQL, (args.application_name, args.application_name))
                row = cur.fetchone()
            if row:
                lsn, behind, write, flush, replay = row
                samples.append(
                    {
                        "t": round(time.time() - started, 1),
                        "lsn": lsn,
                        "bytes_behind": int(behind),
                        "write_lag_s": float(write),
                        "flush_lag_s": float(flush),
                        "replay_lag_s": float(replay),
                    }
                )
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    replay = sorted(s["replay_lag_s"] for s in samples) or [0.0]
    behind = sorted(s["bytes_behind"] for s in samples) or [0]
    summary = {
        "samples": len(samples),
        "replay_lag_p50_s": replay[len(replay) // 2],
        "replay_lag_p95_s": replay[int(len(replay) * 0.95) - 1 if len(replay) > 1 else 0],
        "replay_lag_max_s": replay[-1],
        "bytes_behind_max": behind[-1],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"summary": summary, "samples": samples}, indent=1))
    print(json.dumps(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
