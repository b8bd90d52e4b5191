"""Bounds of the API's list paging, shared by every list endpoint.

``offset`` counts rows skipped (0-based, ≥ 0). It stops at :data:`MAX_OFFSET`: a larger offset cannot address a
row of any deployment and would overflow the database's 64-bit ``OFFSET`` (a server error before). The API
answers an offset outside 0 … MAX_OFFSET with 422 naming ``offset``. Source: issue "Production …", item 3.
"""

from __future__ import annotations

MAX_OFFSET = 1_000_000_000
