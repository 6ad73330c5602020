"""Server-rendered pages: staff sign-in, queue, idea and dashboard; members' signed-link pages."""
