"""Measurements of the build, apart from the kit a notebook imports: ``bench`` (the build against the usual way of
running notebooks, every target) and ``scale`` (validation and a build with many generated rows). They time the
machine they run on, so no test asserts their numbers; ``make bench`` prints them."""
