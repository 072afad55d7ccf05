"""The router a routing bench measures: `--model V|DIR` and `--models-root DIR`, as `mitra eval` takes them."""
from __future__ import annotations

import argparse
from pathlib import Path


def load_router(parser: argparse.ArgumentParser | None = None):
    """(the loaded nlu.router.Router, the parsed arguments); `parser` may carry the bench's own options."""
    from catalog.loader import load_catalog
    from nlu.router import Router

    parser = parser or argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--models-root", type=Path, default=None, help="a models directory (default: settings)")
    args = parser.parse_args()
    return Router.load(args.model, catalog=load_catalog(), models_root=args.models_root), args
