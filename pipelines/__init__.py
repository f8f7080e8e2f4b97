"""Item pipelines, one job each. Their order lives here and only here."""

from __future__ import annotations

ITEM_PIPELINES: dict[str, int] = {
    "pipelines.sanitise.SanitisePipeline": 50,
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.normalise.NormalisePipeline": 200,
    "pipelines.dedup.DedupPipeline": 300,
    "pipelines.store.StorePipeline": 400,
}
