"""The web application: pages in Chinese and English, each with a JSON twin under /api."""
