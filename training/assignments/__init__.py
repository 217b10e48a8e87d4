"""Study assignments (学习任务) and 我的任务."""
