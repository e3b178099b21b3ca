"""Keeping the data current: the price set rewritten from genai-prices, with shutdown dates
read from the model map inside the litellm wheel. Development only.
"""
