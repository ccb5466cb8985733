"""Comprehensive evaluation of enterprises (企业分类综合评价, in the manner of Zhejiang's 亩均论英雄)."""
