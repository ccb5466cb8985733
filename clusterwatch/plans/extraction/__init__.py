"""Reading policy documents into cited plan facts: goals, baselines, layouts, tasks, lists."""
