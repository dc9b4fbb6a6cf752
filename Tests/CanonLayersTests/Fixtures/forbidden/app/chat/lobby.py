import app.helpers
