"""Deterministic content for the simulated networks: a pure function of (seed, persona, time).

Every random draw comes from a ``random.Random`` seeded by a hash of (seed, persona, network, day,
index…), so any day can be produced on its own, in any order, and the same question always gets
the same answer (``base.stream``).
"""
