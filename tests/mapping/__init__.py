"""Tests of the compiler's stages, one module per stage, on hand-made NetworkSpecs
(tests/factories.py). A package, so that its module names (test_poisson_fold, ...) do not clash
with the end-to-end tests of the same name in tests/."""
