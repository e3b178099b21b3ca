"""What only builds and terminals need: the Markdown extension, the runtime's assets and
archive, the Content-Security-Policy writer, the price refresher and the CLI.

Nothing here ships to the browser; the engine archive carries the runtime modules only.
"""
