"""Text helpers: Urdu normalisation and date parsing."""
