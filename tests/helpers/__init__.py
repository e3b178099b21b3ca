"""What the tests share besides fixtures: the site and its build, a static server, the browser toolkit,
the request corpora and the runners under Node. Fixtures stay in tests/conftest.py."""
