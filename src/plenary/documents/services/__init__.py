"""The documents app's business rules; views, the API and the live commands call these."""
