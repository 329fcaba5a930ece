"""The labelled pair set of real attributions (see :mod:`bench.pairs.build`)."""
