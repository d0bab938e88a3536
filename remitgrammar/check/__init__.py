"""Check stage: the rule registry, the rules, the engine that runs them, baselines and the output renderers."""
