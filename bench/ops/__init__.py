"""The measured operations (B1–B14) and their same-run references, one module per family.

Every throughput figure is a median over interleaved runs (operation, reference, operation,
…) and every write operation runs inside a transaction that is rolled back, so the dataset is
the same before and after a bench run (except the duplicate queue, which B12 fills once so the
duplicates page has rows).
"""

from bench.ops.campaigns import measure_campaign_build
from bench.ops.common import ms, pct, plain_templates, rolled_back
from bench.ops.duplicates import measure_detector, measure_similar
from bench.ops.ingest import measure_ingest, measure_ingest_decay, measure_promote
from bench.ops.pages import measure_pages, page_specs
from bench.ops.reads import measure_counts, measure_renewals

__all__ = [
    "measure_campaign_build",
    "measure_counts",
    "measure_detector",
    "measure_ingest",
    "measure_ingest_decay",
    "measure_pages",
    "measure_promote",
    "measure_renewals",
    "measure_similar",
    "ms",
    "page_specs",
    "pct",
    "plain_templates",
    "rolled_back",
]
