"""Writes of the listening app (STYLE.md "services"). ``collect_hashtag`` is the contract the
campaigns app builds on (contracts C4)."""

from listening.services.collect import BudgetExhausted, collect_hashtag, hits_store, watch_collect_now

__all__ = ["BudgetExhausted", "collect_hashtag", "hits_store", "watch_collect_now"]
