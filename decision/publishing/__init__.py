"""A built site readied for its host: content-hashed runtime names and one build id
(pages), a strict Content-Security-Policy (csp), and what each page weighs (size_report).
"""
