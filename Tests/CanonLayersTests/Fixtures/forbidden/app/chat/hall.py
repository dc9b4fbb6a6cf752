"""A second way into the same chain."""
import app.helpers
