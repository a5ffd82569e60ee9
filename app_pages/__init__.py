"""The explorer's pages. Importing this package first waits for the server's warm-up, if one is
running (see ``cojian_graph.warmup``), so that the pages' imports never race it."""

from cojian_graph.warmup import wait

wait()
