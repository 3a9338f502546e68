"""Process composition: component configs, `run_*` entry points, the `up` supervisor."""
