"""Leoflow's HTTP APIs: `execution` (agents) today; the public v2 and UI APIs mount beside it."""
