"""PDF renderers: plain data in, PDF bytes out. Only commands that write PDFs import this."""
