"""The centres' pages, a module per side: ``client`` (the enterprise's), ``centre`` (a request
seen by the centre's staff), ``queue`` (the centre's queue and dashboard)."""
