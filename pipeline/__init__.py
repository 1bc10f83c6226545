"""Jixiao (绩效): checks budget-performance self-evaluations for figures that disagree.

Stages, in the one direction data flows:
read -> form -> nlp -> check -> output. `pipeline.api.check_path` wires them.
"""
__version__ = "0.1.0"
