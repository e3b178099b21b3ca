"""The browser's runtime, packed: the engine archive, the trimmed standard library, their
bytecode, and the folder of assets a site serves. Build-time only; nothing here ships.
"""
