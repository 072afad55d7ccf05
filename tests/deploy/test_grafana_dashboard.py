"""The operators' Grafana dashboard parses, and every metric its panels query is one the real app's /metrics has."""
from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana-mitra.json"
HISTOGRAM_SERIES = ("_bucket", "_count", "_sum")


def exposed_names(metrics_text: str) -> set[str]:
    """Every series name /metrics can carry, including those of counters that have not moved yet."""
    names = set()
    for line in metrics_text.splitlines():
        typed = re.match(r"# TYPE (\S+) (\S+)", line)
        if typed:
            name, kind = typed.groups()
            names.add(name)
            if kind == "histogram":
                names |= {name + suffix for suffix in HISTOGRAM_SERIES}
        elif line and not line.startswith("#"):
            names.add(re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group())
    return names


def queried_names(dashboard: dict) -> set[str]:
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    return {name for expr in exprs for name in re.findall(r"\bmitra_[a-z_]+\b", expr)}


def test_every_panel_queries_metrics_the_app_exposes(server):
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert dashboard["panels"] and all(p["targets"] and p["title"] for p in dashboard["panels"])
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])
    response = httpx.get(f"{server.url}/metrics")
    assert response.status_code == 200
    exposed = exposed_names(response.text)
    queried = queried_names(dashboard)
    assert len(queried) >= 6
    assert queried <= exposed, sorted(queried - exposed)


def test_a_misspelt_metric_would_be_caught():
    broken = {"panels": [{"targets": [{"expr": "rate(mitra_mesages_received_total[5m])"}]}]}
    assert queried_names(broken) - exposed_names("# TYPE mitra_messages_received_total counter\n")
