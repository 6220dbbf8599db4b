"""The sync engine: fills the fact store for every connected account, on schedule, incrementally,
idempotently, within the networks' rate limits and budgets (issue 4)."""
