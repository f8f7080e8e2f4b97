"""Item pipelines, one job each. Their order lives here and only here.

Installed as ``pressbot.pipelines`` (pyproject.toml maps this folder into the
package); modules inside import each other relatively."""

from __future__ import annotations

ITEM_PIPELINES: dict[str, int] = {
    "pressbot.pipelines.sanitise.SanitisePipeline": 50,
    "pressbot.pipelines.validate.ValidatePipeline": 100,
    "pressbot.pipelines.normalise.NormalisePipeline": 200,
    "pressbot.pipelines.dedup.DedupPipeline": 300,
    "pressbot.pipelines.store.StorePipeline": 400,
}
