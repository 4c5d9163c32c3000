"""Figure functions, one module per topic; every figure follows ``analysis.present.style``."""
